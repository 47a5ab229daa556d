import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

const WITH_KEYRING = resolve(__dirname, '../scripts/with-keyring.mjs');
const LOCK_LOGIN_KEYRING =
  'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
  'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null';

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
    const env = { ...ws.env };
    // No session bus: with-keyring starts a private one for this test alone.
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const started = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(
        process.execPath,
        [
          WITH_KEYRING,
          'sh',
          '-c',
          `${LOCK_LOGIN_KEYRING} && exec "$0" "$1" serve`,
          process.execPath,
          CLI,
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
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
