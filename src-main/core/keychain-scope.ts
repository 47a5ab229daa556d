import { nodeCrypto } from './node-crypto';
import type { SecretStore } from './secrets/secret-store';

/**
 * Two Rolecalls with different ROLECALL_HOMEs (a test run, a second profile of the app) must not
 * share keychain items, or one would serve — or delete — the other's credentials. Items of the
 * default home keep plain names; any other home prefixes them with a short hash of its path.
 */
export function keychainScope(home: string, defaultHome: string): string {
  if (home === defaultHome) return '';
  return `home-${nodeCrypto().createHash('sha256').update(home).digest('hex').slice(0, 12)}/`;
}

export function scopedSecretStore(store: SecretStore, scope: string): SecretStore {
  if (scope === '') return store;
  return {
    get: (account) => store.get(scope + account),
    set: (account, secret) => store.set(scope + account, secret),
    delete: (account) => store.delete(scope + account),
  };
}
