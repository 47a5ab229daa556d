/**
 * The commands machines run most often, read without commander: an AWS SDK runs
 * `credential-process` for every client it makes, a shell prompt `status --prompt` before every
 * line, and loading commander alone costs about as much as the rest of their work. Only the plain
 * forms are read here; anything else — `--help`, a mistake, an option repeated, a value that looks
 * like an option — is left to the whole program, so help and errors are commander's, word for word.
 */
export type HotInvocation =
  | { command: 'credential-process'; profile: string }
  | { command: 'status'; prompt: true }
  | {
      command: 'exec';
      profile: string;
      commandLine: string[];
      defaultSlot: boolean;
      envKeys: boolean;
    };

/** The invocation argv makes, when it is one of the plain forms above; null for anything else. */
export function hotInvocation(argv: readonly string[]): HotInvocation | null {
  const [command, ...rest] = argv;
  switch (command) {
    case 'credential-process': {
      const profile = onlyOption(rest, '--profile');
      return profile === null ? null : { command, profile };
    }
    case 'status':
      return rest.length === 1 && rest[0] === '--prompt' ? { command, prompt: true } : null;
    case 'exec':
      return execInvocation(rest);
    default:
      return null;
  }
}

/** The value of `--name value` or `--name=value` when that is all `args` holds. */
function onlyOption(args: readonly string[], name: string): string | null {
  let value: string | undefined;
  if (args.length === 2 && args[0] === name) value = args[1];
  else if (args.length === 1 && args[0]!.startsWith(`${name}=`))
    value = args[0]!.slice(name.length + 1);
  return value !== undefined && isPlainValue(value) ? value : null;
}

/** `exec <profile> [--slot | -s | --default-slot] [--env-keys] -- <command> [args...]`. */
function execInvocation(args: readonly string[]): HotInvocation | null {
  const dashDash = args.indexOf('--');
  if (dashDash === -1) return null;
  const commandLine = args.slice(dashDash + 1);
  // An empty command is a usage mistake, told by the whole program.
  if (commandLine.length === 0) return null;
  let profile: string | undefined;
  const flags = new Set<string>();
  for (const arg of args.slice(0, dashDash)) {
    if (EXEC_FLAGS.has(arg)) {
      const flag = arg === '-s' ? '--slot' : arg;
      if (flags.has(flag)) return null;
      flags.add(flag);
    } else if (profile === undefined && isPlainValue(arg)) profile = arg;
    else return null;
  }
  // --slot and --default-slot conflict: commander says so.
  if (profile === undefined || (flags.has('--slot') && flags.has('--default-slot'))) return null;
  return {
    command: 'exec',
    profile,
    commandLine,
    defaultSlot: flags.has('--default-slot'),
    envKeys: flags.has('--env-keys'),
  };
}

const EXEC_FLAGS = new Set(['--slot', '-s', '--default-slot', '--env-keys']);

/** Not empty and not something commander might read as an option. */
function isPlainValue(value: string): boolean {
  return value !== '' && !value.startsWith('-');
}
