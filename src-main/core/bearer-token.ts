import { nodeCrypto } from './node-crypto';
import type { SecretStore } from './secrets/secret-store';

export const BEARER_TOKEN_ACCOUNT = 'bearer-token';

/** 32 random bytes = 256 bits, base64url so it needs no quoting in any shell. */
const TOKEN_BYTES = 32;

export function generateBearerToken(): string {
  return nodeCrypto().randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The server's bearer token, created on first start and kept only in the keychain. */
export async function getOrCreateBearerToken(store: SecretStore): Promise<string> {
  const existing = await store.get(BEARER_TOKEN_ACCOUNT);
  if (existing) return existing;
  const token = generateBearerToken();
  await store.set(BEARER_TOKEN_ACCOUNT, token);
  return token;
}

/** `store`, answering reads of the bearer token with `token`: one keychain read serves a command. */
export function withBearerToken(store: SecretStore, token: string): SecretStore {
  return {
    get: (account) =>
      account === BEARER_TOKEN_ACCOUNT ? Promise.resolve(token) : store.get(account),
    set: (account, secret) => store.set(account, secret),
    delete: (account) => store.delete(account),
  };
}

/** The token a running server checks against, and the way to replace it. */
export interface BearerToken {
  current(): string;
  /**
   * Replaces the token in the keychain and in the running server at once. Programs started with
   * the old one get 401 until they take the new exports: that is the point of rotating.
   */
  rotate(): Promise<string>;
}

export async function loadBearerToken(store: SecretStore): Promise<BearerToken> {
  let token = await getOrCreateBearerToken(store);
  return {
    current: () => token,
    async rotate() {
      const next = generateBearerToken();
      // Keychain first: if it refuses, the old token stays valid everywhere.
      await store.set(BEARER_TOKEN_ACCOUNT, next);
      token = next;
      return next;
    },
  };
}
