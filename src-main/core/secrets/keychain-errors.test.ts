import { describe, expect, it } from 'vitest';
import { explainKeychainError, keychainTimeoutError } from './keychain-errors';
import { SecretStoreError } from './secret-store';

const bus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };
const linux = (raw: string, env: NodeJS.ProcessEnv = bus) =>
  explainKeychainError(new Error(raw), { platform: 'linux', env });

describe('explainKeychainError on Linux', () => {
  it('says there is no session bus when DBUS_SESSION_BUS_ADDRESS is unset', () => {
    const error = linux('Cannot autolaunch D-Bus without X11 $DISPLAY', {});
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error).toMatchObject({ code: 'keychain-unavailable', status: 503 });
    expect(error.message).toContain('no D-Bus session bus is reachable');
    expect(error.message).toContain('DBUS_SESSION_BUS_ADDRESS is unset');
    expect(error.message).toContain('apt install gnome-keyring');
  });

  it('says where it looked when the bus address leads nowhere', () => {
    const error = linux('Could not connect: No such file or directory', {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    });
    expect(error.message).toContain(
      'DBUS_SESSION_BUS_ADDRESS is set, but nothing answers at unix:path=/nonexistent',
    );
  });

  it('says no Secret Service runs when the bus has none', () => {
    const error = linux('The name org.freedesktop.secrets was not provided by any .service files');
    expect(error.message).toContain('no Secret Service answers on the D-Bus session bus');
    expect(error.message).toContain('gnome-keyring or KWallet');
  });

  it('says the keyring is locked and how to unlock it', () => {
    const error = linux('Cannot create an item in a locked collection');
    expect(error.message).toContain('the keyring is locked');
    expect(error.message).toContain('gnome-keyring-daemon --unlock');
  });

  it('says there is no default keyring when libsecret finds no login collection', () => {
    const error = linux(
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
    );
    expect(error.message).toContain('has no default keyring');
  });

  it('names libsecret when the native module cannot load', () => {
    const error = linux(
      '/app/node_modules/keytar/build/Release/keytar.node: libsecret-1.so.0: cannot open shared object file: No such file or directory',
      {},
    );
    expect(error.message).toContain('keychain module (keytar) could not be loaded');
    expect(error.message).toContain('apt install libsecret-1-0');
    expect(error.message).not.toContain('session bus is reachable');
  });

  it('quotes an unknown error and still says what Rolecall needs', () => {
    const error = linux('Something odd');
    expect(error.message).toContain('Something odd.');
    expect(error.message).toContain('must be running, unlocked and reachable');
  });
});

describe('explainKeychainError anywhere', () => {
  it('keeps the raw error as the cause and passes SecretStoreErrors through', () => {
    const raw = new Error('The user name or passphrase you entered is not correct.');
    const error = explainKeychainError(raw, { platform: 'darwin' });
    expect(error.cause).toBe(raw);
    expect(error.message).toContain('Unlock your login keychain');
    expect(explainKeychainError(error)).toBe(error);
  });

  it('has short generic wording on Windows and for a load failure there', () => {
    expect(
      explainKeychainError(new Error('Element not found.'), { platform: 'win32' }).message,
    ).toContain('Windows Credential Manager');
    const load = explainKeychainError(new Error("Cannot find module 'keytar'"), {
      platform: 'win32',
      loading: true,
    });
    expect(load.message).toContain('Reinstall Rolecall');
  });

  it('explains a timeout, mentioning a prompt that may be waiting', () => {
    const error = keychainTimeoutError('read bearer-token', 10_000);
    expect(error.message).toContain('did not answer within 10 s (trying to read bearer-token)');
    expect(error.message).toContain('unlock prompt');
  });
});
