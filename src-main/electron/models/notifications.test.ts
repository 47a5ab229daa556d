import { describe, expect, it } from 'vitest';
import type { EntryView, Snapshot } from '../../../src-shared/snapshot';
import type { SsoSessionView } from '../../../src-shared/sso-session';
import { notificationsDue } from './notifications';

const MINUTE = 60_000;
const expiresAt = Date.parse('2026-01-01T12:00:00Z');

function entry(overrides: Partial<EntryView> = {}): EntryView {
  return {
    profile: 'pushed',
    state: 'fresh',
    expiresAt: new Date(expiresAt).toISOString(),
    refreshedAt: null,
    nextRefreshAt: null,
    lastError: null,
    refreshCount: 1,
    refreshable: false,
    ...overrides,
  };
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
