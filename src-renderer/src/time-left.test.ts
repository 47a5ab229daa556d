import { describe, expect, it } from 'vitest';
import type { EntryView, TokenView } from '../../src-shared/snapshot';
import { cannotRenewBecause, timeLeft, tokenTimeLeft } from './time-left';

const T0 = Date.parse('2026-01-01T12:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** Fetched at T0, an hour's credentials, renewal planned 20 minutes before the end. */
function entry(overrides: Partial<EntryView> = {}): EntryView {
  return {
    profile: 'dev',
    state: 'fresh',
    refreshedAt: at(0),
    expiresAt: at(60),
    nextRefreshAt: at(40),
    lastError: null,
    refreshCount: 1,
    refreshable: true,
    ...overrides,
  };
}

describe('timeLeft', () => {
  it('draws the share of the lifetime left and marks where renewal starts', () => {
    const shown = timeLeft(entry(), T0 + 15 * 60_000);
    expect(shown.left).toBeCloseTo(0.75);
    expect(shown.renewsAt).toBeCloseTo(1 / 3);
    expect(shown).toMatchObject({ words: 'renews in 25m 00s', tone: 'ok' });
  });

  it('says why a slot that waits for a person cannot renew', () => {
    const shown = timeLeft(
      entry({ state: 'needs-input' }),
      T0 + 57 * 60_000,
      cannotRenewBecause('sign-in'),
    );
    expect(shown.words).toBe('expires in 3m 00s — cannot renew: sign in');
    expect(shown.tone).toBe('warn');
    expect(cannotRenewBecause('mfa-code')).toBe('enter the MFA code');
    expect(cannotRenewBecause('new-password')).toBe('choose a new password');
  });

  it('reads expired, with an empty bar, once the expiry has passed', () => {
    expect(timeLeft(entry({ state: 'stale' }), T0 + 61 * 60_000)).toMatchObject({
      left: 0,
      words: 'expired — nothing is served',
      tone: 'bad',
    });
  });

  it('has no bar for credentials that never expire', () => {
    expect(timeLeft(entry({ expiresAt: null, nextRefreshAt: null }), T0)).toEqual({
      left: null,
      renewsAt: null,
      words: 'does not expire',
      tone: 'none',
    });
  });

  it('tells a failing renewal and pushed credentials apart from a healthy slot', () => {
    expect(timeLeft(entry({ state: 'stale' }), T0 + 50 * 60_000).words).toBe(
      'expires in 10m 00s — renewal failing',
    );
    expect(
      timeLeft(entry({ refreshable: false, nextRefreshAt: null }), T0 + 50 * 60_000),
    ).toMatchObject({ words: 'expires in 10m 00s — cannot renew', renewsAt: null, tone: 'warn' });
    expect(timeLeft(entry({ state: 'refreshing' }), T0 + 41 * 60_000).tone).toBe('busy');
  });

  it('keeps the bar within 0 and 1 when the clock and the fetch time disagree', () => {
    const early = timeLeft(entry(), T0 - 5 * 60_000);
    expect(early.left).toBe(1);
    expect(timeLeft(entry({ refreshedAt: null }), T0).left).toBe(1);
  });
});

describe('tokenTimeLeft', () => {
  const token = (overrides: Partial<TokenView> = {}): TokenView => ({
    name: 'api',
    description: 'OAuth2 client credentials',
    state: 'fresh',
    refreshedAt: at(0),
    expiresAt: at(60),
    nextRefreshAt: at(40),
    lastError: null,
    lazy: false,
    renewable: true,
    ...overrides,
  });

  it('reads a renewing token like a slot: the bar, the mark and when it renews', () => {
    expect(tokenTimeLeft(token(), T0 + 15 * 60_000)).toMatchObject({
      left: 0.75,
      words: 'renews in 25m 00s',
      tone: 'ok',
    });
  });

  it('says a token that waits for a new refresh token cannot renew, with how long it has', () => {
    const shown = tokenTimeLeft(
      token({ state: 'needs-input', renewable: false, nextRefreshAt: null }),
      T0 + 50 * 60_000,
    );
    expect(shown.words).toBe('expires in 10m 00s — cannot renew: give a new refresh token');
    expect(shown.tone).toBe('warn');
  });

  it('says a token whose client was refused cannot renew', () => {
    const shown = tokenTimeLeft(
      token({ state: 'stale', renewable: false, nextRefreshAt: null }),
      T0 + 50 * 60_000,
    );
    expect(shown.tone).toBe('warn');
    expect(shown.words).toMatch(/^expires in 10m 00s — renewal failing/);
  });
});
