import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SYSTEM_PYTHON } from './botocore';

const SCRIPT = resolve(__dirname, 'botocore_credential_plan.py');

/** What botocore's credential resolver does for `--profile <name>` (see the Python script). */
export type BotocorePlan =
  | { ok: true; method: string | null; sources: Array<[string, string | null]> }
  | { ok: false; error: string; message: string };

/**
 * One Python process running botocore's credential resolver, asked one profile at a time. The
 * process gets long-lived keys in its environment, so a `credential_source = Environment` finds
 * credentials there; the AWS CLI's own environment variables otherwise play no part (a named
 * profile ignores them).
 */
export class BotocoreCredentialPlan {
  private readonly answers: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static start(): BotocoreCredentialPlan {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT], {
      env: {
        PATH: '/usr/bin:/bin',
        PYTHONUTF8: '1',
        LC_ALL: 'C.UTF-8',
        AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT',
        AWS_SECRET_ACCESS_KEY: 'environment-secret',
        // Nothing may reach the network or a real home.
        HOME: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: 'pipe',
    });
    return new BotocoreCredentialPlan(child);
  }

  async plan(
    config: string | null,
    credentials: string | null,
    profile: string,
  ): Promise<BotocorePlan> {
    const base64 = (text: string | null) =>
      text === null ? null : Buffer.from(text, 'utf8').toString('base64');
    this.child.stdin.write(
      `${JSON.stringify({ config: base64(config), credentials: base64(credentials), profile })}\n`,
    );
    const next = await this.answers.next();
    if (next.done) throw new Error('the botocore helper stopped answering');
    return JSON.parse(next.value) as BotocorePlan;
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.child.once('close', done));
    this.child.stdin.end();
    await exited;
  }
}
