import { resolve } from 'node:path';
import { CLI } from './rolecall-process';

const WITH_KEYRING = resolve(__dirname, '../../scripts/with-keyring.mjs');
/** Locks the login collection of the Secret Service on the session bus. */
const LOCK_LOGIN_KEYRING =
  'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets ' +
  'org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null';

/**
 * How to run `script` (sh, with node as "$0" and the CLI as "$1") against a keyring of its own
 * whose login collection is locked first — so the keyring the other tests share stays unlocked:
 * node's arguments, and `env` without a session bus, so with-keyring starts a private one.
 */
export function withLockedKeyring(
  script: string,
  env: NodeJS.ProcessEnv,
): { args: string[]; env: NodeJS.ProcessEnv } {
  const own = { ...env };
  delete own.DBUS_SESSION_BUS_ADDRESS;
  return {
    args: [WITH_KEYRING, 'sh', '-c', `${LOCK_LOGIN_KEYRING} && ${script}`, process.execPath, CLI],
    env: own,
  };
}
