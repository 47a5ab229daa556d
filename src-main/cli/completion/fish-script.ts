import { allCommands, type CommandSpec, type Values } from './completion-spec';

/**
 * The completion script for fish. fish asks each completion's condition on its own, so one
 * function reads the command line — which command, how many arguments, an option waiting for its
 * value, where the command `exec` runs begins — and the conditions ask it.
 */
export function fishScript(spec: CommandSpec): string {
  const commands = allCommands(spec);
  const specCases = commands.map((command) =>
    [
      `        case ${fishQuote(command.path)}`,
      `            set valued ${command.options
        .filter((option) => option.values.kind !== 'none')
        .flatMap((option) => option.flags)
        .map(fishQuote)
        .join(' ')}`,
      `            set subs ${command.subcommands.map((sub) => fishQuote(sub.name)).join(' ')}`,
      `            set kinds ${command.arguments
        .map((argument) => fishQuote(kindWord(argument.values) + (argument.variadic ? '...' : '')))
        .join(' ')}`,
    ].join('\n'),
  );
  const completions = commands.flatMap((command) => {
    const path = fishQuote(command.path);
    const lines: string[] = [];
    for (const sub of command.subcommands) {
      lines.push(
        `complete -c rolecall -n "__rolecall_at ${path} subcommand" -a ${fishQuote(sub.name)} -d ${fishQuote(oneLine(sub.description))}`,
      );
    }
    for (const option of command.options) {
      const flags = option.flags
        .map((flag) => (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`))
        .join(' ');
      lines.push(
        `complete -c rolecall -n "__rolecall_at ${path} option" ${flags}${valueArguments(option.values)} -d ${fishQuote(oneLine(option.description))}`,
      );
    }
    command.arguments.forEach((argument, index) => {
      if (argument.values.kind === 'command') {
        lines.push(
          `complete -c rolecall -n "__rolecall_at ${path} argument ${index + 1}" -a '(__rolecall_command_line)'`,
        );
        return;
      }
      const values = valueArguments(argument.values);
      if (values) {
        lines.push(
          `complete -c rolecall -n "__rolecall_at ${path} argument ${index + 1}"${values} -d ${fishQuote(argument.name)}`,
        );
      }
    });
    return lines;
  });
  return `# rolecall completion for fish. Save it where fish looks for completions:
#   rolecall completion fish > ~/.config/fish/completions/rolecall.fish

# Sets what the command at path $argv[1] ("", "load", "keys import") takes: the options that take a
# value, its subcommands, and the kind of each argument.
function __rolecall_spec --no-scope-shadowing
    set valued
    set subs
    set kinds
    switch $argv[1]
${specCases.join('\n')}
    end
end

# Reads the command line up to the word being completed: prints the command's path, how many
# arguments it has, the option waiting for a value (or -), and where the command \`exec\` runs
# begins (0: nowhere).
function __rolecall_state
    set -l words (commandline -opc)
    set -e words[1]
    set -l path ''
    set -l position 0
    set -l pending -
    set -l command_at 0
    set -l valued
    set -l subs
    set -l kinds
    __rolecall_spec ''
    set -l index 1
    for word in $words
        set index (math $index + 1)
        if test $command_at -gt 0
            continue
        else if test $pending != -
            set pending -
        else if test "$word" = --
            contains -- command... $kinds; and set command_at (math $index + 1)
        else if string match -q -- '-*' $word
            if not string match -q -- '*=*' $word; and contains -- $word $valued
                set pending $word
            end
        else if test $position -eq 0; and contains -- $word $subs
            set path (string trim -- "$path $word")
            __rolecall_spec $path
        else
            set position (math $position + 1)
            set -l kind (__rolecall_kind $position $kinds)
            string match -q -- 'command*' $kind; and set command_at $index
        end
    end
    printf '%s\\n' $path $position $pending $command_at
end

# The kind of argument number $argv[1] among the kinds that follow it.
function __rolecall_kind
    set -l position $argv[1]
    set -e argv[1]
    if test $position -le (count $argv)
        echo $argv[$position]
    else if test (count $argv) -gt 0; and string match -q -- '*...' $argv[-1]
        echo $argv[-1]
    end
end

# Whether the word being completed is, for the command at path $argv[1], a subcommand, an
# option, or argument number $argv[3].
function __rolecall_at
    set -l state (__rolecall_state)
    test "$state[1]" = "$argv[1]"; or return 1
    test $state[4] -eq 0; or return 1
    switch $argv[2]
        case subcommand
            test $state[3] = -; and test $state[2] -eq 0
            and begin
                set -l valued
                set -l subs
                set -l kinds
                __rolecall_spec $state[1]
                test (count $subs) -gt 0
            end
        case option
            # Also while the option's value is typed: fish asks the option's own entry for it.
            return 0
        case argument
            test $state[3] = -; or return 1
            string match -q -- '-*' (commandline -ct); and return 1
            set -l valued
            set -l subs
            set -l kinds
            __rolecall_spec $state[1]
            test (count $subs) -eq 0; or return 1
            set -l next (math $state[2] + 1)
            test $next -eq $argv[3]; and return 0
            # Past the last argument: a variadic last one takes every position.
            test $next -gt (count $kinds); and test $argv[3] -eq (count $kinds)
            and string match -q -- '*...' $kinds[-1]
    end
end

# The command \`rolecall exec\` runs, completed as fish completes it anywhere.
function __rolecall_command_line
    set -l state (__rolecall_state)
    set -l words (commandline -opc) (commandline -ct)
    if test $state[4] -gt 0
        __fish_complete_subcommand --commandline $words[$state[4]..-1]
    else
        __fish_complete_subcommand --commandline (commandline -ct)
    end
end

# Completes with the command that reaches the command line inside exec.
complete -c rolecall -n 'test (__rolecall_state)[4] -gt 0' -f -a '(__rolecall_command_line)'

# The names Rolecall lists: profiles, slots, loaded, sessions or questions.
function __rolecall_names
    command rolecall completion --names $argv[1] 2>/dev/null
end

complete -c rolecall -f
${completions.join('\n')}
`;
}

/** How a value is completed: `-xa '(…names…)'`, `-xa 'sh fish'`, `-rF` for files. */
function valueArguments(values: Values): string {
  switch (values.kind) {
    case 'none':
      return '';
    case 'names':
      return ` -x -a '(__rolecall_names ${values.list})'`;
    case 'choices':
      return ` -x -a ${fishQuote(values.choices.join(' '))}`;
    case 'files':
      return ' -r -F';
    default:
      return ' -x';
  }
}

function kindWord(values: Values): string {
  return values.kind === 'names' ? `names:${values.list}` : values.kind;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A word as fish reads it back: in single quotes only \\ and ' are special. */
function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
