/**
 * When to renew a bearer token. Pure, like the broker's refresh policy, so tests pin every number.
 *
 * - before expiry (the default): `beforeExpiryMs` ahead of it, or by default the larger of 30 s
 *   and 10 % of the token's lifetime; never more than half the lifetime ahead, so a short token is
 *   not renewed almost as soon as it arrives;
 * - every N seconds (`everyMs`): for issuers that say nothing about expiry (then it is required,
 *   and 300 s unless given); a token that would run out before then is still renewed ahead of
 *   its expiry, so "every" never serves a dead token;
 * - both: whichever comes first;
 * - lazy: the same point, but nothing renews on a timer; a request that finds the token past it
 *   waits for one renewal.
 */
export interface TokenRefreshStrategy {
  /** How long before expiry to renew; null: the default lead (max(30 s, 10 % of lifetime)). */
  beforeExpiryMs: number | null;
  /** Renew at least this often; null: only ahead of expiry (300 s for tokens that never say). */
  everyMs: number | null;
  /** Renew only when a request needs it. */
  lazy: boolean;
}

export const defaultTokenStrategy: TokenRefreshStrategy = {
  beforeExpiryMs: null,
  everyMs: null,
  lazy: false,
};

/** The least lead: a request in flight with the token needs a moment before it runs out. */
export const MIN_DEFAULT_LEAD_MS = 30_000;
/** The default lead grows with the lifetime, so hour-long tokens are renewed minutes ahead. */
export const DEFAULT_LEAD_FRACTION = 0.1;
/** Tokens whose issuer names no lifetime are renewed this often unless told otherwise. */
export const DEFAULT_EVERY_MS = 300_000;
/** Renewals start up to this much early at random, so tokens added together spread out... */
const MAX_JITTER_MS = 30_000;
/** ...but never by more than this fraction of the wait. */
const JITTER_FRACTION = 0.05;
/** Never plan a renewal sooner than this after the last one, so a tiny lifetime cannot spin. */
const MIN_INTERVAL_MS = 1_000;

/** The moment a token obtained at `obtainedAt` should be renewed; jitter only moves it earlier. */
export function plannedTokenRefreshAt(
  obtainedAt: number,
  expiresAt: number | undefined,
  strategy: TokenRefreshStrategy,
  random: () => number = Math.random,
): number {
  const candidates: number[] = [];
  if (expiresAt !== undefined) {
    const lifetime = Math.max(0, expiresAt - obtainedAt);
    const lead =
      strategy.beforeExpiryMs ?? Math.max(MIN_DEFAULT_LEAD_MS, lifetime * DEFAULT_LEAD_FRACTION);
    candidates.push(expiresAt - Math.min(lead, lifetime / 2));
  }
  const every = strategy.everyMs ?? (expiresAt === undefined ? DEFAULT_EVERY_MS : null);
  if (every !== null) candidates.push(obtainedAt + every);
  const planned = Math.max(obtainedAt + MIN_INTERVAL_MS, Math.min(...candidates));
  const wait = planned - obtainedAt;
  return Math.round(planned - random() * Math.min(MAX_JITTER_MS, wait * JITTER_FRACTION));
}
