import { z } from 'zod';
import { tokenDefinitionBaseSchema } from '../tokens/token-definitions';

export const OAUTH_KIND = 'oauth2';

/**
 * An OAuth2 token's definition as kept in tokens.json: where and how to ask, never the secrets.
 * `grant` says which secret the keychain holds: a client secret (client credentials), or a
 * refresh token (with a client secret too when the client is confidential).
 */
export const oauthDefinitionSchema = tokenDefinitionBaseSchema.extend({
  kind: z.literal(OAUTH_KIND),
  tokenUrl: z.string().url(),
  clientId: z.string().min(1),
  grant: z.enum(['client_credentials', 'refresh_token']),
  auth: z.enum(['basic', 'post']).default('basic'),
  scopes: z.array(z.string().min(1)).default([]),
  audience: z.string().min(1).optional(),
  params: z.record(z.string(), z.string()).default({}),
});

export type OAuthDefinition = z.infer<typeof oauthDefinitionSchema>;

/** Why a token URL will not do, or null: https, or http only to this machine. */
export function tokenUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  if (parsed.username || parsed.password) return 'it must not hold a user name or password';
  if (parsed.protocol === 'https:') return null;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback) return null;
  return 'it must use https (plain http only to localhost), because a client secret is sent to it';
}
