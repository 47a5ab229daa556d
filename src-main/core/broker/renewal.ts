import type { Question } from '../../../src-shared/input-request';
import type { Clock, TimerHandle } from '../clock';
import type { AwsCredentials } from '../credentials';
import { RolecallError, errorMessage } from '../errors';
import type { FetchContext } from '../sources/source';
import { notRefreshable } from './broker-errors';
import { isExpired, type Entry } from './entry';
import { backoffDelayMs, plannedRefreshAt } from './refresh-policy';

/** What the broker does when a renewal starts, succeeds, fails or ends. */
export interface RenewalOutcomes {
  /** Whether the entry is still the broker's; an unloaded entry's result is thrown away. */
  isCurrent(entry: Entry): boolean;
  /** Whether a failure is tried again (with backoff): a first load that failed is not. */
  retries(entry: Entry): boolean;
  /** New credentials were taken (fetched or handed over). */
  accepted(entry: Entry): void;
  /** A fetch failed; `entry.lastError` and `entry.nextRefreshAt` say what and when next. */
  failed(entry: Entry): void;
  /** A fetch started, or ended however it ended. */
  inFlightChanged(entry: Entry, inFlight: boolean): void;
}

/**
 * Renews one entry at a time, the way the AWS SDK memoizes a provider: concurrent callers share
 * one fetch (single flight), failures are never cached but back off, a source that hangs fails
 * after the policy's time-out, and credentials already dead are refused. What it holds stays
 * valid through failures (grace); only the broker decides to throw it away.
 */
export class RenewalEngine {
  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly outcomes: RenewalOutcomes,
  ) {}

  /** Single flight: every caller during a fetch shares the same promise and the same result. */
  renew(entry: Entry): Promise<AwsCredentials> {
    if (entry.inflight) return entry.inflight;
    const source = entry.source;
    if (!source) return Promise.reject(notRefreshable(entry));
    const abortFetch = new FetchCancellation();
    const inflight = this.withFetchTimeout(entry, source.fetch(abortFetch))
      .then((credentials) => this.checkNotExpired(entry.profile, credentials))
      .then(
        (credentials) => {
          if (this.outcomes.isCurrent(entry)) this.accept(entry, credentials);
          return credentials;
        },
        (error: unknown) => {
          if (this.outcomes.isCurrent(entry)) this.reject(entry, error);
          throw error;
        },
      );
    entry.inflight = inflight;
    entry.abortFetch = abortFetch;
    const settled = () => {
      entry.inflight = null;
      entry.abortFetch = null;
      this.outcomes.inFlightChanged(entry, false);
    };
    inflight.then(settled, settled);
    this.outcomes.inFlightChanged(entry, true);
    return inflight;
  }

  /** Takes new credentials: the failure count resets and the next renewal is planned. */
  accept(entry: Entry, credentials: AwsCredentials): void {
    const now = this.clock.now();
    entry.credentials = credentials;
    entry.obtainedAt = now;
    entry.lastError = null;
    entry.failures = 0;
    entry.refreshCount += 1;
    entry.announced = { expiringSoon: false, expired: false };
    entry.nextRefreshAt = entry.source
      ? plannedRefreshAt(now, credentials.expiresAt, entry.policy, this.random)
      : null;
    this.outcomes.accepted(entry);
  }

  /**
   * Plans the renewal of healthy credentials again under the entry's (changed) policy, as if it
   * had always been in force; failing entries keep their backoff. False when nothing changed.
   */
  replan(entry: Entry): boolean {
    const credentials = entry.credentials;
    if (!entry.source || !credentials || entry.failures > 0 || entry.obtainedAt === null) {
      return false;
    }
    const planned = plannedRefreshAt(
      entry.obtainedAt,
      credentials.expiresAt,
      entry.policy,
      this.random,
    );
    entry.nextRefreshAt = planned === null ? null : Math.max(planned, this.clock.now());
    return true;
  }

  /**
   * Renew before serving when nothing valid is held, or what is held is about to die and its
   * planned renewal is due. Never while backing off (requests add no attempts to a failing
   * source), and never before the planned time of credentials a renewal has just produced, even
   * short ones: those are served until then, so a source of 30-second credentials runs as often
   * as the policy says, not once per request.
   */
  needsRenewalNow(entry: Entry): boolean {
    if (!entry.source) return false;
    if (entry.inflight) return true;
    const now = this.clock.now();
    const credentials = entry.credentials;
    const expiresAt = credentials?.expiresAt;
    if (
      credentials &&
      (expiresAt === undefined || expiresAt - now >= entry.policy.mandatoryRemainingMs)
    )
      return false;
    const beforePlannedTime = entry.nextRefreshAt !== null && now < entry.nextRefreshAt;
    if (!beforePlannedTime) return true;
    if (entry.failures > 0) return false;
    return credentials === null || isExpired(credentials, now);
  }

  /** Waits for `work` to settle, but no longer than `limitMs`; never throws. */
  async waitAtMost(work: Promise<unknown>, limitMs: number): Promise<void> {
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, limitMs);
    });
    try {
      await Promise.race([work.then(noop, noop), timeout]);
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
  }

  private reject(entry: Entry, error: unknown): void {
    entry.lastError = errorMessage(error);
    entry.failures += 1;
    entry.nextRefreshAt = this.outcomes.retries(entry)
      ? this.clock.now() + backoffDelayMs(entry.failures, entry.policy)
      : null;
    this.outcomes.failed(entry);
  }

  private withFetchTimeout(entry: Entry, fetch: Promise<AwsCredentials>): Promise<AwsCredentials> {
    const limitMs = entry.policy.fetchTimeoutMs;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(
        () =>
          reject(
            new RolecallError(
              'source-timeout',
              `The source of profile ${entry.profile} did not answer within ${Math.round(limitMs / 1000)} s.`,
              504,
            ),
          ),
        limitMs,
      );
    });
    return Promise.race([fetch, timeout]).finally(() => {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    });
  }

  /** Accepting dead credentials would plan the next renewal for "now" and spin; refuse them. */
  private checkNotExpired(profile: string, credentials: AwsCredentials): AwsCredentials {
    if (isExpired(credentials, this.clock.now())) {
      throw new RolecallError(
        'already-expired',
        `The source of profile ${profile} returned credentials that expired at ${new Date(credentials.expiresAt!).toISOString()}.`,
        502,
      );
    }
    return credentials;
  }
}

/**
 * A fetch's context, whose signal is made only when a source asks for it: an AbortController
 * costs tens of microseconds, more than the rest of a renewal, and most sources never look.
 */
export class FetchCancellation implements FetchContext {
  private controller: AbortController | null = null;
  private aborted = false;

  // Entries made from other entries, and questions to people, are not wired into the broker yet.
  parent(profile: string): Promise<AwsCredentials> {
    return Promise.reject(
      new RolecallError('no-parents', `This Rolecall cannot yet use ${profile} as a parent.`, 501),
    );
  }

  ask(question: Question): Promise<string> {
    return Promise.reject(
      new RolecallError('no-questions', `This Rolecall cannot yet ask: ${question.prompt}`, 501),
    );
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.aborted) this.controller.abort();
    return this.controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

function noop(): void {}
