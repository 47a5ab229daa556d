import { describe, expect, it } from 'vitest';
import { explainKeychainError } from './keychain-errors';
import { SecretStoreError } from './secret-store';

const linux = (
  raw: string,
  env: NodeJS.ProcessEnv = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/bus' },
) => explainKeychainError(new Error(raw), { platform: 'linux', env });

describe('explainKeychainError', () => {
  it('says there is no session bus, and how to get one', () => {
    const error = linux('Cannot autolaunch D-Bus without X11 $DISPLAY', {});
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.status).toBe(503);
    expect(error.message).toContain(
      'no D-Bus session bus is reachable (DBUS_SESSION_BUS_ADDRESS is unset)',
    );
    expect(error.message).toContain('apt install gnome-keyring');
    expect(error.message).toContain('dbus-run-session');
  });

  it('says no Secret Service answers when the bus has none', () => {
    const error = linux('The name org.freedesktop.secrets was not provided by any .service files');
    expect(error.message).toContain('no Secret Service answers on the session bus');
  });

  it('says the keyring is locked', () => {
    expect(linux('Cannot create an item in a locked collection').message).toContain(
      'the keyring is locked. Unlock it',
    );
  });

  it('names libsecret when the native module cannot load', () => {
    const error = linux(
      'libsecret-1.so.0: cannot open shared object file: No such file or directory',
    );
    expect(error.message).toContain('apt install libsecret-1-0');
  });

  it('keeps the raw error as the cause and passes SecretStoreErrors through', () => {
    const raw = new Error('boom');
    const error = explainKeychainError(raw, { platform: 'darwin' });
    expect(error.cause).toBe(raw);
    expect(error.message).toContain('Unlock your login keychain');
    expect(explainKeychainError(error)).toBe(error);
  });
});

describe('explainKeychainError with a dead bus address', () => {
  it('says the address is set but nothing answers', () => {
    const error = explainKeychainError(new Error('Could not connect: No such file or directory'), {
      platform: 'linux',
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    });
    expect(error.message).toContain('DBUS_SESSION_BUS_ADDRESS is set, but nothing answers there');
  });
});
