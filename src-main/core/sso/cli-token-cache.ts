import { readFile, rm } from 'node:fs/promises';
import { parseJsonAs } from '../parse-json';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { writePrivateFile } from '../runtime/private-file';
import { sessionCacheKey } from './session-key';
import type { SsoSessionRef, SsoToken } from './types';

/**
 * The AWS CLI's SSO token cache, `~/.aws/sso/cache/<sha1>.json`, which `aws sso login` writes and
 * every AWS SDK's SSO provider reads. Rolecall reads it (a login done with the AWS CLI works in
 * Rolecall) and mirrors its own sign-ins into it (so the AWS CLI and SDKs work after
 * `rolecall login`).
 *
 * What Rolecall writes is only what a client needs while the token is valid — start URL, region,
 * access token, expiry. Refresh tokens and client secrets stay in the keychain, never in this
 * plaintext file.
 */
export function cliTokenCacheDir(): string {
  return join(homedir(), '.aws', 'sso', 'cache');
}

export function cliTokenCachePath(
  session: Pick<SsoSessionRef, 'name' | 'startUrl'>,
  dir = cliTokenCacheDir(),
): string {
  return join(dir, `${sessionCacheKey(session)}.json`);
}

const cacheFileSchema = z.object({
  startUrl: z.string().optional(),
  region: z.string().optional(),
  accessToken: z.string().min(1),
  expiresAt: z.string(),
  refreshToken: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  registrationExpiresAt: z.string().optional(),
});

/** The token the AWS CLI left for this session, or null when there is none or it is unreadable. */
export async function readCliToken(
  session: SsoSessionRef,
  dir = cliTokenCacheDir(),
): Promise<SsoToken | null> {
  let text: string;
  try {
    text = await readFile(cliTokenCachePath(session, dir), 'utf8');
  } catch {
    return null;
  }
  const file = parseJsonAs(cacheFileSchema, text);
  if (!file) return null;
  const expiresAt = Date.parse(file.expiresAt);
  if (Number.isNaN(expiresAt)) return null;
  const token: SsoToken = {
    accessToken: file.accessToken,
    expiresAt,
    startUrl: file.startUrl ?? session.startUrl,
    region: file.region ?? session.region,
  };
  if (file.refreshToken) token.refreshToken = file.refreshToken;
  if (file.clientId && file.clientSecret && file.registrationExpiresAt) {
    const registrationExpiresAt = Date.parse(file.registrationExpiresAt);
    if (!Number.isNaN(registrationExpiresAt)) {
      token.registration = {
        clientId: file.clientId,
        clientSecret: file.clientSecret,
        expiresAt: registrationExpiresAt,
      };
    }
  }
  return token;
}

/** Writes the access token, in the AWS CLI's format, for the CLI and SDKs to use. */
export async function writeCliToken(
  session: SsoSessionRef,
  token: SsoToken,
  dir = cliTokenCacheDir(),
): Promise<void> {
  const file = {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: token.accessToken,
    // The AWS CLI writes UTC without milliseconds; every SDK parses that form.
    expiresAt: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  await writePrivateFile(cliTokenCachePath(session, dir), `${JSON.stringify(file, null, 2)}\n`);
}

export async function removeCliToken(
  session: SsoSessionRef,
  dir = cliTokenCacheDir(),
): Promise<void> {
  await rm(cliTokenCachePath(session, dir), { force: true });
}
