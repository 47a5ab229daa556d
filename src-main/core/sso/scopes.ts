import type { SsoSessionRef } from './types';

/** What the AWS CLI asks for; a sso-session may add its own `sso_registration_scopes`. */
export const DEFAULT_SCOPES = ['sso:account:access'];

export function scopesOf(session: SsoSessionRef): string[] {
  return session.name && session.registrationScopes?.length
    ? session.registrationScopes
    : DEFAULT_SCOPES;
}
