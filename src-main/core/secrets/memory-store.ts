import { explainKeychainError } from './keychain-errors';
import { SecretStoreError, type SecretStore } from './secret-store';

export interface MemoryStore extends SecretStore {
  /** Every item, for assertions. */
  readonly items: Map<string, string>;
  /**
   * Makes every call fail like an unusable keychain: with no argument, like a locked Linux
   * keyring (the real message); with a string, with that message; null heals it.
   */
  failWith(message?: string | null): void;
}

/** The SecretStore's in-memory twin for unit tests. */
export function createMemoryStore(initial: Record<string, string> = {}): MemoryStore {
  const items = new Map(Object.entries(initial));
  let failure: SecretStoreError | null = null;
  const check = () => {
    if (failure) throw failure;
  };
  return {
    items,
    failWith(message) {
      failure =
        message === null
          ? null
          : message === undefined
            ? explainKeychainError(new Error('Cannot create an item in a locked collection'), {
                platform: 'linux',
              })
            : new SecretStoreError(message);
    },
    async get(account) {
      check();
      return items.get(account) ?? null;
    },
    async set(account, secret) {
      check();
      items.set(account, secret);
    },
    async delete(account) {
      check();
      return items.delete(account);
    },
  };
}
