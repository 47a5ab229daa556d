/**
 * Slows down token guessing. Every request with a missing or wrong token counts; past `budget`
 * failures within `windowMs` the server refuses every request for a while (doubling while the
 * failures go on). All local clients share 127.0.0.1, so there is no per-client key: a program
 * sending wrong tokens locks everyone out briefly — a local program could also just kill the
 * server, so the lock exists to make guessing slow and loud, not to stop denial of service.
 */
export interface FailedAuthLimitOptions {
  /** Failures allowed within the window before the lock. */
  budget: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
}

export const defaultFailedAuthLimit: FailedAuthLimitOptions = {
  // SDKs retry a refused credential fetch a few times; dozens of stale clients stay below this.
  budget: 100,
  windowMs: 10_000,
  firstLockMs: 1_000,
  maxLockMs: 60_000,
};

export class FailedAuthLimiter {
  private failures: number[] = [];
  private lockedUntil = 0;
  private nextLockMs: number;

  constructor(private readonly options: FailedAuthLimitOptions = defaultFailedAuthLimit) {
    this.nextLockMs = options.firstLockMs;
  }

  /** Milliseconds until requests are answered again; 0 when not locked. */
  lockedFor(now: number): number {
    return Math.max(0, this.lockedUntil - now);
  }

  /** Counts a failure; returns the new lock's length when this one started a lock. */
  recordFailure(now: number): number | null {
    const since = now - this.options.windowMs;
    const recent = this.failures.filter((at) => at > since);
    // A whole quiet window forgives earlier locks.
    if (recent.length === 0 && now - this.lockedUntil > this.options.windowMs) {
      this.nextLockMs = this.options.firstLockMs;
    }
    recent.push(now);
    this.failures = recent;
    if (recent.length <= this.options.budget) return null;
    const lockMs = this.nextLockMs;
    this.lockedUntil = now + lockMs;
    this.nextLockMs = Math.min(this.options.maxLockMs, lockMs * 2);
    this.failures = [];
    return lockMs;
  }
}
