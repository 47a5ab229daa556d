import { createHash } from 'node:crypto';
import type { SsoSessionRef } from './types';

/**
 * The name the AWS CLI and SDKs give a session's token cache file: the SHA-1 of the sso-session
 * name, or of the start URL for legacy profiles. Rolecall keys its keychain items the same way,
 * so one session means one token everywhere.
 */
export function sessionCacheKey(session: Pick<SsoSessionRef, 'name' | 'startUrl'>): string {
  return createHash('sha1')
    .update(session.name ?? session.startUrl)
    .digest('hex');
}

/** How a session is named to a user: its sso-session name, or its start URL. */
export function sessionLabel(session: Pick<SsoSessionRef, 'name' | 'startUrl'>): string {
  return session.name ?? session.startUrl;
}
