import { describe, expect, it } from 'vitest';
import type { EntryView, Snapshot, TokenView } from '../../../src-shared/snapshot';
import type { SsoSessionView } from '../../../src-shared/sso-session';
import {
  entryView,
  mfaQuestion,
  signInQuestion,
  tokenView,
} from '../../../src-shared/testing/views';
import { notificationsDue } from './notifications';

const MINUTE = 60_000;
const expiresAt = Date.parse('2026-01-01T12:00:00Z');

function entry(overrides: Partial<EntryView> = {}): EntryView {
  return entryView('pushed', {
    expiresAt: new Date(expiresAt).toISOString(),
    refreshable: false,
    ...overrides,
  });
}
const snapshot = (...entries: EntryView[]): Snapshot => ({
  defaultProfile: null,
  slots: [],
  entries,
});

/** Runs the model minute by minute over a window, keeping `sent` like the adapter does. */
function timeline(
  input: { snapshot: Snapshot; sessions?: SsoSessionView[] },
  fromMinutes: number,
  toMinutes: number,
) {
  let sent = new Set<string>();
  const shown: Array<[number, string]> = [];
  for (let minute = fromMinutes; minute <= toMinutes; minute += 1) {
    const result = notificationsDue({
      ...input,
      sessions: input.sessions ?? [],
      now: expiresAt + minute * MINUTE,
      sent,
    });
    sent = result.sent;
    for (const notice of result.notices) shown.push([minute, notice.title]);
  }
  return shown;
}

describe('notificationsDue', () => {
  it('warns 15 and 2 minutes before unrenewable credentials expire, then once when they have', () => {
    expect(timeline({ snapshot: snapshot(entry()) }, -30, 10)).toEqual([
      [-15, 'pushed expires in 15m 00s'],
      [-2, 'pushed expires in 2m 00s'],
      [0, 'pushed has expired'],
    ]);
  });

  it('says nothing about credentials that renew themselves', () => {
    expect(timeline({ snapshot: snapshot(entry({ refreshable: true })) }, -30, -1)).toEqual([]);
  });

  it('shows only the most urgent warning when several thresholds were crossed at once', () => {
    const result = notificationsDue({
      snapshot: snapshot(entry()),
      sessions: [],
      now: expiresAt - MINUTE,
      sent: new Set(),
    });
    expect(result.notices.map((notice) => notice.title)).toEqual(['pushed expires in 1m 00s']);
    const later = notificationsDue({
      snapshot: snapshot(entry()),
      sessions: [],
      now: expiresAt - 30_000,
      sent: result.sent,
    });
    expect(later.notices).toEqual([]);
  });

  it('tells once when renewal keeps failing, and warns before the grace runs out', () => {
    const failing = entry({
      refreshable: true,
      state: 'stale',
      lastError: 'credential_process for profile dev exited with code 1.',
    });
    const shown = timeline({ snapshot: snapshot(failing) }, -20, -1);
    expect(shown).toEqual([
      [-20, 'Renewing pushed is failing'],
      [-15, 'pushed expires in 15m 00s'],
      [-2, 'pushed expires in 2m 00s'],
    ]);
  });

  it('warns before an SSO sign-in ends and offers to sign in again, then says it ended', () => {
    const sessions: SsoSessionView[] = [
      {
        name: 'corp',
        startUrl: 'https://corp/start',
        region: 'eu-west-1',
        signedIn: true,
        expiresAt: new Date(expiresAt).toISOString(),
      },
    ];
    expect(timeline({ snapshot: snapshot(), sessions }, -16, 1)).toEqual([
      [-15, 'corp sign-in ends in 15m 00s'],
      [-2, 'corp sign-in ends in 2m 00s'],
      [0, 'Signed out of corp'],
    ]);
    const result = notificationsDue({
      snapshot: snapshot(),
      sessions,
      now: expiresAt - 10 * MINUTE,
      sent: new Set(),
    });
    expect(result.notices[0]?.action).toEqual({ kind: 'sign-in', session: 'corp' });
  });

  it('warns again for new credentials after a renewal (a new expiry is a new announcement)', () => {
    const sent = notificationsDue({
      snapshot: snapshot(entry()),
      sessions: [],
      now: expiresAt - 14 * MINUTE,
      sent: new Set(),
    }).sent;
    const renewed = entry({ expiresAt: new Date(expiresAt + 60 * MINUTE).toISOString() });
    const result = notificationsDue({
      snapshot: snapshot(renewed),
      sessions: [],
      now: expiresAt + 46 * MINUTE,
      sent,
    });
    expect(result.notices.map((notice) => notice.title)).toEqual(['pushed expires in 14m 00s']);
  });
});

describe('notificationsDue for questions', () => {
  const now = expiresAt - 60 * MINUTE;
  const mfa = mfaQuestion({ waiting: ['base', 'admin'], since: '2026-01-01T10:59:00.000Z' });
  const signIn = signInQuestion({ waiting: ['dev'], since: '2026-01-01T10:59:30.000Z' });
  const asking = (...inputRequests: Snapshot['inputRequests'] & object): Snapshot => ({
    ...snapshot(entry({ profile: 'base', state: 'needs-input', refreshable: true })),
    inputRequests,
  });

  it('announces an MFA question once, and its click opens the window on its dialog', () => {
    const first = notificationsDue({ snapshot: asking(mfa), sessions: [], now, sent: new Set() });
    expect(first.notices).toEqual([
      {
        key: `question:${mfa.key}:${mfa.since}`,
        title: 'MFA code needed for base and admin',
        body: 'Rolecall needs a code from arn:aws:iam::123456789012:mfa/alice to renew. Click to enter it.',
        action: { kind: 'answer', key: mfa.key },
      },
    ]);
    const again = notificationsDue({ snapshot: asking(mfa), sessions: [], now, sent: first.sent });
    expect(again.notices).toEqual([]);
    // Asked anew (answered, then needed again at the next renewal): announced anew.
    const later = { ...mfa, since: '2026-01-01T11:30:00.000Z' };
    expect(
      notificationsDue({ snapshot: asking(later), sessions: [], now, sent: again.sent }).notices,
    ).toHaveLength(1);
  });

  it('asks for a new password in its own words', () => {
    const newPassword = mfaQuestion({
      key: 'cognito-new-password:eu-west-1_X/alice',
      kind: 'new-password',
      prompt:
        'Amazon Cognito requires a new password for alice in Cognito user pool eu-west-1_X; choose one',
      waiting: ['app'],
    });
    delete newPassword.mfaSerial;
    const { notices } = notificationsDue({
      snapshot: asking(newPassword),
      sessions: [],
      now,
      sent: new Set(),
    });
    expect(notices).toEqual([
      {
        key: `question:${newPassword.key}:${newPassword.since}`,
        title: 'New password needed for app',
        body: 'Amazon Cognito requires a new password for alice in Cognito user pool eu-west-1_X; choose one. Click to choose it.',
        action: { kind: 'answer', key: newPassword.key },
      },
    ]);
  });

  it('offers a sign-in for an ended session, instead of a second "signed out" notice', () => {
    const ended: SsoSessionView = {
      name: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      region: 'eu-west-1',
      signedIn: false,
      expiresAt: new Date(now - MINUTE).toISOString(),
    };
    const { notices } = notificationsDue({
      snapshot: asking(signIn),
      sessions: [ended],
      now,
      sent: new Set(),
    });
    expect(notices).toEqual([
      {
        key: `question:sso:corp:${signIn.since}`,
        title: 'Sign in again to corp',
        body: 'The IAM Identity Center session has ended, and dev waits for a new sign-in. Click to sign in again.',
        action: { kind: 'sign-in', session: 'corp' },
      },
    ]);
  });

  it('warns before credentials that wait for an answer expire', () => {
    const waiting: Snapshot = {
      ...snapshot(entry({ profile: 'base', state: 'needs-input', refreshable: true })),
    };
    expect(timeline({ snapshot: waiting }, -16, -14)).toEqual([[-15, 'base expires in 15m 00s']]);
    const [notice] = notificationsDue({
      snapshot: waiting,
      sessions: [],
      now: expiresAt - 15 * MINUTE,
      sent: new Set(),
    }).notices;
    expect(notice?.body).toBe('Its renewal waits for an answer from you; click to give it.');
  });
});

describe('notificationsDue for bearer tokens', () => {
  const refused = 'The issuer refused the refresh token (invalid_grant); give a new one.';
  const withToken = (more: Partial<TokenView>): Snapshot => ({
    ...snapshot(),
    tokens: [tokenView('api', { expiresAt: new Date(expiresAt).toISOString(), ...more })],
  });

  it('warns before a token that cannot be renewed runs out, then once when it has', () => {
    const stopped = withToken({ state: 'needs-input', renewable: false, lastError: refused });
    expect(timeline({ snapshot: stopped }, -30, 10)).toEqual([
      [-15, 'Token api expires in 15m 00s'],
      [-2, 'Token api expires in 2m 00s'],
      [0, 'Token api has expired'],
    ]);
    const [notice] = notificationsDue({
      snapshot: stopped,
      sessions: [],
      now: expiresAt - 15 * MINUTE,
      sent: new Set(),
    }).notices;
    expect(notice).toMatchObject({
      body: `It cannot be renewed: ${refused}`,
      action: { kind: 'open-window' },
    });
  });

  it('says nothing about a token that renews by itself', () => {
    expect(timeline({ snapshot: withToken({}) }, -30, 10)).toEqual([]);
  });
});
