import { randomBytes } from 'node:crypto';
import { explainKeychainError } from './keychain-errors';
import { SecretStoreError, type SecretStore } from './secret-store';

type Keytar = typeof import('keytar');

/**
 * libsecret can wait a long time for a Secret Service that never answers (a bus with no keyring
 * on it); ten seconds is far beyond a healthy keychain's few milliseconds and short enough that
 * `rolecall serve` fails with a reason instead of appearing to hang.
 */
export const KEYCHAIN_TIMEOUT_MS = 10_000;

export const KEYCHAIN_SERVICE = 'rolecall';

/**
 * The SecretStore on the OS keychain, through keytar. keytar is loaded on first use, so a missing
 * native module becomes a clear SecretStoreError instead of a crash at start-up.
 */
export function createKeytarStore(
  service = KEYCHAIN_SERVICE,
  timeoutMs = KEYCHAIN_TIMEOUT_MS,
): SecretStore {
  let loaded: Promise<Keytar> | null = null;
  const keytar = (): Promise<Keytar> => {
    loaded ??= import('keytar').then(
      (module) => ((module as { default?: Keytar }).default ?? module) as Keytar,
      (error: unknown) => {
        loaded = null;
        throw error;
      },
    );
    return loaded;
  };

  async function call<T>(what: string, run: (k: Keytar) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the keychain did not answer within ${timeoutMs / 1000} s while trying to ${what}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([keytar().then(run), timeout]);
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

/** Proves the keychain works end to end (write, read back, delete) before anything relies on it. */
export async function checkSecretStore(store: SecretStore): Promise<void> {
  const probe = randomBytes(16).toString('hex');
  await store.set('probe', probe);
  const read = await store.get('probe');
  await store.delete('probe');
  if (read !== probe) {
    throw new SecretStoreError(
      'The OS keychain stored an item but gave back something else; it cannot be trusted with secrets.',
    );
  }
}
