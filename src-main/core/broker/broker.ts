import { mapWithLimit } from '../map-limit';
import { EventEmitter } from 'node:events';
import type { EntryState, EntryView, Snapshot } from '../../../src-shared/snapshot';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { AwsCredentials } from '../credentials';
import { RolecallError, errorMessage } from '../errors';
import type { CredentialSource } from '../sources/source';
import type { BrokerStore, PersistedLayout } from './persistence';
import {
  backoffDelayMs,
  defaultRefreshPolicy,
  plannedRefreshAt,
  type RefreshPolicy,
} from './refresh-policy';
import { RefreshScheduler } from './scheduler';

/** Finds the source for a profile; throws a SourceError when the profile can't be loaded. */
export type SourceResolver = (profile: string) => Promise<CredentialSource>;

export interface BrokerOptions {
  resolveSource: SourceResolver;
  clock?: Clock;
  policy?: RefreshPolicy;
  /** Jitter's random source; tests pin it. */
  random?: () => number;
  /** Where the layout and credentials survive a restart; none in unit tests. */
  store?: BrokerStore;
}

/** Which slot a request addresses: the default one, or the named slot of a profile. */
export type SlotRef = { kind: 'default' } | { kind: 'named'; profile: string };

/** Per-profile changes to the refresh policy, kept with the layout. */
export interface PolicyOverrides {
  everyMs?: number;
}

export interface LoadOptions {
  slot?: boolean;
  policy?: PolicyOverrides;
}

interface Entry {
  profile: string;
  source: CredentialSource | null;
  /** Why the source could not be resolved (a restored profile that left ~/.aws/config). */
  sourceError: string | null;
  credentials: AwsCredentials | null;
  obtainedAt: number | null;
  lastError: string | null;
  refreshCount: number;
  /** Consecutive failed renewals; drives backoff and the `stale` state. */
  failures: number;
  nextRefreshAt: number | null;
  overrides: PolicyOverrides;
  policy: RefreshPolicy;
  /** Events already sent for the current credentials, so none repeats. */
  announced: { expiringSoon: boolean; expired: boolean };
  /** The one in-flight fetch for this profile; every caller during it shares it. */
  inflight: Promise<AwsCredentials> | null;
}

/** Enough to overlap the keychain's round trips without crowding it. */
const KEYCHAIN_READS_AT_ONCE = 8;

export interface BrokerEvents {
  changed: [Snapshot];
  refreshed: [{ profile: string; expiresAt: number | null }];
  'refresh-failed': [
    { profile: string; error: string; failures: number; nextAttemptAt: number | null },
  ];
  'expiring-soon': [{ profile: string; expiresAt: number }];
  expired: [{ profile: string; expiresAt: number }];
}

/**
 * Owns every loaded credential: one entry per profile, however many slots it is in. Nothing but
 * the broker calls a source. It renews credentials ahead of expiry on one shared timer, backs off
 * when a source fails, keeps serving valid credentials through failures (grace), and answers
 * readers from memory. Readers (ECS routes, CLI, UIs) get credentials or a secret-free snapshot.
 */
export class Broker extends EventEmitter<BrokerEvents> {
  private readonly entries = new Map<string, Entry>();
  private defaultProfile: string | null = null;
  private readonly namedSlots = new Set<string>();
  private readonly clock: Clock;
  private readonly resolveSource: SourceResolver;
  private policy: RefreshPolicy;
  private readonly random: () => number;
  private readonly store: BrokerStore | null;
  private readonly scheduler: RefreshScheduler;
  private publishQueued = false;

  constructor(options: BrokerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.resolveSource = options.resolveSource;
    this.policy = options.policy ?? defaultRefreshPolicy;
    this.random = options.random ?? Math.random;
    this.store = options.store ?? null;
    this.scheduler = new RefreshScheduler(this.clock, (profile) => this.wake(profile));
  }

  /**
   * Runs the profile's source and puts the result in the default slot or the profile's own slot.
   * The source is resolved again on every explicit load, so a fixed ~/.aws/config takes effect.
   */
  async load(profile: string, options: LoadOptions = {}): Promise<void> {
    const source = await this.resolveSource(profile);
    const entry = this.entries.get(profile) ?? this.newEntry(profile, source);
    entry.source = source;
    entry.sourceError = null;
    if (options.policy) this.setOverrides(entry, options.policy);
    // The entry is visible (as `refreshing`) while its first fetch runs, and concurrent loads of
    // the same profile find it and share that fetch.
    this.entries.set(profile, entry);
    try {
      await this.refresh(entry);
    } catch (error) {
      if (!entry.credentials) this.forget(profile);
      this.publish();
      throw error;
    }
    this.assignSlot(profile, options.slot ?? false);
    this.saveLayout();
    this.publish();
  }

  /**
   * Stores credentials handed over the ECS API (`PUT /`, `PUT /slot/<p>`). They have no source,
   * so they are served until they expire and are never refreshed.
   */
  put(profile: string, credentials: AwsCredentials, options: { slot?: boolean } = {}): void {
    const existing = this.entries.get(profile);
    const entry = existing ?? this.newEntry(profile, null);
    entry.source = null;
    this.entries.set(profile, entry);
    this.accept(entry, credentials);
    this.assignSlot(profile, options.slot ?? false);
    this.saveLayout();
    this.publish();
  }

  /** Removes a profile from every slot. Returns false when it was not loaded. */
  unload(profile: string): boolean {
    if (!this.entries.has(profile)) return false;
    if (this.defaultProfile === profile) this.defaultProfile = null;
    this.namedSlots.delete(profile);
    this.dropUnused(profile);
    this.saveLayout();
    this.publish();
    return true;
  }

  /**
   * Empties one slot (`DELETE /`, `DELETE /slot/<p>`), leaving the profile in any other slot it is
   * in. Returns the profile that was there, or null when the slot was already empty.
   */
  emptySlot(slot: SlotRef): string | null {
    const profile = this.profileIn(slot);
    if (profile === null) return null;
    if (slot.kind === 'default') this.defaultProfile = null;
    else this.namedSlots.delete(profile);
    this.dropUnused(profile);
    this.saveLayout();
    this.publish();
    return profile;
  }

  /** Empties every named slot (`DELETE /slot`). Returns how many there were. */
  clearNamed(): number {
    const profiles = [...this.namedSlots];
    this.namedSlots.clear();
    for (const profile of profiles) this.dropUnused(profile);
    if (profiles.length > 0) {
      this.saveLayout();
      this.publish();
    }
    return profiles.length;
  }

  unloadAll(): void {
    this.defaultProfile = null;
    this.namedSlots.clear();
    for (const profile of [...this.entries.keys()]) this.forget(profile);
    this.saveLayout();
    this.publish();
  }

  /** Renews a profile now, sharing any renewal already in flight (an explicit reload). */
  async reload(profile: string): Promise<void> {
    const entry = this.entries.get(profile);
    if (!entry) throw new RolecallError('not-loaded', `Profile ${profile} is not loaded.`, 404);
    await this.refresh(entry);
  }

  /** The profile a slot holds, or null when it is empty. */
  profileIn(slot: SlotRef): string | null {
    if (slot.kind === 'default') return this.defaultProfile;
    return this.namedSlots.has(slot.profile) ? slot.profile : null;
  }

  /**
   * The credentials a slot serves. Credentials that are expired or inside the mandatory window
   * wait (bounded) for a renewal first; what is still valid after that is served (grace), and
   * what is not gets a 503 that says how to recover. An empty slot is a 404.
   */
  async credentialsFor(slot: SlotRef): Promise<{ profile: string; credentials: AwsCredentials }> {
    const profile = this.profileIn(slot);
    const entry = profile === null ? undefined : this.entries.get(profile);
    if (profile === null || !entry) throw emptySlotError(slot);

    if (this.needsRenewalNow(entry))
      await this.awaitBounded(this.refresh(entry), entry.policy.onDemandWaitMs);

    const credentials = entry.credentials;
    if (credentials && !this.isExpired(credentials)) return { profile, credentials };
    throw this.unavailableError(entry);
  }

  /**
   * What `credentialsFor` would answer at once, without waiting for anything: valid credentials
   * that need no renewal first. Null when it would wait, refuse, or the slot is empty. The server
   * answers from this synchronously, which is nearly every request.
   */
  servableNow(slot: SlotRef): { profile: string; credentials: AwsCredentials } | null {
    const profile = this.profileIn(slot);
    const entry = profile === null ? undefined : this.entries.get(profile);
    const credentials = entry?.credentials;
    if (profile === null || !entry || !credentials || this.needsRenewalNow(entry)) return null;
    return this.isExpired(credentials) ? null : { profile, credentials };
  }

  /** The credentials held for a profile, whatever their state; for listings, not for serving. */
  peek(profile: string): AwsCredentials | undefined {
    return this.entries.get(profile)?.credentials ?? undefined;
  }

  snapshot(): Snapshot {
    const entries = [...this.entries.values()]
      .sort((a, b) => compareNames(a.profile, b.profile))
      .map((entry) => this.view(entry));
    return {
      defaultProfile: this.defaultProfile,
      slots: [...this.namedSlots].sort(compareNames),
      entries,
    };
  }

  /**
   * Brings back the slots and credentials of the last run. Valid credentials are served at once
   * and renewed on schedule; expired or missing ones are renewed right away (requests wait for it).
   */
  async restore(): Promise<void> {
    if (!this.store) return;
    const layout = await this.store.loadLayout();
    if (!layout) return;
    const store = this.store;
    const saved = Object.entries(layout.profiles);
    // Resolved together, so the resolver reads the AWS config once for all of them; the keychain
    // is read a few items at a time (one at a time made 1,000 slots take over a second).
    const [sources, storedCredentials] = await Promise.all([
      Promise.all(
        saved.map(([profile, { refreshable }]) =>
          refreshable
            ? this.resolveSource(profile).then(
                (source) => ({ source }),
                (error: unknown) => ({ error: errorMessage(error) }),
              )
            : null,
        ),
      ),
      mapWithLimit(saved, KEYCHAIN_READS_AT_ONCE, ([profile]) => store.loadCredentials(profile)),
    ]);
    const now = this.clock.now();
    for (const [index, [profile, savedEntry]] of saved.entries()) {
      const entry = this.newEntry(profile, null);
      entry.overrides = savedEntry.policy ?? {};
      entry.policy = { ...this.policy, ...entry.overrides };
      const resolved = sources[index];
      if (resolved && 'source' in resolved) entry.source = resolved.source;
      if (resolved && 'error' in resolved) {
        entry.sourceError = resolved.error;
        entry.lastError = resolved.error;
      }
      const stored = storedCredentials[index];
      if (stored) {
        entry.credentials = stored.credentials;
        entry.obtainedAt = stored.obtainedAt;
        entry.refreshCount = stored.refreshCount;
      }
      if (!entry.credentials && !entry.source) continue;
      this.entries.set(profile, entry);
      if (entry.source) {
        const valid = entry.credentials && !this.isExpired(entry.credentials);
        const planned =
          valid && entry.obtainedAt !== null
            ? plannedRefreshAt(
                entry.obtainedAt,
                entry.credentials!.expiresAt,
                entry.policy,
                this.random,
              )
            : now;
        entry.nextRefreshAt = planned === null ? null : Math.max(planned, now);
      }
      this.plan(entry);
    }
    this.defaultProfile =
      layout.defaultProfile !== null && this.entries.has(layout.defaultProfile)
        ? layout.defaultProfile
        : null;
    for (const profile of layout.slots) if (this.entries.has(profile)) this.namedSlots.add(profile);
    for (const profile of [...this.entries.keys()]) this.dropUnused(profile);
    this.publish();
  }

  /**
   * Applies a changed refresh policy (from the settings) to every entry, keeping per-profile
   * overrides. Healthy entries are re-planned from when their credentials were obtained, as if
   * the policy had always been this one; failing entries keep their backoff.
   */
  setPolicy(policy: RefreshPolicy): void {
    this.policy = policy;
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      entry.policy = { ...policy, ...entry.overrides };
      const credentials = entry.credentials;
      if (!entry.source || !credentials || entry.failures > 0 || entry.obtainedAt === null) {
        continue;
      }
      const planned = plannedRefreshAt(
        entry.obtainedAt,
        credentials.expiresAt,
        entry.policy,
        this.random,
      );
      entry.nextRefreshAt = planned === null ? null : Math.max(planned, now);
      this.plan(entry);
    }
    this.publish();
  }

  /** Stops the timer; in-flight fetches finish but nothing new starts. */
  stop(): void {
    this.scheduler.stop();
  }

  // --- renewal -------------------------------------------------------------------------------

  /** Single flight: every caller during a fetch shares the same promise and the same result. */
  private refresh(entry: Entry): Promise<AwsCredentials> {
    if (entry.inflight) return entry.inflight;
    const source = entry.source;
    if (!source) {
      return Promise.reject(
        new RolecallError(
          'not-refreshable',
          entry.sourceError ??
            `Profile ${entry.profile} has no source to renew its credentials from.`,
          409,
        ),
      );
    }
    const inflight = this.withFetchTimeout(entry, source.fetch())
      .then((credentials) => this.checkNotExpired(entry.profile, credentials))
      .then(
        (credentials) => {
          if (this.entries.get(entry.profile) === entry) this.accept(entry, credentials);
          return credentials;
        },
        (error: unknown) => {
          if (this.entries.get(entry.profile) === entry) this.reject(entry, error);
          throw error;
        },
      );
    entry.inflight = inflight;
    const settled = () => {
      entry.inflight = null;
      if (this.entries.get(entry.profile) !== entry) return;
      this.plan(entry);
      this.publish();
    };
    inflight.then(settled, settled);
    this.publish();
    return inflight;
  }

  private withFetchTimeout(entry: Entry, fetch: Promise<AwsCredentials>): Promise<AwsCredentials> {
    const limitMs = entry.policy.fetchTimeoutMs;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
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
    if (credentials.expiresAt !== undefined && credentials.expiresAt <= this.clock.now()) {
      throw new RolecallError(
        'already-expired',
        `The source of profile ${profile} returned credentials that expired at ${new Date(credentials.expiresAt).toISOString()}.`,
        502,
      );
    }
    return credentials;
  }

  private accept(entry: Entry, credentials: AwsCredentials): void {
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
    this.plan(entry);
    this.store?.saveCredentials(entry.profile, {
      credentials,
      obtainedAt: now,
      refreshCount: entry.refreshCount,
    });
    this.emit('refreshed', { profile: entry.profile, expiresAt: credentials.expiresAt ?? null });
  }

  private reject(entry: Entry, error: unknown): void {
    const now = this.clock.now();
    entry.lastError = errorMessage(error);
    entry.failures += 1;
    entry.nextRefreshAt = now + backoffDelayMs(entry.failures, entry.policy);
    this.emit('refresh-failed', {
      profile: entry.profile,
      error: entry.lastError,
      failures: entry.failures,
      nextAttemptAt: entry.nextRefreshAt,
    });
    this.announceExpiry(entry, now);
  }

  /** Renew before serving when nothing valid is held or it is about to die — unless backing off. */
  private needsRenewalNow(entry: Entry): boolean {
    if (!entry.source) return false;
    if (entry.inflight) return true;
    const now = this.clock.now();
    const expiresAt = entry.credentials?.expiresAt;
    const dying =
      !entry.credentials ||
      (expiresAt !== undefined && expiresAt - now < entry.policy.mandatoryRemainingMs);
    if (!dying) return false;
    const backingOff =
      entry.failures > 0 && entry.nextRefreshAt !== null && now < entry.nextRefreshAt;
    return !backingOff;
  }

  private async awaitBounded(work: Promise<unknown>, limitMs: number): Promise<void> {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, limitMs);
    });
    try {
      await Promise.race([work.then(noop, noop), timeout]);
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
  }

  // --- the one timer -------------------------------------------------------------------------

  /** Plans the next moment this entry needs attention: a renewal, or an expiry announcement. */
  private plan(entry: Entry): void {
    const moments: number[] = [];
    if (entry.nextRefreshAt !== null && !entry.inflight) moments.push(entry.nextRefreshAt);
    const expiresAt = entry.credentials?.expiresAt;
    if (expiresAt !== undefined) {
      // Announcement moments already past were checked when they passed; a failing renewal
      // checks again itself (reject), so only future ones need the timer.
      const now = this.clock.now();
      const warnAt = expiresAt - entry.policy.expiringSoonMs;
      if (!entry.announced.expiringSoon && warnAt > now) moments.push(warnAt);
      if (!entry.announced.expired && expiresAt > now) moments.push(expiresAt);
    }
    if (moments.length === 0) this.scheduler.cancel(entry.profile);
    else this.scheduler.schedule(entry.profile, Math.min(...moments));
  }

  private wake(profile: string): void {
    const entry = this.entries.get(profile);
    if (!entry) return;
    const now = this.clock.now();
    const changed = this.announceExpiry(entry, now);
    if (entry.nextRefreshAt !== null && entry.nextRefreshAt <= now && entry.source) {
      // Failures are already recorded by reject(); the timer has no caller to tell.
      this.refresh(entry).catch(noop);
      return;
    }
    this.plan(entry);
    if (changed) this.publish();
  }

  /**
   * Sends `expiring-soon` once when the credentials are inside the warning window and no renewal
   * is on its way to save them, and `expired` once when they die. Returns whether anything fired.
   */
  private announceExpiry(entry: Entry, now: number): boolean {
    const expiresAt = entry.credentials?.expiresAt;
    if (expiresAt === undefined) return false;
    if (!entry.announced.expired && expiresAt <= now) {
      entry.announced.expired = true;
      entry.announced.expiringSoon = true;
      this.emit('expired', { profile: entry.profile, expiresAt });
      return true;
    }
    const renewalExpected =
      entry.source !== null &&
      entry.failures === 0 &&
      entry.nextRefreshAt !== null &&
      entry.nextRefreshAt < expiresAt;
    if (
      !entry.announced.expiringSoon &&
      !renewalExpected &&
      expiresAt - now <= entry.policy.expiringSoonMs
    ) {
      entry.announced.expiringSoon = true;
      this.emit('expiring-soon', { profile: entry.profile, expiresAt });
      return true;
    }
    return false;
  }

  // --- bookkeeping ---------------------------------------------------------------------------

  private newEntry(profile: string, source: CredentialSource | null): Entry {
    return {
      profile,
      source,
      sourceError: null,
      credentials: null,
      obtainedAt: null,
      lastError: null,
      refreshCount: 0,
      failures: 0,
      nextRefreshAt: null,
      overrides: {},
      policy: this.policy,
      announced: { expiringSoon: false, expired: false },
      inflight: null,
    };
  }

  private setOverrides(entry: Entry, overrides: PolicyOverrides): void {
    entry.overrides = { ...overrides };
    entry.policy = { ...this.policy, ...entry.overrides };
  }

  private assignSlot(profile: string, named: boolean): void {
    if (named) {
      this.namedSlots.add(profile);
      return;
    }
    const previous = this.defaultProfile;
    this.defaultProfile = profile;
    if (previous !== null && previous !== profile) this.dropUnused(previous);
  }

  /** Forgets an entry no slot refers to any more, so its credentials leave memory and keychain. */
  private dropUnused(profile: string): void {
    if (this.defaultProfile === profile || this.namedSlots.has(profile)) return;
    const entry = this.entries.get(profile);
    // An entry whose first fetch is still running belongs to a load in progress.
    if (entry?.inflight && !entry.credentials) return;
    this.forget(profile);
  }

  private forget(profile: string): void {
    if (!this.entries.delete(profile)) return;
    this.scheduler.cancel(profile);
    this.store?.deleteCredentials(profile);
  }

  private isExpired(credentials: AwsCredentials): boolean {
    return credentials.expiresAt !== undefined && credentials.expiresAt <= this.clock.now();
  }

  private unavailableError(entry: Entry): RolecallError {
    const expiresAt = entry.credentials?.expiresAt;
    const what =
      expiresAt !== undefined
        ? `The credentials for profile ${entry.profile} expired at ${new Date(expiresAt).toISOString()}.`
        : `Profile ${entry.profile} has no valid credentials.`;
    const cause = entry.lastError ? ` Renewing them failed: ${entry.lastError}` : '';
    const fix = entry.source
      ? ` Fix the cause, then run \`rolecall load ${entry.profile}\`.`
      : ` They were pushed over the API and cannot be renewed; push new ones or load the profile with \`rolecall load ${entry.profile}\`.`;
    return new RolecallError('credentials-expired', `${what}${cause}${fix}`, 503);
  }

  private stateOf(entry: Entry): EntryState {
    if (entry.inflight) return 'refreshing';
    if (!entry.credentials) return 'failed';
    if (this.isExpired(entry.credentials)) return 'expired';
    return entry.failures > 0 ? 'stale' : 'fresh';
  }

  private view(entry: Entry): EntryView {
    const credentials = entry.credentials;
    const view: EntryView = {
      profile: entry.profile,
      state: this.stateOf(entry),
      expiresAt: toIso(credentials?.expiresAt),
      refreshedAt: toIso(entry.obtainedAt ?? undefined),
      nextRefreshAt: entry.source ? toIso(entry.nextRefreshAt ?? undefined) : null,
      lastError: entry.lastError,
      refreshCount: entry.refreshCount,
      refreshable: entry.source !== null,
    };
    if (credentials?.accountId) view.accountId = credentials.accountId;
    if (credentials?.roleArn) view.roleArn = credentials.roleArn;
    if (credentials?.roleName) view.roleName = credentials.roleName;
    return view;
  }

  private layout(): PersistedLayout {
    const profiles: PersistedLayout['profiles'] = {};
    for (const entry of this.entries.values()) {
      if (!entry.credentials && !entry.source) continue;
      profiles[entry.profile] = {
        refreshable: entry.source !== null || entry.sourceError !== null,
        ...(Object.keys(entry.overrides).length ? { policy: entry.overrides } : {}),
      };
    }
    return {
      version: 1,
      defaultProfile: this.defaultProfile,
      slots: [...this.namedSlots].sort(compareNames),
      profiles,
    };
  }

  private saveLayout(): void {
    this.store?.saveLayout(this.layout());
  }

  /**
   * Tells listeners the snapshot changed. Bursts (1,000 profiles renewed in one tick) coalesce
   * into one `changed` event carrying the final state.
   */
  private publish(): void {
    if (!this.publishQueued) {
      this.publishQueued = true;
      queueMicrotask(() => {
        this.publishQueued = false;
        if (this.listenerCount('changed') > 0) this.emit('changed', this.snapshot());
      });
    }
  }
}

function emptySlotError(slot: SlotRef): RolecallError {
  return slot.kind === 'default'
    ? new RolecallError(
        'slot-empty',
        'No profile is loaded in the default slot. Load one with `rolecall load <profile>`.',
        404,
      )
    : new RolecallError(
        'slot-empty',
        `Profile ${slot.profile} is not loaded in a slot. Load it with \`rolecall load ${slot.profile} --slot\`.`,
        404,
      );
}

function toIso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function noop(): void {}
