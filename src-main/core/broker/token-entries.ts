import type { TokenState, TokenView } from '../../../src-shared/snapshot';
import type { Clock, TimerHandle } from '../clock';
import { RolecallError, asSentence, errorMessage } from '../errors';
import type { TokenFetchContext, TokenSet, TokenSource } from '../tokens/token-source';
import { TokenSourceError } from '../tokens/token-source';
import { plannedTokenRefreshAt, type TokenRefreshStrategy } from '../tokens/token-refresh-plan';
import { backoffDelayMs, type RefreshPolicy } from './refresh-policy';

export type { TokenState, TokenView };

/** Where the timer plans a token's next wake-up (the broker's one timer). */
export interface TokenTimer {
  plan(name: string, at: number | null): void;
}

export interface TokenEntriesOptions {
  clock: Clock;
  random: () => number;
  policy: () => Pick<RefreshPolicy, 'backoffInitialMs' | 'backoffMaxMs' | 'onDemandWaitMs'>;
  timer: TokenTimer;
  /** A token was renewed, or a renewal failed (`error` says why); for logs and notifications. */
  renewed?: (name: string) => void;
  failed?: (name: string, error: string) => void;
  changed?: () => void;
}

/**
 * A source that has not answered in this long has failed; token endpoints answer in
 * milliseconds, and the exchange has its own 30-second time-out under this backstop.
 */
const TOKEN_FETCH_TIMEOUT_MS = 60_000;

interface TokenEntry {
  name: string;
  source: TokenSource;
  strategy: TokenRefreshStrategy;
  token: TokenSet | null;
  obtainedAt: number | null;
  refreshAt: number | null;
  failures: number;
  retryAt: number | null;
  lastError: string | null;
  /** A renewal said a person (or a fixed definition) must act first: no timer renewals. */
  stopped: 'needs-input' | 'refused' | null;
  inflight: Promise<TokenSet> | null;
  abort: AbortController | null;
}

/**
 * The broker's room for bearer tokens (OAuth2, Cognito, ...): one entry per token name, renewed
 * on the broker's one timer by the entry's strategy, one renewal at a time (single flight), with
 * backoff (at least what the issuer's Retry-After asks), grace (a token that is still valid is
 * served while renewals fail) and the states every UI shows. Sources come from outside; this
 * room never knows what kind they are.
 */
export class TokenEntries {
  private readonly entries = new Map<string, TokenEntry>();

  constructor(private readonly options: TokenEntriesOptions) {}

  /** Adds or replaces a token; `held` is a token obtained earlier (another process, a restart). */
  set(
    name: string,
    source: TokenSource,
    strategy: TokenRefreshStrategy,
    held: { token: TokenSet; obtainedAt: number } | null = null,
  ): void {
    this.remove(name);
    const entry: TokenEntry = {
      name,
      source,
      strategy,
      token: null,
      obtainedAt: null,
      refreshAt: null,
      failures: 0,
      retryAt: null,
      lastError: null,
      stopped: null,
      inflight: null,
      abort: null,
    };
    this.entries.set(name, entry);
    if (held && !this.isExpired(held.token)) this.accept(entry, held.token, held.obtainedAt);
    else entry.refreshAt = this.now();
    this.plan(entry);
    this.options.changed?.();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  remove(name: string): boolean {
    const entry = this.entries.get(name);
    if (!entry) return false;
    this.entries.delete(name);
    entry.abort?.abort();
    this.options.timer.plan(name, null);
    this.options.changed?.();
    return true;
  }

  /**
   * The token to serve. One that is missing, expired, or (lazy) past its renewal point waits,
   * bounded, for a renewal; one still valid is served through failures. Never starts a renewal
   * while backing off or while a person must act.
   */
  async tokenFor(name: string): Promise<TokenSet> {
    const entry = this.entryOrThrow(name);
    if (this.needsRenewalNow(entry)) {
      await this.waitAtMost(this.renew(entry), this.options.policy().onDemandWaitMs);
    }
    const token = this.valid(entry);
    if (token) return token;
    throw this.unavailable(entry);
  }

  /**
   * Renews now, sharing a renewal in flight (a person asked: `renew` in a UI, a new secret
   * given), even while backing off or stopped.
   */
  renewNow(name: string): Promise<TokenSet> {
    const entry = this.entryOrThrow(name);
    entry.stopped = null;
    entry.retryAt = null;
    return this.renew(entry, true);
  }

  views(): TokenView[] {
    return this.names().map((name) => this.view(this.entries.get(name)!));
  }

  /** The timer's call for this token. */
  wake(name: string): void {
    const entry = this.entries.get(name);
    if (!entry || entry.inflight) return;
    const due = this.timerDue(entry);
    if (due !== null && due <= this.now()) {
      this.renew(entry).catch(() => {});
      return;
    }
    this.plan(entry);
  }

  private renew(entry: TokenEntry, explicit = false): Promise<TokenSet> {
    if (entry.inflight) return entry.inflight;
    const abort = new AbortController();
    entry.abort = abort;
    const inflight = this.fetch(entry, abort, explicit).then(
      ({ token, obtainedAt }) => {
        if (this.entries.get(entry.name) === entry) {
          this.accept(entry, token, obtainedAt);
          this.options.renewed?.(entry.name);
        }
        return token;
      },
      (error: unknown) => {
        if (this.entries.get(entry.name) === entry) this.reject(entry, error);
        throw error;
      },
    );
    entry.inflight = inflight;
    const settled = () => {
      entry.inflight = null;
      entry.abort = null;
      if (this.entries.get(entry.name) !== entry) return;
      this.plan(entry);
      this.options.changed?.();
    };
    inflight.then(settled, settled);
    this.options.changed?.();
    return inflight;
  }

  /**
   * The source fetches, failing after the backstop time-out. Unless a person asked, it may
   * serve a token another process renewed meanwhile instead of asking its issuer again.
   */
  private async fetch(
    entry: TokenEntry,
    abort: AbortController,
    explicit: boolean,
  ): Promise<{ token: TokenSet; obtainedAt: number }> {
    const context: TokenFetchContext = {
      signal: abort.signal,
      ...(explicit
        ? {}
        : {
            freshEnough: (token: TokenSet, obtainedAt: number) =>
              !this.isExpired(token) && this.refreshPoint(entry, token, obtainedAt) > this.now(),
          }),
    };
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.options.clock.setTimeout(() => {
        reject(
          new RolecallError(
            'source-timeout',
            `The source of token ${entry.name} did not answer within ${TOKEN_FETCH_TIMEOUT_MS / 1000} s; Rolecall tries again later.`,
            504,
          ),
        );
        abort.abort();
      }, TOKEN_FETCH_TIMEOUT_MS);
    });
    try {
      const token = await Promise.race([entry.source.fetch(context), timeout]);
      if (this.isExpired(token)) {
        throw new RolecallError(
          'already-expired',
          `The issuer of token ${entry.name} returned a token that expired at ${new Date(token.expiresAt!).toISOString()}; check the clock of this machine.`,
          502,
        );
      }
      return { token, obtainedAt: this.now() };
    } finally {
      if (timer !== undefined) this.options.clock.clearTimeout(timer);
    }
  }

  private accept(entry: TokenEntry, token: TokenSet, obtainedAt: number): void {
    entry.token = token;
    entry.obtainedAt = obtainedAt;
    entry.failures = 0;
    entry.retryAt = null;
    entry.lastError = null;
    entry.stopped = null;
    entry.refreshAt = this.refreshPoint(entry, token, obtainedAt);
  }

  private reject(entry: TokenEntry, error: unknown): void {
    entry.lastError = asSentence(errorMessage(error));
    entry.failures += 1;
    if (error instanceof TokenSourceError && error.kind !== 'retry') {
      entry.stopped = error.kind;
      entry.retryAt = null;
    } else {
      const backoff = backoffDelayMs(entry.failures, this.options.policy());
      const asked = error instanceof TokenSourceError ? (error.retryAfterMs ?? 0) : 0;
      entry.retryAt = this.now() + Math.max(backoff, asked);
    }
    this.options.failed?.(entry.name, entry.lastError);
  }

  private refreshPoint(entry: TokenEntry, token: TokenSet, obtainedAt: number): number {
    return plannedTokenRefreshAt(obtainedAt, token.expiresAt, entry.strategy, this.options.random);
  }

  /** When the timer should start a renewal of this entry, or null when it never should. */
  private timerDue(entry: TokenEntry): number | null {
    if (entry.stopped) return null;
    if (entry.retryAt !== null) return entry.retryAt;
    if (entry.strategy.lazy) return null;
    return entry.refreshAt;
  }

  private plan(entry: TokenEntry): void {
    this.options.timer.plan(entry.name, entry.inflight ? null : this.timerDue(entry));
  }

  private needsRenewalNow(entry: TokenEntry): boolean {
    const valid = this.valid(entry);
    if (entry.inflight) return valid === null;
    if (entry.stopped) return false;
    if (entry.retryAt !== null && entry.retryAt > this.now()) return false;
    if (valid === null) return true;
    return entry.strategy.lazy && entry.refreshAt !== null && entry.refreshAt <= this.now();
  }

  private valid(entry: TokenEntry): TokenSet | null {
    return entry.token && !this.isExpired(entry.token) ? entry.token : null;
  }

  private isExpired(token: TokenSet): boolean {
    return token.expiresAt !== undefined && token.expiresAt <= this.now();
  }

  private state(entry: TokenEntry): TokenState {
    if (entry.inflight) return 'refreshing';
    if (entry.stopped === 'needs-input') return 'needs-input';
    if (!entry.token) return 'failed';
    if (this.isExpired(entry.token)) return 'expired';
    return entry.failures > 0 ? 'stale' : 'fresh';
  }

  private view(entry: TokenEntry): TokenView {
    const due = entry.inflight ? null : this.timerDue(entry);
    return {
      name: entry.name,
      description: entry.source.description,
      state: this.state(entry),
      expiresAt: iso(entry.token?.expiresAt),
      refreshedAt: iso(entry.obtainedAt ?? undefined),
      nextRefreshAt: iso(due ?? undefined),
      lastError: entry.lastError,
      lazy: entry.strategy.lazy,
      renewable: entry.stopped === null,
    };
  }

  private unavailable(entry: TokenEntry): RolecallError {
    const why = entry.lastError ?? 'No token has been obtained yet.';
    const held = entry.token ? 'The token held has expired. ' : '';
    return new RolecallError(
      entry.stopped === 'needs-input' ? 'token-needs-input' : 'token-unavailable',
      `Token ${entry.name} is not available: ${held}${why}`,
      503,
    );
  }

  private entryOrThrow(name: string): TokenEntry {
    const entry = this.entries.get(name);
    if (entry) return entry;
    throw new RolecallError(
      'unknown-token',
      `No token is named ${JSON.stringify(name)}; \`rolecall oauth list\` names those there are.`,
      404,
    );
  }

  private async waitAtMost(work: Promise<unknown>, limitMs: number): Promise<void> {
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.options.clock.setTimeout(resolve, limitMs);
    });
    try {
      await Promise.race([work.then(noop, noop), timeout]);
    } finally {
      if (timer !== undefined) this.options.clock.clearTimeout(timer);
    }
  }

  private now(): number {
    return this.options.clock.now();
  }
}

function iso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

function noop(): void {}
