import { EventEmitter } from 'node:events';
import type { EntryState, EntryView, Snapshot } from '../../../src-shared/snapshot';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { AwsCredentials } from '../credentials';
import { RolecallError, errorMessage } from '../errors';
import type { CredentialSource } from '../sources/source';

/** Finds the source for a profile; throws a SourceError when the profile can't be loaded. */
export type SourceResolver = (profile: string) => Promise<CredentialSource>;

export interface BrokerOptions {
  resolveSource: SourceResolver;
  clock?: Clock;
}

/** Which slot a request addresses: the default one, or the named slot of a profile. */
export type SlotRef = { kind: 'default' } | { kind: 'named'; profile: string };

interface Entry {
  profile: string;
  source: CredentialSource | null;
  credentials: AwsCredentials | null;
  refreshedAt: number | null;
  lastError: string | null;
  refreshCount: number;
  /** The one in-flight fetch for this profile; concurrent callers share it. */
  inflight: Promise<AwsCredentials> | null;
}

export interface BrokerEvents {
  changed: [Snapshot];
}

/**
 * Owns every loaded credential: one entry per profile, however many slots it is in. Nothing but
 * the broker calls a source. Readers (ECS routes, CLI, UIs) get credentials or a snapshot.
 */
export class Broker extends EventEmitter<BrokerEvents> {
  private readonly entries = new Map<string, Entry>();
  private defaultProfile: string | null = null;
  private readonly namedSlots = new Set<string>();
  private readonly clock: Clock;
  private readonly resolveSource: SourceResolver;

  constructor(options: BrokerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.resolveSource = options.resolveSource;
  }

  /**
   * Runs the profile's source and puts the result in the default slot or the profile's own slot.
   * The source is resolved again on every explicit load, so a fixed ~/.aws/config takes effect.
   */
  async load(profile: string, options: { slot?: boolean } = {}): Promise<Snapshot> {
    const source = await this.resolveSource(profile);
    const entry = this.entries.get(profile) ?? this.newEntry(profile, source);
    entry.source = source;
    // The entry is visible (as `refreshing`) while its first fetch runs, and concurrent loads of
    // the same profile find it and share that fetch.
    this.entries.set(profile, entry);
    const fetching = this.refresh(entry);
    this.publish();
    try {
      await fetching;
    } catch (error) {
      if (!entry.credentials) this.dropUnused(profile);
      this.publish();
      throw error;
    }
    this.assignSlot(profile, options.slot ?? false);
    return this.publish();
  }

  /**
   * Stores credentials handed over the ECS API (`PUT /`, `PUT /slot/<p>`). They have no source,
   * so they are served until they expire and are never refreshed.
   */
  put(profile: string, credentials: AwsCredentials, options: { slot?: boolean } = {}): Snapshot {
    const entry = this.entries.get(profile) ?? this.newEntry(profile, null);
    entry.credentials = credentials;
    entry.refreshedAt = this.clock.now();
    entry.lastError = null;
    this.entries.set(profile, entry);
    this.assignSlot(profile, options.slot ?? false);
    return this.publish();
  }

  /** Removes a profile from every slot. Returns false when it was not loaded. */
  unload(profile: string): boolean {
    if (!this.entries.has(profile)) return false;
    if (this.defaultProfile === profile) this.defaultProfile = null;
    this.namedSlots.delete(profile);
    this.dropUnused(profile);
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
    this.publish();
    return profile;
  }

  /** Empties every named slot (`DELETE /slot`). Returns how many there were. */
  clearNamed(): number {
    const profiles = [...this.namedSlots];
    this.namedSlots.clear();
    for (const profile of profiles) this.dropUnused(profile);
    if (profiles.length > 0) this.publish();
    return profiles.length;
  }

  unloadAll(): Snapshot {
    this.defaultProfile = null;
    this.namedSlots.clear();
    this.entries.clear();
    return this.publish();
  }

  /** The profile a slot holds, or null when it is empty. */
  profileIn(slot: SlotRef): string | null {
    if (slot.kind === 'default') return this.defaultProfile;
    return this.namedSlots.has(slot.profile) ? slot.profile : null;
  }

  /**
   * The credentials a slot serves. Throws a 404 when the slot is empty and a 503 when what it
   * holds has expired, with a message that says how to recover.
   */
  async credentialsFor(slot: SlotRef): Promise<{ profile: string; credentials: AwsCredentials }> {
    const profile = this.profileIn(slot);
    if (profile === null) {
      throw slot.kind === 'default'
        ? new RolecallError(
            'slot-empty',
            'No profile is loaded in the default slot. Load one with `rolecall load <profile>`.',
            404,
          )
        : new RolecallError(
            'slot-empty',
            `Profile ${profile ?? slot.profile} is not loaded in a slot. Load it with \`rolecall load ${slot.profile} --slot\`.`,
            404,
          );
    }
    const entry = this.entries.get(profile);
    const credentials = entry?.credentials;
    if (!entry || !credentials) {
      throw new RolecallError('slot-empty', `Profile ${profile} has no credentials.`, 404);
    }
    if (this.isExpired(credentials)) {
      const cause = entry.lastError ? ` The last refresh failed: ${entry.lastError}` : '';
      throw new RolecallError(
        'credentials-expired',
        `The credentials for profile ${profile} expired at ${new Date(credentials.expiresAt ?? 0).toISOString()}.${cause} Load the profile again with \`rolecall load ${profile}\`.`,
        503,
      );
    }
    return { profile, credentials };
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

  /** Single flight: every caller during a fetch shares the same promise and the same result. */
  private refresh(entry: Entry): Promise<AwsCredentials> {
    if (entry.inflight) return entry.inflight;
    const source = entry.source;
    if (!source) {
      return Promise.reject(
        new RolecallError('not-refreshable', `Profile ${entry.profile} has no source to refresh from.`, 409),
      );
    }
    const inflight = source
      .fetch()
      .then((credentials) => {
        entry.credentials = credentials;
        entry.refreshedAt = this.clock.now();
        entry.lastError = null;
        entry.refreshCount += 1;
        return credentials;
      })
      .catch((error: unknown) => {
        entry.lastError = errorMessage(error);
        throw error;
      })
      .finally(() => {
        entry.inflight = null;
      });
    entry.inflight = inflight;
    return inflight;
  }

  private newEntry(profile: string, source: CredentialSource | null): Entry {
    return {
      profile,
      source,
      credentials: null,
      refreshedAt: null,
      lastError: null,
      refreshCount: 0,
      inflight: null,
    };
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

  /** Forgets an entry no slot refers to any more, so its credentials leave memory. */
  private dropUnused(profile: string): void {
    if (this.defaultProfile === profile || this.namedSlots.has(profile)) return;
    this.entries.delete(profile);
  }

  private isExpired(credentials: AwsCredentials): boolean {
    return credentials.expiresAt !== undefined && credentials.expiresAt <= this.clock.now();
  }

  private stateOf(entry: Entry): EntryState {
    if (entry.inflight) return 'refreshing';
    if (!entry.credentials) return 'failed';
    if (this.isExpired(entry.credentials)) return 'expired';
    return entry.lastError ? 'stale' : 'fresh';
  }

  private view(entry: Entry): EntryView {
    const credentials = entry.credentials;
    const view: EntryView = {
      profile: entry.profile,
      state: this.stateOf(entry),
      expiresAt: toIso(credentials?.expiresAt),
      refreshedAt: toIso(entry.refreshedAt ?? undefined),
      nextRefreshAt: null,
      lastError: entry.lastError,
      refreshCount: entry.refreshCount,
      refreshable: entry.source !== null,
    };
    if (credentials?.accountId) view.accountId = credentials.accountId;
    if (credentials?.roleArn) view.roleArn = credentials.roleArn;
    return view;
  }

  private publish(): Snapshot {
    const snapshot = this.snapshot();
    this.emit('changed', snapshot);
    return snapshot;
  }
}

function toIso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
