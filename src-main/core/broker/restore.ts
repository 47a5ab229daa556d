import { errorMessage } from '../errors';
import { mapWithLimit } from '../map-limit';
import type { CredentialSource } from '../sources/source';
import { isExpired, newEntry, setOverrides, type Entry } from './entry';
import type { BrokerStore, PersistedLayout, StoredCredentials } from './persistence';
import { plannedRefreshAt, type RefreshPolicy } from './refresh-policy';

/** Finds the source for a profile; throws a SourceError when the profile can't be loaded. */
export type SourceResolver = (profile: string) => Promise<CredentialSource>;

/** Enough to overlap the keychain's round trips without crowding it. */
const KEYCHAIN_READS_AT_ONCE = 8;

/**
 * What the last run left: its entries, ready to serve, which slot held which profile, and which
 * profiles each was made from.
 */
export interface LastRun {
  entries: Entry[];
  defaultProfile: string | null;
  slots: string[];
  parents: Map<string, string[]>;
}

/**
 * Reads the slots and credentials of the last run. Sources are resolved together, so the
 * resolver reads the AWS config once for all of them; the keychain is read a few items at a time
 * (one at a time made 1,000 slots take over a second).
 */
export async function readLastRun(options: {
  store: BrokerStore;
  resolveSource: SourceResolver;
  policy: RefreshPolicy;
  now: () => number;
  random: () => number;
}): Promise<LastRun | null> {
  const layout = await options.store.loadLayout();
  if (!layout) return null;
  const saved = Object.entries(layout.profiles);
  const [sources, stored] = await Promise.all([
    Promise.all(
      saved.map(([profile, { refreshable }]) =>
        refreshable
          ? options.resolveSource(profile).then(
              (source): ResolvedSource => ({ source }),
              (error: unknown): ResolvedSource => ({ error: errorMessage(error) }),
            )
          : null,
      ),
    ),
    mapWithLimit(saved, KEYCHAIN_READS_AT_ONCE, ([profile]) =>
      options.store.loadCredentials(profile),
    ),
  ]);
  return {
    entries: restoredEntries(layout, sources, stored, { ...options, now: options.now() }),
    defaultProfile: layout.defaultProfile,
    slots: layout.slots,
    parents: new Map(
      saved.flatMap(([profile, { parents }]) => (parents?.length ? [[profile, parents]] : [])),
    ),
  };
}

export type ResolvedSource = { source: CredentialSource } | { error: string };

/**
 * One entry per saved profile that still has something to serve or a way to renew. Valid
 * credentials are planned for renewal on their schedule; expired or missing ones at once.
 */
export function restoredEntries(
  layout: PersistedLayout,
  sources: Array<ResolvedSource | null>,
  stored: Array<StoredCredentials | null>,
  options: { policy: RefreshPolicy; now: number; random: () => number },
): Entry[] {
  const { now } = options;
  const entries: Entry[] = [];
  for (const [index, [profile, saved]] of Object.entries(layout.profiles).entries()) {
    const entry = newEntry(profile, null, options.policy);
    setOverrides(entry, saved.policy ?? {}, options.policy);
    const resolved = sources[index];
    if (resolved && 'source' in resolved) entry.source = resolved.source;
    if (resolved && 'error' in resolved) {
      entry.sourceError = resolved.error;
      entry.lastError = resolved.error;
    }
    const kept = stored[index];
    if (kept) {
      entry.credentials = kept.credentials;
      entry.obtainedAt = kept.obtainedAt;
      entry.refreshCount = kept.refreshCount;
    }
    if (!entry.credentials && !entry.source) continue;
    if (entry.source) {
      const valid = entry.credentials && !isExpired(entry.credentials, now);
      const planned =
        valid && entry.obtainedAt !== null
          ? plannedRefreshAt(
              entry.obtainedAt,
              entry.credentials!.expiresAt,
              entry.policy,
              options.random,
            )
          : now;
      entry.nextRefreshAt = planned === null ? null : Math.max(planned, now);
    }
    entries.push(entry);
  }
  return entries;
}
