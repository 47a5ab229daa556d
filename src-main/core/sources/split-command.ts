import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import { parse } from 'shell-quote';
import { splitWindowsCommandLine } from './windows-command-line';

/** Why a command with an unquoted `#` is not run. */
export const UNQUOTED_HASH =
  'it has an unquoted "#", which the AWS CLI would pass to the command as an argument, with the words after it (a config file has no comments after a value); put a comment on a line of its own, and quote an argument that contains "#"';

export type SplitResult = { ok: true; argv: string[] } | { ok: false; problem: string };

/**
 * Splits a credential_process line into argv, as botocore does before running it without a shell:
 * shlex rules on POSIX (via shell-quote: quotes group, `\` escapes), the C runtime's rules on
 * Windows (where `\` is a path separator). Shell syntax would only be passed along as literal
 * arguments and fail in confusing ways, so operators, globs and comments are refused with a
 * sentence instead. `$VAR` stays literal text, as with botocore.
 *
 * A leading `~/` in the program path is expanded to the home directory. botocore doesn't, but the
 * AWS SDK for JavaScript runs credential_process through a shell, which does; expanding only the
 * program keeps `~/bin/get-creds` working without pretending to be a shell for the arguments.
 */
export function splitCommand(
  command: string,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = homedir(),
): SplitResult {
  const result = platform === 'win32' ? splitWindows(command) : splitPosix(command);
  if (!result.ok) return result;
  const [program, ...args] = result.argv;
  if (program === undefined || program === '') return { ok: false, problem: 'it is empty' };
  const paths = platform === 'win32' ? win32 : posix;
  const tilde = platform === 'win32' ? /^~[/\\]/ : /^~\//;
  const expanded = tilde.test(program) ? paths.join(homeDir, program.slice(2)) : program;
  return { ok: true, argv: [expanded, ...args] };
}

function splitPosix(command: string): SplitResult {
  let entries: ReturnType<typeof parse<string>>;
  try {
    // Returning the variable's own text keeps `$VAR` and `"$VAR"` literal (`${VAR}` becomes `$VAR`).
    entries = parse(command, (name) => `$${name}`);
  } catch (error) {
    return { ok: false, problem: `it can't be split into arguments (${(error as Error).message})` };
  }
  const argv: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') argv.push(entry);
    else if ('comment' in entry) {
      // An AWS config file has no comments after a value: the AWS CLI hands ` # note` to the
      // command as two more arguments, which is never what was meant. (shell-quote also reads a
      // `#` inside a word as a comment, which shlex does not; quoting keeps either.)
      return { ok: false, problem: UNQUOTED_HASH };
    } else if (entry.op === 'glob') {
      return { ok: false, problem: `it has the wildcard "${entry.pattern}"` };
    } else {
      return { ok: false, problem: `it has the shell operator "${entry.op}"` };
    }
  }
  return { ok: true, argv };
}

/** Characters a Windows shell would treat as operators; outside quotes they are refused too. */
const WINDOWS_OPERATORS = /[|&<>]/;

function splitWindows(command: string): SplitResult {
  const words = splitWindowsCommandLine(command);
  for (const word of words) {
    const operator = WINDOWS_OPERATORS.exec(word.unquoted)?.[0];
    if (operator !== undefined) {
      return { ok: false, problem: `it has the shell operator "${operator}"` };
    }
  }
  return { ok: true, argv: words.map((word) => word.text) };
}
