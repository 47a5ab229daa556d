import { RolecallError } from '../core/errors';
import { accessKeyIdProblem, secretAccessKeyProblem } from '../core/keys/access-key-format';
import type { LongLivedKeys } from '../core/keys/key-store';
import type { CliContext } from './context';
import { readHiddenOrCancel } from './read-hidden';
import type { Terminal } from './terminal';
import { UsageError } from './usage-error';

/** A key ID and a secret are under 400 bytes; anything near this is not a key pair. */
const STDIN_LIMIT = { bytes: 64 * 1024, expected: 'a key ID and its secret' };

/**
 * A key pair from the person at the terminal (hidden input) or, with `--stdin`, from a script:
 * never from the command line, where every process on the machine can read it. Each is checked
 * as soon as it is read, so a wrong key ID is said before the secret is asked for.
 */
export async function readKeys(
  ctx: Pick<CliContext, 'stdinIsTerminal' | 'openTerminal' | 'readStdin'>,
  profile: string,
  fromStdin: boolean,
): Promise<LongLivedKeys> {
  if (fromStdin) {
    if (ctx.stdinIsTerminal) {
      throw new UsageError(
        '--stdin reads the key ID and the secret from a pipe or a file, and standard input is a terminal; leave out --stdin to be asked for them without echo.',
      );
    }
    return keysFromLines((await ctx.readStdin?.(STDIN_LIMIT)) ?? '');
  }
  const terminal = ctx.stdinIsTerminal ? (ctx.openTerminal?.('stdin') ?? null) : null;
  if (!terminal) {
    throw new UsageError(
      `There is no terminal to ask for the keys on; pipe the key ID and the secret, one per line, into \`rolecall keys add ${profile} --stdin\`.`,
    );
  }
  try {
    const accessKeyId = await ask(terminal, `Access key ID for ${profile}: `);
    check('access key ID', accessKeyIdProblem(accessKeyId));
    const secretAccessKey = await ask(terminal, `Secret access key for ${profile}: `);
    check('secret access key', secretAccessKeyProblem(secretAccessKey));
    return { accessKeyId, secretAccessKey };
  } finally {
    terminal.close();
  }
}

async function ask(terminal: Terminal, prompt: string): Promise<string> {
  return (await readHiddenOrCancel(terminal, prompt, 'Cancelled; nothing was stored.')).trim();
}

/** Two lines, the key ID and then the secret; CRLF and a final line ending are fine. */
export function keysFromLines(text: string): LongLivedKeys {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== 2) {
    throw new RolecallError(
      'invalid-keys',
      `--stdin expects two lines, the access key ID and then the secret access key, and got ${lines.length === 1 && lines[0] === '' ? 'none' : lines.length}.`,
      400,
    );
  }
  const [accessKeyId, secretAccessKey] = lines.map((line) => line.trim()) as [string, string];
  check('access key ID', accessKeyIdProblem(accessKeyId));
  check('secret access key', secretAccessKeyProblem(secretAccessKey));
  return { accessKeyId, secretAccessKey };
}

function check(field: string, problem: string | null): void {
  if (problem !== null) throw new RolecallError('invalid-keys', `The ${field} ${problem}.`, 400);
}
