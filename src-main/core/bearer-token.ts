import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secrets/secret-store';

export const BEARER_TOKEN_ACCOUNT = 'bearer-token';

/** 32 random bytes = 256 bits, base64url so it needs no quoting in any shell. */
const TOKEN_BYTES = 32;

export function generateBearerToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The server's bearer token, created on first start and kept only in the keychain. */
export async function getOrCreateBearerToken(store: SecretStore): Promise<string> {
  const existing = await store.get(BEARER_TOKEN_ACCOUNT);
  if (existing) return existing;
  const token = generateBearerToken();
  await store.set(BEARER_TOKEN_ACCOUNT, token);
  return token;
}
