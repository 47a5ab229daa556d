import { nodeCrypto } from '../node-crypto';
import { explainKeychainError, keychainTimeoutError } from './keychain-errors';
import { SecretStoreError, type SecretStore } from './secret-store';

/** The three keytar calls Rolecall uses (a fake in tests). */
export type Keytar = Pick<
  typeof import('keytar'),
  'getPassword' | 'setPassword' | 'deletePassword'
>;

/**
 * keytar can wait indefinitely: libsecret gives an unlock prompt no deadline, and a Secret Service
 * that owns its bus name but never replies costs 25 s per D-Bus call. A healthy keychain answers
 * in milliseconds; ten seconds is still enough to type a short keyring password, and short enough
 * that `rolecall serve` fails with a reason instead of appearing to hang.
 */
export const KEYCHAIN_TIMEOUT_MS = 10_000;

export const KEYCHAIN_SERVICE = 'rolecall';

/** The account `checkSecretStore` writes, reads back and deletes. */
export const PROBE_ACCOUNT = 'probe';

export interface KeytarStoreOptions {
  timeoutMs?: number;
  /** Loads keytar; tests pass a fake. */
  load?: () => Promise<Keytar>;
}

/**
 * keytar is CommonJS, and `require` loads it as such. A dynamic `import()` would start Node's ESM
 * loader first, which costs a command that reads one secret (credential-process) more than
 * keytar itself.
 */
function loadKeytar(): Promise<Keytar> {
  return Promise.resolve().then(
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    () => require('keytar') as Keytar,
  );
}

/**
 * The SecretStore on the OS keychain, through keytar. keytar is loaded on first use, so a missing
 * native module (or libsecret) becomes a SecretStoreError there instead of a crash at start-up.
 */
export function createKeytarStore(
  service = KEYCHAIN_SERVICE,
  { timeoutMs = KEYCHAIN_TIMEOUT_MS, load = loadKeytar }: KeytarStoreOptions = {},
): SecretStore {
  let loaded: Promise<Keytar> | undefined;
  // A call that timed out still occupies one of libuv's four threadpool threads (which file and
  // DNS work share). Until it returns, later calls fail at once rather than strand more threads.
  let stuck: SecretStoreError | undefined;

  const keytar = (): Promise<Keytar> =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined; // let a later call retry, e.g. once libsecret is installed
      throw explainKeychainError(error, { loading: true });
    }));

  async function call<T>(action: string, run: (module: Keytar) => Promise<T>): Promise<T> {
    if (stuck) throw stuck;
    const module = await keytar();
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = Promise.resolve().then(() => run(module));
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = keychainTimeoutError(action, timeoutMs);
          stuck = error;
          const release = () => {
            if (stuck === error) stuck = undefined;
          };
          pending.then(release, release);
          reject(error);
        }, timeoutMs);
      });
      return await Promise.race([pending, timeout]);
    } catch (error) {
      throw explainKeychainError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    get: (account) => call(`read ${account}`, (k) => k.getPassword(service, account)),
    set: (account, secret) =>
      call(`store ${account}`, (k) => k.setPassword(service, account, secret)),
    delete: (account) => call(`delete ${account}`, (k) => k.deletePassword(service, account)),
  };
}

/**
 * Proves the keychain works end to end before anything relies on it: writes a random probe,
 * reads it back and deletes it. Writing comes first because a locked gnome-keyring answers reads
 * with "nothing stored" rather than an error.
 */
export async function checkSecretStore(store: SecretStore): Promise<void> {
  const probe = nodeCrypto().randomBytes(16).toString('hex');
  await store.set(PROBE_ACCOUNT, probe);
  let readBack: string | null;
  try {
    readBack = await store.get(PROBE_ACCOUNT);
  } finally {
    await store.delete(PROBE_ACCOUNT);
  }
  if (readBack !== probe) {
    throw new SecretStoreError(
      'The OS keychain stored a test item but gave back something else, so Rolecall will not ' +
        'trust it with secrets. Check your keychain service (e.g. with `secret-tool`) and try again.',
    );
  }
}
