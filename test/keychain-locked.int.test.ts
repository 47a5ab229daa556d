import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { withLockedKeyring } from './helpers/locked-keyring';
import { createWorkspace, type Workspace } from './helpers/workspace';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.dispose();
  ws = undefined;
});

/**
 * A real Secret Service whose keyring is locked (its own private one, so the keyring the other
 * tests share stays unlocked): `rolecall serve` must say so and stop, once — not hang, not crash,
 * not retry in a loop.
 */
describe('a locked keychain', () => {
  it('stops `rolecall serve` at once with what to do', async () => {
    ws = await createWorkspace();
    const locked = withLockedKeyring('exec "$0" "$1" serve', ws.env);
    const started = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, locked.args, {
        env: locked.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (exitCode) => done({ code: exitCode, output }));
    });
    expect(code).toBe(1);
    expect(output).toContain('rolecall: The OS keychain is not usable: the keyring is locked.');
    expect(output).toContain('Unlock it');
    expect(output.match(/rolecall:/g)).toHaveLength(1);
    // Well inside the keychain call's own 10-second time-out: it did not wait for a prompt.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
