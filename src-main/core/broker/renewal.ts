import type { Clock, TimerHandle } from '../clock';
import type { AwsCredentials } from '../credentials';
import { RolecallError, errorMessage } from '../errors';
import { notRefreshable } from './broker-errors';
import { isExpired, validCredentials, waitsForPerson, type Entry } from './entry';
import { FetchDeadline } from './fetch-deadline';
import { FetchRun, type FetchServices, type RenewalRequest } from './fetch-run';
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
 * valid through failures (grace); only the broker decides to throw it away. A renewal that failed
 * because nobody answered a question is not retried on a timer: a person must act first.
 */
export class RenewalEngine {
  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly outcomes: RenewalOutcomes,
    /** Parents and people, for the fetch context; none in tests of the engine alone. */
    private readonly services: FetchServices | null = null,
  ) {}

  /**
   * Single flight: every caller during a fetch shares the same promise and the same result, and
   * adds what it brings (`request`) to it.
   */
  renew(entry: Entry, request: RenewalRequest = {}): Promise<AwsCredentials> {
    if (entry.inflight) {
      entry.run?.join(request);
      return entry.inflight;
    }
    const source = entry.source;
    if (!source) return Promise.reject(notRefreshable(entry));
    const run = new FetchRun(entry, this.services, request);
    // Set before the source runs: a question it asks at once already knows who waits.
    entry.run = run;
    const inflight = this.withFetchTimeout(entry, run, () => source.fetch(run))
      .then((credentials) => this.checkNotExpired(entry.profile, credentials))
      .then(
        (credentials) => {
          if (this.outcomes.isCurrent(entry)) this.accept(entry, credentials);
          return credentials;
        },
        (error: unknown) => {
          if (this.outcomes.isCurrent(entry)) this.reject(entry, error, run);
          throw error;
        },
      );
    entry.inflight = inflight;
    const settled = () => {
      entry.inflight = null;
      entry.run = null;
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
    entry.needsPerson = null;
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
   * source), never after nobody answered its question (until a person acts), and never before
   * the planned time of credentials a renewal has just produced, even short ones: those are
   * served until then, so a source of 30-second credentials runs as often as the policy says,
   * not once per request. A renewal in flight is waited for, unless it waits for a person while
   * valid credentials are held: those are served meanwhile.
   *
   * `explicit`: a person asked (a load needs this entry as a parent), so backoff and an
   * unanswered question do not hold it back.
   */
  needsRenewalNow(entry: Entry, explicit = false): boolean {
    if (!entry.source) return false;
    const now = this.clock.now();
    if (entry.inflight) return !(waitsForPerson(entry) && validCredentials(entry, now) !== null);
    const credentials = entry.credentials;
    const expiresAt = credentials?.expiresAt;
    if (
      credentials &&
      (expiresAt === undefined || expiresAt - now >= entry.policy.mandatoryRemainingMs)
    )
      return false;
    if (explicit) return true;
    if (entry.needsPerson) return false;
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

  private reject(entry: Entry, error: unknown, run: FetchRun): void {
    entry.lastError = errorMessage(error);
    entry.failures += 1;
    // Asking again on a timer would be a loop of prompts nobody answers.
    entry.needsPerson = run.needsPerson;
    entry.nextRefreshAt =
      !run.needsPerson && this.outcomes.retries(entry)
        ? this.clock.now() + backoffDelayMs(entry.failures, entry.policy)
        : null;
    this.outcomes.failed(entry);
  }

  /**
   * The fetch, failed after the policy's time-out — which stops counting while the fetch waits
   * for a person or a parent, each bounded on its own.
   */
  private withFetchTimeout(
    entry: Entry,
    run: FetchRun,
    fetch: () => Promise<AwsCredentials>,
  ): Promise<AwsCredentials> {
    const limitMs = entry.policy.fetchTimeoutMs;
    let expire: (error: Error) => void = noop;
    const timeout = new Promise<never>((_, reject) => {
      expire = reject;
    });
    const deadline = new FetchDeadline(this.clock, limitMs, () =>
      expire(
        new RolecallError(
          'source-timeout',
          `The source of profile ${entry.profile} did not answer within ${Math.round(limitMs / 1000)} s.`,
          504,
        ),
      ),
    );
    run.deadline = deadline;
    let fetching: Promise<AwsCredentials>;
    try {
      fetching = fetch();
    } catch (error) {
      fetching = Promise.reject(error);
    }
    return Promise.race([fetching, timeout]).finally(() => deadline.stop());
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

function noop(): void {}
