import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Debian's Python, where python3-botocore is installed (.ci/run installs it); the `python3` on
 * PATH may be another one without it.
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, 'botocore_profile_map.py');
/** Python reads files in the locale's encoding; the AWS CLI's users have UTF-8. */
const PYTHON_ENV = { PATH: '/usr/bin:/bin', PYTHONUTF8: '1', LC_ALL: 'C.UTF-8' };

/** Why botocore cannot be asked here, or null when it can. */
export function botocoreUnavailable(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import botocore.configloader'], {
    env: PYTHON_ENV,
    encoding: 'utf8',
  });
  if (probe.error) return `${SYSTEM_PYTHON} cannot be run (${probe.error.message})`;
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no botocore (install python3-botocore)`;
  return null;
}

/** What botocore made of a config and a credentials file. */
export type BotocoreAnswer =
  | { ok: true; profiles: Record<string, Settings>; ssoSessions: Record<string, Settings> }
  | { ok: false; error: string };
type Settings = Record<string, string | Record<string, string>>;

/** One Python process running botocore's config reader, asked one pair of files at a time. */
export class Botocore {
  private readonly answers: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static start(): Botocore {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT], { env: PYTHON_ENV, stdio: 'pipe' });
    return new Botocore(child);
  }

  /** Files as bytes; null for a file that does not exist. */
  async read(config: Uint8Array | null, credentials: Uint8Array | null): Promise<BotocoreAnswer> {
    const base64 = (bytes: Uint8Array | null) =>
      bytes === null ? null : Buffer.from(bytes).toString('base64');
    this.child.stdin.write(
      `${JSON.stringify({ config: base64(config), credentials: base64(credentials) })}\n`,
    );
    const next = await this.answers.next();
    if (next.done) throw new Error('the botocore helper stopped answering');
    return JSON.parse(next.value) as BotocoreAnswer;
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.child.once('close', done));
    this.child.stdin.end();
    await exited;
  }
}
