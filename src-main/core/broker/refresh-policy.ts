/**
 * When to renew credentials. Pure functions of times and a random source, so tests pin every
 * number; the scheduler only carries out what these return.
 */
export interface RefreshPolicy {
  /**
   * What Rolecall serves keeps at least this much life. AWS SDKs re-fetch container credentials
   * when fewer than 15 minutes remain (botocore's advisory window), so serving less than that
   * would make them call on every request; 20 minutes leaves a margin.
   */
  minRemainingMs: number;
  /** Credentials too short-lived for that margin are renewed at this fraction of their life. */
  lifetimeFraction: number;
  /** Also renew at least this often (for sources whose credentials never expire), or null. */
  everyMs: number | null;
  /** Renewals start up to this much early at random, so profiles loaded together spread out... */
  maxJitterMs: number;
  /** ...but never by more than this fraction of the wait, so short waits stay short. */
  jitterFraction: number;
  /** First retry after a failed renewal; each further failure doubles it... */
  backoffInitialMs: number;
  /** ...up to this cap, so a failing upstream is asked at most this often. */
  backoffMaxMs: number;
  /** A request that finds less than this much left waits for a renewal rather than be served. */
  mandatoryRemainingMs: number;
  /** How long such a request waits for the renewal before it gets what there is (or a 503). */
  onDemandWaitMs: number;
  /** `expiring-soon` fires when this much is left and no renewal has succeeded. */
  expiringSoonMs: number;
  /**
   * A source that has not answered in this long has failed. Sources have their own time-outs
   * (credential_process 60 s, AWS clients 30 s per request); this backstop keeps one that hangs
   * anyway from holding the single flight forever.
   */
  fetchTimeoutMs: number;
  /**
   * How long a question to a person (an MFA code, a sign-in) stays open. Time spent waiting for
   * a person does not count against `fetchTimeoutMs`, but nobody answering must not hold a
   * renewal (and a `rolecall load` in a terminal) forever.
   */
  questionTimeoutMs: number;
}

const MINUTE = 60_000;
const MIN_REFRESH_INTERVAL_MS = 1_000;

export const defaultRefreshPolicy: RefreshPolicy = {
  minRemainingMs: 20 * MINUTE,
  lifetimeFraction: 0.5,
  everyMs: null,
  maxJitterMs: 2 * MINUTE,
  jitterFraction: 0.1,
  backoffInitialMs: 5_000,
  backoffMaxMs: 5 * MINUTE,
  // The JS SDK's container provider refreshes 5 minutes ahead; below that a request must not be
  // handed credentials that are about to die.
  mandatoryRemainingMs: 5 * MINUTE,
  onDemandWaitMs: 15_000,
  expiringSoonMs: 15 * MINUTE,
  fetchTimeoutMs: 2 * MINUTE,
  // The question waits for a person, not for a code: an MFA code is good for a minute once it
  // is shown, but whoever gets the notification may need a while to come back to it, and an IAM
  // Identity Center sign-in takes minutes (its device codes last 10). A quarter of an hour covers
  // both; past it the renewals waiting fail with a sentence and are not tried again by
  // themselves (valid credentials are served until they expire), until the profile is loaded
  // again.
  questionTimeoutMs: 15 * MINUTE,
};

/**
 * The planned time of the next renewal for credentials obtained at `obtainedAt`, or null when
 * nothing calls for one (no expiry and no `every`). Jitter only ever moves it earlier.
 */
export function plannedRefreshAt(
  obtainedAt: number,
  expiresAt: number | undefined,
  policy: RefreshPolicy,
  random: () => number = Math.random,
): number | null {
  const candidates: number[] = [];
  if (expiresAt !== undefined) {
    const lifetime = Math.max(0, expiresAt - obtainedAt);
    // Long-lived: keep minRemaining in hand. Short-lived: renew at a fraction of the lifetime.
    candidates.push(
      Math.max(expiresAt - policy.minRemainingMs, obtainedAt + lifetime * policy.lifetimeFraction),
    );
  }
  if (policy.everyMs !== null) candidates.push(obtainedAt + policy.everyMs);
  if (candidates.length === 0) return null;
  // Never plan a renewal sooner than a second after the last one, so nothing can spin.
  const planned = Math.max(obtainedAt + MIN_REFRESH_INTERVAL_MS, Math.min(...candidates));
  const wait = Math.max(0, planned - obtainedAt);
  const jitter = random() * Math.min(policy.maxJitterMs, wait * policy.jitterFraction);
  return Math.round(planned - jitter);
}

/** Delay before retry number `failures` (1 = after the first failure): doubling, capped. */
export function backoffDelayMs(
  failures: number,
  policy: Pick<RefreshPolicy, 'backoffInitialMs' | 'backoffMaxMs'>,
): number {
  const exponent = Math.max(0, failures - 1);
  // Cap the exponent too, so a long outage can't overflow to Infinity.
  return Math.min(policy.backoffMaxMs, policy.backoffInitialMs * 2 ** Math.min(exponent, 30));
}
