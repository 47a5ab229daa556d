import { z } from 'zod';
import { RolecallError } from '../errors';
import { parseJsonAs } from '../parse-json';
import type { SecretStore } from '../secrets/secret-store';
import type { TokenSet } from '../tokens/token-source';

/**
 * One keychain item per token holds everything secret about it: the client secret, the refresh
 * token, and the last access token (so a restart or another process serves it without asking the
 * issuer again). One item, so a rotated refresh token and the access token it bought are written
 * in one step.
 */
export interface OAuthSecrets {
  clientSecret?: string;
  refreshToken?: string;
  token?: { set: TokenSet; obtainedAt: number };
}

const tokenSetSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  expiresAt: z.number().optional(),
  scope: z.string().optional(),
  idToken: z.string().optional(),
});

const itemSchema = z.object({
  version: z.literal(1),
  clientSecret: z.string().optional(),
  refreshToken: z.string().optional(),
  token: z.object({ set: tokenSetSchema, obtainedAt: z.number() }).optional(),
});

/** Item names of this kind start with their own word, as every kind's do (see key-store.ts). */
export function oauthAccount(name: string): string {
  return `oauth-token/${name}`;
}

export async function readOAuthSecrets(secrets: SecretStore, name: string): Promise<OAuthSecrets> {
  const text = await secrets.get(oauthAccount(name));
  if (text === null) return {};
  const item = parseJsonAs(itemSchema, text);
  if (item === null) {
    throw new RolecallError(
      'oauth-item-damaged',
      `The keychain item holding the secrets of token ${name} is damaged; add the token again with \`rolecall oauth add ${name} ...\`.`,
      500,
    );
  }
  const { version: _version, ...held } = item;
  return held as OAuthSecrets;
}

export async function writeOAuthSecrets(
  secrets: SecretStore,
  name: string,
  held: OAuthSecrets,
): Promise<void> {
  await secrets.set(oauthAccount(name), JSON.stringify({ version: 1, ...held }));
}
