import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Debian's Python, where python3-botocore is installed (.ci/run installs it); the `python3` on
 * PATH may be another one without it.
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';
/**
 * Python reads files in the locale's encoding; the AWS CLI's users have UTF-8. No bytecode beside
 * the helpers' shared module in the working tree.
 */
export const PYTHON_ENV = {
  PATH: '/usr/bin:/bin',
  PYTHONUTF8: '1',
  LC_ALL: 'C.UTF-8',
  PYTHONDONTWRITEBYTECODE: '1',
};

/** A config and a credentials file as a helper receives them: base64, null for no such file. */
export function filesRequest(
  config: Uint8Array | string | null,
  credentials: Uint8Array | string | null,
): { config: string | null; credentials: string | null } {
  const base64 = (file: Uint8Array | string | null) =>
    file === null ? null : Buffer.from(file).toString('base64');
  return { config: base64(config), credentials: base64(credentials) };
}

/**
 * One Python process (a script beside this file, written with aws_files_requests.py) that reads a
 * pair of AWS files per JSON request line and answers one JSON line each.
 */
export class AwsFilesHelper {
  private readonly answers: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** `env` is added to PYTHON_ENV. */
  static start(script: string, env: Record<string, string> = {}): AwsFilesHelper {
    const child = spawn(SYSTEM_PYTHON, [resolve(__dirname, script)], {
      env: { ...PYTHON_ENV, ...env },
      stdio: 'pipe',
    });
    return new AwsFilesHelper(child);
  }

  async ask<Answer>(request: object): Promise<Answer> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    const next = await this.answers.next();
    if (next.done) throw new Error('the botocore helper stopped answering');
    return JSON.parse(next.value) as Answer;
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.child.once('close', done));
    this.child.stdin.end();
    await exited;
  }
}
