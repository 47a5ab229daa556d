import type { InputRequestView } from '../input-request';
import type { EntryView, TokenView } from '../snapshot';

/**
 * Views of the broker as every door receives them, for the tests of those doors (the CLI, the
 * window, the tray, the shared wording): one entry builder and two sample questions, each test
 * overriding only what it is about.
 */

/** An entry with nothing held and nothing planned; `more` says what the test is about. */
export function entryView(profile: string, more: Partial<EntryView> = {}): EntryView {
  return {
    profile,
    state: 'fresh',
    expiresAt: null,
    refreshedAt: null,
    nextRefreshAt: null,
    lastError: null,
    refreshCount: 1,
    refreshable: true,
    ...more,
  };
}

/** A renewing OAuth2 token with nothing held; `more` says what the test is about. */
export function tokenView(name: string, more: Partial<TokenView> = {}): TokenView {
  return {
    name,
    description: 'OAuth2 refresh token',
    state: 'fresh',
    expiresAt: null,
    refreshedAt: null,
    nextRefreshAt: null,
    lastError: null,
    lazy: false,
    renewable: true,
    ...more,
  };
}

export const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/alice';

/** The MFA code of alice's device, asked for base. */
export function mfaQuestion(more: Partial<InputRequestView> = {}): InputRequestView {
  return {
    key: `mfa:${MFA_SERIAL}`,
    kind: 'mfa-code',
    prompt: `Enter the MFA code of ${MFA_SERIAL}`,
    mfaSerial: MFA_SERIAL,
    waiting: ['base'],
    since: '2026-01-01T12:00:00.000Z',
    ...more,
  };
}

/** A new sign-in to the IAM Identity Center session corp, asked for dev and ops. */
export function signInQuestion(more: Partial<InputRequestView> = {}): InputRequestView {
  return {
    key: 'sso:corp',
    kind: 'sign-in',
    prompt: 'Sign in again to corp',
    ssoSession: 'corp',
    waiting: ['dev', 'ops'],
    since: '2026-01-01T12:01:00.000Z',
    ...more,
  };
}
