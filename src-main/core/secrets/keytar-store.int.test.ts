import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSecretStore, createKeytarStore } from './keytar-store';

/** Runs against the real keychain (a private gnome-keyring under `scripts/with-keyring.mjs`). */
const SERVICE = 'rolecall-test';
const store = createKeytarStore(SERVICE);

afterAll(async () => {
  for (const account of ['plain', 'unicode', 'long']) await store.delete(account);
});

/**
 * keytar's libsecret connects to the session bus once per process, so a broken bus is tried in a
 * child process: it asks for one item and prints what came back.
 */
function readInChild(env: NodeJS.ProcessEnv): Promise<{ name?: string; message?: string }> {
  const script = `
    const { createKeytarStore } = require(${JSON.stringify(resolve(__dirname, 'keytar-store.ts'))});
    createKeytarStore(${JSON.stringify(SERVICE)}).get('anything').then(
      (value) => console.log(JSON.stringify({ value })),
      (error) => console.log(JSON.stringify({ name: error.name, message: error.message })),
    );`;
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '-e', script],
      { env, cwd: resolve(__dirname, '../../..'), timeout: 20_000 },
      (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout)),
    );
  });
}

describe('keytar store on the real keychain', () => {
  it('round-trips secrets, unicode and 8 KB values included', async () => {
    const long = 'abcdefgh'.repeat(1024);
    const unicode = 'clé ✓ 秘密 🔑';
    await store.set('plain', 'value');
    await store.set('unicode', unicode);
    await store.set('long', long);
    expect(await store.get('plain')).toBe('value');
    expect(await store.get('unicode')).toBe(unicode);
    expect(await store.get('long')).toBe(long);
    await store.set('plain', 'replaced');
    expect(await store.get('plain')).toBe('replaced');
    for (const account of ['plain', 'unicode', 'long'])
      expect(await store.delete(account)).toBe(true);
    expect(await store.get('plain')).toBeNull();
  });

  it('answers null for a missing item and false when deleting one', async () => {
    expect(await store.get('never-stored')).toBeNull();
    expect(await store.delete('never-stored')).toBe(false);
  });

  it('passes the start-up check and leaves no probe behind', async () => {
    await expect(checkSecretStore(store)).resolves.toBeUndefined();
    expect(await store.get('probe')).toBeNull();
  });

  it('fails with a helpful message, not a hang, when the bus address leads nowhere', async () => {
    const started = Date.now();
    const result = await readInChild({
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    });
    expect(result.name).toBe('SecretStoreError');
    expect(result.message).toContain(
      'DBUS_SESSION_BUS_ADDRESS is set, but nothing answers at unix:path=/nonexistent/bus',
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails with a helpful message when there is no session bus at all', async () => {
    const env = { ...process.env };
    // Without these, libsecret would find a bus at $XDG_RUNTIME_DIR/bus or start one for $DISPLAY.
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'DISPLAY']) delete env[name];
    const result = await readInChild(env);
    expect(result.name).toBe('SecretStoreError');
    expect(result.message).toContain('DBUS_SESSION_BUS_ADDRESS is unset');
  });
});
