import { allCommands, type CommandSpec, type Values } from './completion-spec';

/**
 * The completion script for bash (3.2, as macOS has it, and later; bash-completion is used when
 * present, never needed). Commands and options are written into the script, so completing them
 * starts no process; names — profiles, slots, sessions — are asked of `rolecall completion
 * --names` at the Tab that needs them.
 */
export function bashScript(spec: CommandSpec): string {
  const commands = allCommands(spec);
  const specCases = commands.map((command) => {
    const options = command.options.flatMap((option) => option.flags);
    const valued = command.options
      .filter((option) => option.values.kind !== 'none')
      .flatMap((option) => option.flags);
    return [
      `    ${bashWord(command.path)})`,
      `      opts=${bashWord(options.join(' '))}`,
      `      valued=${bashWord(valued.join(' '))}`,
      `      args=${bashWord(command.arguments.map((argument) => kindWord(argument.values) + (argument.variadic ? '...' : '')).join(' '))}`,
      `      subs=${bashWord(command.subcommands.map((sub) => sub.name).join(' '))}`,
      '      ;;',
    ].join('\n');
  });
  const valueCases = commands.flatMap((command) =>
    command.options
      .filter((option) => option.values.kind !== 'none')
      .map(
        (option) =>
          `    ${option.flags.map((flag) => bashWord(`${command.path} ${flag}`)).join('|')}) kind=${bashWord(kindWord(option.values))} ;;`,
      ),
  );
  return `# rolecall completion for bash. Load it in ~/.bashrc:
#   eval "$(rolecall completion bash)"
# or save it where bash-completion looks:
#   rolecall completion bash > ~/.local/share/bash-completion/completions/rolecall

# Sets what the command at path $1 ("", "load", "keys import") takes: its options, those of them
# that take a value, the kind of each argument, and its subcommands.
_rolecall_spec() {
  opts='' valued='' args='' subs=''
  case $1 in
${specCases.join('\n')}
  esac
}

# Sets kind to what the value of option $2 of the command at path $1 is.
_rolecall_option_kind() {
  kind=text
  case "$1 $2" in
${valueCases.join('\n')}
  esac
}

# Adds the words of $1 that start with what is typed.
_rolecall_add_words() {
  local word
  for word in $1; do
    [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
  done
}

# Adds the names Rolecall lists ($1: profiles, slots, loaded, sessions, questions), quoted for
# the shell, that start with what is typed.
_rolecall_add_names() {
  local name quoted
  while IFS= read -r name; do
    printf -v quoted '%q' "$name"
    [[ $quoted == "$cur"* ]] && COMPREPLY+=("$quoted")
  done < <(command rolecall completion --names "$1" 2>/dev/null)
}

# Completes one value of the given kind.
_rolecall_add_kind() {
  local list
  case $1 in
    names:*) _rolecall_add_names "\${1#names:}" ;;
    choices:*)
      list=\${1#choices:}
      _rolecall_add_words "\${list//,/ }"
      ;;
    files)
      # Readline's own file completion where it can (names with spaces, directories); bash 3.2
      # has no compopt.
      compopt -o default 2>/dev/null || COMPREPLY+=($(compgen -f -- "$cur"))
      ;;
    command) COMPREPLY+=($(compgen -c -- "$cur")) ;;
  esac
}

# Sets kind to what the argument at position $1 (from 1) of the command is; a variadic last
# argument ("command...") takes every position from its own on.
_rolecall_kind_at() {
  local -a kinds
  kinds=($args)
  local count=\${#kinds[@]}
  kind=''
  if (($1 <= count)); then
    kind=\${kinds[$1 - 1]}
  elif ((count)) && [[ \${kinds[count - 1]} == *... ]]; then
    kind=\${kinds[count - 1]}
  fi
}

_rolecall() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path='' word i=1 position=0 pending='' command_at=0
  local opts valued args subs kind
  COMPREPLY=()
  # Right after "--format=", bash has made "=" a word of its own.
  [[ $cur == = ]] && cur=''
  _rolecall_spec ''
  while ((i < COMP_CWORD)); do
    word=\${COMP_WORDS[i]}
    if ((command_at)) || [[ $word == = ]]; then
      :
    elif [[ -n $pending ]]; then
      pending=''
    elif [[ $word == -- ]]; then
      [[ " $args " == *' command...'* ]] && command_at=$((i + 1))
    elif [[ $word == -* ]]; then
      [[ " $valued " == *" $word "* ]] && pending=$word
    elif ((position == 0)) && [[ -n $subs && " $subs " == *" $word "* ]]; then
      path=\${path:+$path }$word
      _rolecall_spec "$path"
    else
      position=$((position + 1))
      _rolecall_kind_at "$position"
      # A command to run given without "--": the words after it are its own.
      [[ $kind == command* ]] && command_at=$i
    fi
    i=$((i + 1))
  done

  # The command that rolecall exec runs, and its arguments, as bash completes them anywhere.
  if ((command_at)); then
    if ((COMP_CWORD == command_at)); then
      COMPREPLY=($(compgen -c -- "$cur"))
    elif declare -F _command_offset >/dev/null; then
      _command_offset "$command_at"
    else
      _rolecall_add_kind files
    fi
    return 0
  fi
  if [[ -n $pending ]]; then
    _rolecall_option_kind "$path" "$pending"
    _rolecall_add_kind "$kind"
  elif [[ $cur == -* ]]; then
    _rolecall_add_words "$opts"
  elif ((position == 0)) && [[ -n $subs ]]; then
    _rolecall_add_words "$subs"
  else
    _rolecall_kind_at $((position + 1))
    _rolecall_add_kind "\${kind%...}"
  fi
  return 0
}

complete -F _rolecall rolecall
`;
}

/** How the script names a kind of value: `names:profiles`, `choices:sh fish`, `files`. */
function kindWord(values: Values): string {
  switch (values.kind) {
    case 'names':
      return `names:${values.list}`;
    case 'choices':
      return `choices:${values.choices.join(',')}`;
    default:
      return values.kind;
  }
}

/** A word as bash reads it back, in single quotes. */
function bashWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
