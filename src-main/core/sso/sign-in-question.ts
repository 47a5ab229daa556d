import type { Question } from '../../../src-shared/input-request';
import { sessionLabel } from './session-key';
import type { SsoSessionRef } from './types';

/**
 * The key of "sign in again to this session": one question per session, however many profiles
 * (twenty slots on one session) wait on it. Keyed by the name the user knows the session by, as
 * every door shows it.
 */
export function signInQuestionKey(session: Pick<SsoSessionRef, 'name' | 'startUrl'>): string {
  return `sso:${sessionLabel(session)}`;
}

/** What an SSO role source asks when the session's sign-in is gone or refused. */
export function signInQuestion(session: SsoSessionRef, retryReason?: string): Question {
  const label = sessionLabel(session);
  return {
    key: signInQuestionKey(session),
    kind: 'sign-in',
    prompt: `Sign in again to the IAM Identity Center session ${label}.`,
    ssoSession: label,
    ...(retryReason ? { retryReason } : {}),
  };
}
