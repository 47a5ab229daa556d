import type { EntryState, EntryView } from '../../../src-shared/snapshot';
import type { AwsCredentials } from '../credentials';
import type { CredentialSource } from '../sources/source';
import type { FetchRun } from './fetch-run';
import type { RefreshPolicy } from './refresh-policy';

/** Per-profile changes to the refresh policy, kept with the layout. */
export interface PolicyOverrides {
  everyMs?: number;
}

/**
 * What the broker holds for one profile, however many slots serve it: its source, its current
 * credentials and where their renewal stands. Plain data; the renewal engine, the timer and the
 * announcer change it.
 */
export interface Entry {
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
  /** That fetch's context: what it waits for, and how to stop it when nobody wants its result. */
  run: FetchRun | null;
  /**
   * The last renewal failed because nobody answered a question it needed: the profile whose
   * question it was (this one, or a parent up its chain). Nothing renews it by itself until a
   * load needs it — or, when the question was a parent's, until that parent is renewed.
   */
  needsPerson: string | null;
}

export function newEntry(
  profile: string,
  source: CredentialSource | null,
  policy: RefreshPolicy,
): Entry {
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
    policy,
    announced: { expiringSoon: false, expired: false },
    inflight: null,
    run: null,
    needsPerson: null,
  };
}

/** The broker-wide policy with this entry's own overrides on top. */
export function setOverrides(entry: Entry, overrides: PolicyOverrides, policy: RefreshPolicy) {
  entry.overrides = { ...overrides };
  entry.policy = { ...policy, ...entry.overrides };
}

export function isExpired(credentials: AwsCredentials, now: number): boolean {
  return credentials.expiresAt !== undefined && credentials.expiresAt <= now;
}

/** Valid credentials to serve, or null (none held, or expired). */
export function validCredentials(entry: Entry, now: number): AwsCredentials | null {
  const credentials = entry.credentials;
  return credentials && !isExpired(credentials, now) ? credentials : null;
}

export function entryState(entry: Entry, now: number): EntryState {
  if (entry.inflight) return entry.run?.waitingFor() ? 'needs-input' : 'refreshing';
  if (!entry.credentials) return 'failed';
  if (isExpired(entry.credentials, now)) return 'expired';
  return entry.failures > 0 ? 'stale' : 'fresh';
}

/** Whether the entry's renewal waits for a person to answer (itself or through a parent). */
export function waitsForPerson(entry: Entry): boolean {
  return entry.run?.waitingFor() != null;
}

/** The entry as every UI sees it: no secrets. `parents` are the entries it is made from. */
export function entryView(entry: Entry, now: number, parents: readonly string[] = []): EntryView {
  const credentials = entry.credentials;
  const view: EntryView = {
    profile: entry.profile,
    state: entryState(entry, now),
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
  if (parents.length > 0) view.parents = [...parents];
  const waitingFor = entry.inflight ? entry.run?.waitingFor() : null;
  if (waitingFor) view.waitingFor = waitingFor;
  return view;
}

export function toIso(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

/** Sorts profile names the same on every machine (no locale). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
