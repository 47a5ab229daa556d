import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/rolecall-process';
import { checkSecretStore, createKeytarStore } from './keytar-store';

/** Runs against the real keychain (a private gnome-keyring under `npm test`). */
const store = createKeytarStore('rolecall-test');

describe('keytar store', () => {
  it('round-trips secrets, unicode and long values included', async () => {
    const long = 'x'.repeat(8 * 1024);
    await store.set('plain', 'value');
    await store.set('unicode', 'clé ✓ 秘密');
    await store.set('long', long);
    expect(await store.get('plain')).toBe('value');
    expect(await store.get('unicode')).toBe('clé ✓ 秘密');
    expect(await store.get('long')).toBe(long);
    await store.set('plain', 'replaced');
    expect(await store.get('plain')).toBe('replaced');
    for (const account of ['plain', 'unicode', 'long'])
      expect(await store.delete(account)).toBe(true);
  });

  it('answers null for a missing item and false when deleting one', async () => {
    expect(await store.get('never-stored')).toBeNull();
    expect(await store.delete('never-stored')).toBe(false);
  });

  it('passes the start-up check', async () => {
    await expect(checkSecretStore(store)).resolves.toBeUndefined();
  });

  it('fails with a helpful message, not a hang, when the session bus is gone', async () => {
    // keytar binds to the bus when it loads, so this runs in a fresh process: the built CLI.
    const child = await runCli(['token'], {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
      ROLECALL_HOME: '/tmp/rolecall-no-bus',
    });
    expect(child.code).toBe(1);
    expect(child.stderr).toContain('The OS keychain is not usable');
    expect(child.stderr).toContain('DBUS_SESSION_BUS_ADDRESS is set, but nothing answers there');
  });
});
