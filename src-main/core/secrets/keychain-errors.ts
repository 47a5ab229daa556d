import { SecretStoreError } from './secret-store';

export interface KeychainErrorContext {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** The failure came from loading keytar's native module, not from a keychain call. */
  loading?: boolean;
}

const LINUX_SETUP =
  'Rolecall keeps secrets in a Secret Service (gnome-keyring or KWallet) that must be running, ' +
  'unlocked and reachable on the D-Bus session bus (Debian/Ubuntu: `apt install gnome-keyring`; ' +
  'on a headless machine or in a container run Rolecall under `dbus-run-session` with ' +
  '`gnome-keyring-daemon --unlock` started).';

/**
 * Turns what keytar (libsecret, macOS Security, Windows Credential Manager) throws into a
 * sentence a user can act on. The raw error stays attached as `cause`. keytar's errors come from
 * the OS and never echo the secret, so quoting them where they help is safe.
 */
export function explainKeychainError(
  error: unknown,
  context: KeychainErrorContext = {},
): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const platform = context.platform ?? process.platform;
  const reason =
    context.loading ||
    /cannot open shared object|keytar\.node|Cannot find (module|package)/i.test(raw)
      ? loadFailure(raw, platform)
      : platform === 'linux'
        ? linuxReason(raw, context.env ?? process.env)
        : `${raw}. ${platform === 'darwin' ? 'Unlock your login keychain (Keychain Access) and allow Rolecall to use it' : 'Check that Windows Credential Manager is available to your account'}, then try again.`;
  return new SecretStoreError(`The OS keychain is not usable: ${reason}`, { cause: error });
}

/** A keychain call that never came back (see KEYCHAIN_TIMEOUT_MS in keytar-store.ts). */
export function keychainTimeoutError(action: string, timeoutMs: number): SecretStoreError {
  return new SecretStoreError(
    `The OS keychain did not answer within ${timeoutMs / 1000} s (trying to ${action}). ` +
      'If a keyring unlock prompt is open, answer it and try again; otherwise the keychain service ' +
      'is stuck: restart it (or your session) and try again.',
  );
}

function loadFailure(raw: string, platform: NodeJS.Platform): string {
  const fix =
    platform === 'linux' && /libsecret|cannot open shared object/i.test(raw)
      ? 'Install libsecret (Debian/Ubuntu: `apt install libsecret-1-0`) and start Rolecall again.'
      : 'Reinstall Rolecall (from source: `npm rebuild keytar`).';
  return `Rolecall's keychain module (keytar) could not be loaded: ${raw}. ${fix}`;
}

function linuxReason(raw: string, env: NodeJS.ProcessEnv): string {
  if (/locked/i.test(raw)) {
    return (
      'the keyring is locked. Unlock it (log in to your desktop session or answer its unlock ' +
      'prompt; headless: `gnome-keyring-daemon --unlock` with the password on stdin) and try again.'
    );
  }
  if (/Object does not exist at path .*collection|No such .*collection/i.test(raw)) {
    return (
      'the Secret Service has no default keyring, and creating one needs a password prompt that ' +
      'could not be shown. Create it by logging in to a desktop session once, or headless with ' +
      `\`gnome-keyring-daemon --unlock\` and a new password on stdin. ${LINUX_SETUP}`
    );
  }
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (/autolaunch|\$DISPLAY|Could not connect|DBUS_SESSION_BUS_ADDRESS/i.test(raw)) {
    const where = address
      ? `DBUS_SESSION_BUS_ADDRESS is set, but nothing answers at ${address}`
      : 'DBUS_SESSION_BUS_ADDRESS is unset';
    return `no D-Bus session bus is reachable (${where}). ${LINUX_SETUP}`;
  }
  if (/org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service files/i.test(raw)) {
    return `no Secret Service answers on the D-Bus session bus. ${LINUX_SETUP}`;
  }
  return `${raw}. ${LINUX_SETUP}`;
}
