import type { InputRequestView } from '../../src-shared/input-request';
import type { EntryView, TokenView } from '../../src-shared/snapshot';
import { formatTimeLeft } from '../../src-shared/time';

/** How a slot's time left reads: its colour, on the bar and in the words. */
export type TimeTone = 'ok' | 'busy' | 'warn' | 'bad' | 'none';

/** A loaded slot's remaining lifetime as the bar draws it and the words beside it. */
export interface TimeLeft {
  /** The share of the credentials' lifetime still left, 0 to 1; null when they never expire. */
  left: number | null;
  /**
   * Where on the bar renewal is planned, as the share of the lifetime that will still be left
   * then (the fill reaches the mark when renewal starts); null when none is planned.
   */
  renewsAt: number | null;
  /** "renews in 12m 00s", "expires in 3m 00s — cannot renew: sign in". */
  words: string;
  tone: TimeTone;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/**
 * What the bar and the words say about one entry at `now`. The lifetime runs from the last
 * fetch to the expiry; an entry with no known fetch time draws a full bar.
 */
export function timeLeft(entry: EntryView, now: number, waitingFor?: string | null): TimeLeft {
  if (!entry.expiresAt)
    return { left: null, renewsAt: null, words: 'does not expire', tone: 'none' };
  const expires = Date.parse(entry.expiresAt);
  const fetched = entry.refreshedAt ? Date.parse(entry.refreshedAt) : null;
  const lifetime = fetched !== null && expires > fetched ? expires - fetched : null;
  const left = lifetime ? clamp((expires - now) / lifetime) : expires > now ? 1 : 0;
  const renewal = entry.nextRefreshAt ? Date.parse(entry.nextRefreshAt) : null;
  const renewsAt =
    lifetime && renewal !== null && renewal < expires
      ? clamp((expires - renewal) / lifetime)
      : null;
  const bar = { left, renewsAt };
  const untilExpiry = formatTimeLeft(expires - now);

  if (expires <= now || entry.state === 'expired')
    return { ...bar, left: 0, words: 'expired — nothing is served', tone: 'bad' };
  if (entry.state === 'failed')
    return { ...bar, words: `expires in ${untilExpiry} — renewal failed`, tone: 'bad' };
  if (entry.state === 'needs-input')
    return {
      ...bar,
      words: `expires in ${untilExpiry} — cannot renew: ${waitingFor ?? 'waiting for you'}`,
      tone: 'warn',
    };
  if (entry.state === 'stale')
    return { ...bar, words: `expires in ${untilExpiry} — renewal failing`, tone: 'warn' };
  if (entry.state === 'refreshing')
    return { ...bar, words: `renewing now; expires in ${untilExpiry}`, tone: 'busy' };
  if (!entry.refreshable)
    return { ...bar, words: `expires in ${untilExpiry} — cannot renew`, tone: 'warn' };
  if (renewal !== null && renewal > now)
    return { ...bar, words: `renews in ${formatTimeLeft(renewal - now)}`, tone: 'ok' };
  return { ...bar, words: `renews soon; expires in ${untilExpiry}`, tone: 'ok' };
}

/** Why renewal cannot go on by itself, in the fewest words, for the time left. */
export function cannotRenewBecause(kind: InputRequestView['kind']): string {
  switch (kind) {
    case 'sign-in':
      return 'sign in';
    case 'new-password':
      return 'choose a new password';
    case 'mfa-code':
      return 'enter the MFA code';
  }
}

/**
 * A bearer token's time left, read like a slot's: a token whose renewals stopped cannot renew
 * until someone gives a new secret or renews it by hand.
 */
export function tokenTimeLeft(token: TokenView, now: number): TimeLeft {
  return timeLeft(
    {
      profile: token.name,
      state: token.state,
      expiresAt: token.expiresAt,
      refreshedAt: token.refreshedAt,
      nextRefreshAt: token.nextRefreshAt,
      lastError: token.lastError,
      refreshCount: 0,
      refreshable: token.renewable,
    },
    now,
    token.state === 'needs-input' ? 'give a new refresh token' : null,
  );
}
