import { SecretStoreError } from './secret-store';

/**
 * Turns what keytar (libsecret, macOS Security, Windows Credential Manager) throws into a
 * sentence a user can act on. The raw error stays attached as `cause` for debugging.
 */
export function explainKeychainError(
  error: unknown,
  context: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {},
): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const platform = context.platform ?? process.platform;
  const env = context.env ?? process.env;
  const raw = error instanceof Error ? error.message : String(error);
  return new SecretStoreError(`The OS keychain is not usable: ${reasonFor(raw, platform, env)}`, {
    cause: error,
  });
}

function reasonFor(raw: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'darwin') {
    return `${raw}. Unlock your login keychain (Keychain Access) and allow Rolecall to use it.`;
  }
  if (platform === 'win32')
    return `${raw}. Check that Windows Credential Manager is available to your account.`;

  const linuxFix =
    'Rolecall keeps secrets in a Secret Service (gnome-keyring or KWallet) on the D-Bus session bus. ' +
    'Install one (Debian/Ubuntu: `apt install gnome-keyring`), make sure it runs and is unlocked in your session';
  if (/locked/i.test(raw)) {
    return 'the keyring is locked. Unlock it (e.g. log in to the desktop, or `gnome-keyring-daemon --unlock`) and try again.';
  }
  if (
    /cannot autolaunch|\$DISPLAY|DBUS_SESSION_BUS_ADDRESS|could not connect/i.test(raw) ||
    !env.DBUS_SESSION_BUS_ADDRESS
  ) {
    return `no D-Bus session bus is reachable (DBUS_SESSION_BUS_ADDRESS is ${env.DBUS_SESSION_BUS_ADDRESS ? 'set, but nothing answers there' : 'unset'}). ${linuxFix}; on a headless machine start one with \`dbus-run-session\`.`;
  }
  if (
    /org\.freedesktop\.secrets|ServiceUnknown|was not provided by any \.service files/i.test(raw)
  ) {
    return `no Secret Service answers on the session bus. ${linuxFix}.`;
  }
  if (/libsecret|cannot open shared object|keytar\.node|Cannot find module/i.test(raw)) {
    return `the keychain module could not load (${raw}). Install libsecret (Debian/Ubuntu: \`apt install libsecret-1-0\`) and reinstall Rolecall.`;
  }
  if (/timed out/i.test(raw)) return `${raw}. ${linuxFix}.`;
  return `${raw}. ${linuxFix}.`;
}
