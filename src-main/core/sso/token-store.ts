import { z } from 'zod';
import { parseJsonAs } from '../parse-json';
import type { SecretStore } from '../secrets/secret-store';
import { cliTokenCacheDir, readCliToken, removeCliToken, writeCliToken } from './cli-token-cache';
import { sessionCacheKey } from './session-key';
import type { SsoSessionRef, SsoToken } from './types';

/**
 * Where a session's token lives. The keychain is the source of truth and holds everything,
 * refresh token and client secret included. The AWS CLI's cache file is read too (a newer token
 * from `aws sso login` wins and is imported), and — unless turned off — mirrored with the access
 * token alone, so the AWS CLI and SDKs share the sign-in.
 */
export interface SsoTokenStore {
  load(session: SsoSessionRef): Promise<SsoToken | null>;
  save(session: SsoSessionRef, token: SsoToken): Promise<void>;
  remove(session: SsoSessionRef): Promise<void>;
}

export interface SsoTokenStoreOptions {
  secrets: SecretStore;
  cliCacheDir?: string;
  /** Mirror sign-ins into the AWS CLI's cache (access token only). Default true. */
  mirrorToCliCache?: boolean;
}

const storedTokenSchema = z.object({
  accessToken: z.string().min(1),
  expiresAt: z.number(),
  refreshToken: z.string().optional(),
  registration: z
    .object({
      clientId: z.string(),
      clientSecret: z.string(),
      expiresAt: z.number(),
      scopes: z.array(z.string()).optional(),
    })
    .optional(),
  startUrl: z.string(),
  region: z.string(),
});

export function tokenAccount(session: SsoSessionRef): string {
  return `sso-token/${sessionCacheKey(session)}`;
}

export function createSsoTokenStore(options: SsoTokenStoreOptions): SsoTokenStore {
  const dir = options.cliCacheDir ?? cliTokenCacheDir();
  const mirror = options.mirrorToCliCache ?? true;

  async function fromKeychain(session: SsoSessionRef): Promise<SsoToken | null> {
    const text = await options.secrets.get(tokenAccount(session));
    return text ? (parseJsonAs(storedTokenSchema, text) as SsoToken | null) : null;
  }

  return {
    async load(session) {
      const [own, cli] = await Promise.all([fromKeychain(session), readCliToken(session, dir)]);
      if (cli && (!own || cli.expiresAt > own.expiresAt) && cli.accessToken !== own?.accessToken) {
        // A newer sign-in through the AWS CLI: adopt it, keeping our refresh material if the CLI's
        // file (as mirrored by Rolecall) carries none.
        const merged: SsoToken = {
          ...cli,
          ...(cli.refreshToken ? {} : own?.refreshToken ? { refreshToken: own.refreshToken } : {}),
          ...(cli.registration ? {} : own?.registration ? { registration: own.registration } : {}),
        };
        await options.secrets.set(tokenAccount(session), JSON.stringify(merged));
        return merged;
      }
      return own;
    },
    async save(session, token) {
      await options.secrets.set(tokenAccount(session), JSON.stringify(token));
      if (mirror) await writeCliToken(session, token, dir);
    },
    async remove(session) {
      await options.secrets.delete(tokenAccount(session));
      await removeCliToken(session, dir);
    },
  };
}
