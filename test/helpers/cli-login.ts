import { spawn } from 'node:child_process';
import type { FakeIdentityCenter } from '../fixtures/fake-identity-center';
import { CLI } from './rolecall-process';

/** A running `rolecall login …`, with what it has printed so far. */
export function runLogin(env: NodeJS.ProcessEnv, args: string[]) {
  let stdout = '';
  let stderr = '';
  const child = spawn(process.execPath, [CLI, 'login', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    /** Sends a signal, as Ctrl-C (SIGINT) in the terminal would. */
    kill: (signal: NodeJS.Signals) => child.kill(signal),
  };
}

/** Waits until a `rolecall login --device-code` prints its code, and returns it. */
export async function printedCode(login: { stderr: () => string }): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = /confirm the code (\S+)\./.exec(login.stderr());
    if (found) return found[1]!;
    if (Date.now() > deadline) throw new Error(`no code printed: ${login.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `rolecall login <session> --device-code`, with the code approved as soon as it is printed. */
export async function loginWithApprovedCode(
  env: NodeJS.ProcessEnv,
  fake: FakeIdentityCenter,
  session: string,
) {
  const login = runLogin(env, [session, '--device-code', '--no-browser']);
  fake.approveDeviceCode(await printedCode(login));
  return { code: await login.done, output: login.stdout() + login.stderr() };
}
