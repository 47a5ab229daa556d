import type { EventEmitter } from 'node:events';
import type { InputRequestView, Question } from '../../../src-shared/input-request';
import type { Snapshot } from '../../../src-shared/snapshot';
import type { Clock } from '../clock';
import { validCredentials, waitsForPerson, type Entry } from './entry';
import type { QuestionEnd } from './questions';

export interface BrokerEvents {
  changed: [Snapshot];
  refreshed: [{ profile: string; expiresAt: number | null }];
  /**
   * A fetch failed. `nextAttemptAt` is when the broker will try again; null when it will not —
   * a first load that failed is never retried (its caller was told; the user loads it again).
   * `stillServing` says whether valid credentials are still served meanwhile (grace), and
   * `expiresAt` until when (null: they do not expire).
   */
  'refresh-failed': [
    {
      profile: string;
      error: string;
      failures: number;
      nextAttemptAt: number | null;
      stillServing: boolean;
      expiresAt: number | null;
      /**
       * Present when the fetch failed because nobody answered a question it needed: it is not
       * tried again by itself (`nextAttemptAt` is null) until a load needs it.
       */
      needsPerson?: true;
    },
  ];
  'expiring-soon': [{ profile: string; expiresAt: number }];
  expired: [{ profile: string; expiresAt: number }];
  /**
   * A question only a person can answer was asked (or asked again, with `retryReason`, after a
   * wrong answer): every door should offer it. `waiting` are the profiles whose renewal waits.
   */
  'input-required': [InputRequestView];
  /**
   * A question closed: `answered`, `dismissed`, `unanswered` (nobody answered in time) or
   * `withdrawn` (nothing waits for it any more: the loads that asked were cancelled or unloaded).
   * Doors take their prompt down.
   */
  'input-ended': [Question & { outcome: QuestionEnd; waiting: string[] }];
  /** A bearer token was renewed (never the token itself). */
  'token-renewed': [{ name: string }];
  /** A bearer token's renewal failed, in words. */
  'token-failed': [{ name: string; error: string }];
  /** A token was added, removed, or changed state: `broker.tokens.views()` has the new list. */
  'tokens-changed': [];
}

/**
 * Tells listeners what happened to an entry's credentials — renewed, failed, about to expire,
 * expired — each once per credential, and when the timer must next look at an entry for that.
 */
export class Announcer {
  constructor(
    private readonly clock: Clock,
    private readonly events: EventEmitter<BrokerEvents>,
  ) {}

  renewed(entry: Entry): void {
    this.events.emit('refreshed', {
      profile: entry.profile,
      expiresAt: entry.credentials?.expiresAt ?? null,
    });
  }

  /** A failed fetch, then whatever its failure means for the expiry announcements. */
  failed(entry: Entry): void {
    this.events.emit('refresh-failed', {
      profile: entry.profile,
      error: entry.lastError ?? '',
      failures: entry.failures,
      nextAttemptAt: entry.nextRefreshAt,
      stillServing: validCredentials(entry, this.clock.now()) !== null,
      expiresAt: entry.credentials?.expiresAt ?? null,
      ...(entry.needsPerson ? { needsPerson: true as const } : {}),
    });
    this.announceExpiry(entry);
  }

  questionAsked(view: InputRequestView): void {
    this.events.emit('input-required', view);
  }

  questionClosed(question: Question, outcome: QuestionEnd, waiting: string[]): void {
    this.events.emit('input-ended', { ...question, outcome, waiting });
  }

  /**
   * Sends `expiring-soon` once when the credentials are inside the warning window and no renewal
   * is on its way to save them, and `expired` once when they die. Returns whether anything fired.
   */
  announceExpiry(entry: Entry): boolean {
    const expiresAt = entry.credentials?.expiresAt;
    if (expiresAt === undefined) return false;
    const now = this.clock.now();
    if (!entry.announced.expired && expiresAt <= now) {
      entry.announced.expired = true;
      entry.announced.expiringSoon = true;
      this.events.emit('expired', { profile: entry.profile, expiresAt });
      return true;
    }
    // A renewal waiting for a person may never come: warn as if none were planned.
    const renewalExpected =
      entry.source !== null &&
      entry.failures === 0 &&
      entry.nextRefreshAt !== null &&
      entry.nextRefreshAt < expiresAt &&
      !waitsForPerson(entry);
    if (
      !entry.announced.expiringSoon &&
      !renewalExpected &&
      expiresAt - now <= entry.policy.expiringSoonMs
    ) {
      entry.announced.expiringSoon = true;
      this.events.emit('expiring-soon', { profile: entry.profile, expiresAt });
      return true;
    }
    return false;
  }

  /**
   * The next moment an announcement may be due, or null. Moments already past were checked when
   * they passed; a failing renewal checks again itself (`failed`), so only future ones count.
   */
  nextAnnouncementAt(entry: Entry): number | null {
    const expiresAt = entry.credentials?.expiresAt;
    if (expiresAt === undefined) return null;
    const now = this.clock.now();
    const warnAt = expiresAt - entry.policy.expiringSoonMs;
    if (!entry.announced.expiringSoon && warnAt > now) return warnAt;
    if (!entry.announced.expired && expiresAt > now) return expiresAt;
    return null;
  }
}

/**
 * Tells listeners the snapshot changed. Bursts (1,000 profiles renewed in one tick) coalesce into
 * one `changed` event carrying the final state.
 */
export class SnapshotPublisher {
  private queued = false;

  constructor(
    private readonly hasListeners: () => boolean,
    private readonly send: () => void,
  ) {}

  publish(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      if (this.hasListeners()) this.send();
    });
  }
}
