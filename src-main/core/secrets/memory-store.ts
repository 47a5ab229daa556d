import { SecretStoreError, type SecretStore } from './secret-store';

export interface MemoryStore extends SecretStore {
  /** Every item, for assertions. */
  readonly items: Map<string, string>;
  /** Makes every call fail like an unreachable or locked keychain (null to heal). */
  failWith(message: string | null): void;
}

/** The SecretStore's in-memory twin for unit tests. */
export function createMemoryStore(initial: Record<string, string> = {}): MemoryStore {
  const items = new Map(Object.entries(initial));
  let failure: string | null = null;
  const check = () => {
    if (failure !== null) throw new SecretStoreError(failure);
  };
  return {
    items,
    failWith(message) {
      failure = message;
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
