import {
  allCommands,
  type ArgumentSpec,
  type CommandSpec,
  type OptionSpec,
  type Values,
} from './completion-spec';

/**
 * The completion script for zsh: one `_arguments` function per command, with the options'
 * descriptions, written into the script; names are asked of `rolecall completion --names` at the
 * Tab that needs them. Works both from `fpath` (as `_rolecall`) and sourced.
 */
export function zshScript(spec: CommandSpec): string {
  const functions = allCommands(spec).map(commandFunction);
  return `#compdef rolecall
# rolecall completion for zsh. Save it on your fpath (before compinit runs in ~/.zshrc):
#   rolecall completion zsh > ~/.zfunc/_rolecall     # with fpath=(~/.zfunc $fpath)
# or load it in ~/.zshrc, after compinit:
#   source <(rolecall completion zsh)

# Offers the names Rolecall lists — profiles, slots, loaded, sessions or questions, the last
# argument; _arguments puts compadd's options before it.
_rolecall_names() {
  local -a names
  names=(\${(f)"$(command rolecall completion --names \${argv[-1]} 2>/dev/null)"})
  compadd "\${@[1,-2]}" -a names
}

${functions.join('\n\n')}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _rolecall "$@"
else
  compdef _rolecall rolecall
fi
`;
}

function functionName(command: CommandSpec): string {
  return command.path
    ? `_rolecall__${command.path.replaceAll(' ', '__').replaceAll('-', '_')}`
    : '_rolecall';
}

function commandFunction(command: CommandSpec): string {
  const specs = [
    ...command.options.flatMap(optionSpecs),
    ...(command.subcommands.length > 0
      ? [`'1: :->command'`, `'*:: :->argument'`]
      : argumentSpecs(command.arguments)),
  ];
  const call = `_arguments -s -S${command.subcommands.length > 0 ? ' -C' : ''} \\\n    ${specs.join(' \\\n    ')}`;
  if (command.subcommands.length === 0) return `${functionName(command)}() {\n  ${call}\n}`;
  const described = command.subcommands.map((sub) =>
    zshQuote(`${sub.name}:${oneLine(sub.description)}`),
  );
  const cases = command.subcommands.map((sub) => `      (${sub.name}) ${functionName(sub)} ;;`);
  return `${functionName(command)}() {
  local curcontext=$curcontext state line
  local -a subcommands
  ${call}
  case $state in
    command)
      subcommands=(
        ${described.join('\n        ')}
      )
      _describe -t commands ${zshQuote(`rolecall${command.path ? ` ${command.path}` : ''} command`)} subcommands
      ;;
    argument)
      curcontext=\${curcontext%:*:*}:rolecall-$words[1]:
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
}`;
}

/** `'(-s --slot)'-s[…]` and `--slot[…]`; `--every=[…]:duration:…` for an option with a value. */
function optionSpecs(option: OptionSpec): string[] {
  const exclusive =
    option.flags.includes('--help') || option.flags.includes('--version')
      ? '(- *)'
      : option.flags.length > 1
        ? `(${option.flags.join(' ')})`
        : '';
  const description = `[${escapeBrackets(oneLine(option.description))}]`;
  return option.flags.map((flag) => {
    if (option.values.kind === 'none') return zshQuote(`${exclusive}${flag}${description}`);
    const takes = flag.startsWith('--') ? '=' : '+';
    const placeholder = escapeColons(valueName(option.values, flag));
    return zshQuote(
      `${exclusive}${flag}${takes}${description}:${placeholder}:${action(option.values)}`,
    );
  });
}

function argumentSpecs(args: ArgumentSpec[]): string[] {
  return args.map((argument, index) => {
    const name = escapeColons(argument.name);
    if (argument.values.kind === 'command')
      // Three colons: the command completes from its own words only, as if typed alone.
      return zshQuote(`*:::${name}:_normal`);
    if (argument.variadic) return zshQuote(`*:${name}:${action(argument.values)}`);
    return zshQuote(
      `${index + 1}:${argument.required ? '' : ':'}${name}:${action(argument.values)}`,
    );
  });
}

function action(values: Values): string {
  switch (values.kind) {
    case 'names':
      return `_rolecall_names ${values.list}`;
    case 'choices':
      return `(${values.choices.join(' ')})`;
    case 'files':
      return '_files';
    case 'command':
      return '_command_names -e';
    default:
      // A message alone: zsh shows what goes there and offers nothing.
      return ' ';
  }
}

function valueName(values: Values, flag: string): string {
  if (values.kind === 'names') return values.list.replace(/s$/, '');
  return flag.replace(/^-+/, '');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function escapeBrackets(text: string): string {
  return text.replace(/[\\[\]]/g, (char) => `\\${char}`);
}

function escapeColons(text: string): string {
  return text.replace(/[\\:]/g, (char) => `\\${char}`);
}

/** A word as zsh reads it back, in single quotes. */
function zshQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
