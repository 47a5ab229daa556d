import { slotUrl } from '../../src-shared/slot-url';
import type { Snapshot } from '../../src-shared/snapshot';

/** One filled slot as the Loaded table shows it. */
export interface SlotRow {
  kind: 'default' | 'named';
  /** The slot's name: "Default", or the profile a named slot is named after. */
  name: string;
  profile: string;
  /** Where AWS tools fetch it; null while the server is off. */
  url: string | null;
}

/**
 * Every filled slot, the default first, with the URL to point AWS tools at: the server's base
 * URL for the default slot, and the shared slot URL (slot-url.ts) for a named one.
 */
export function slotRows(snapshot: Snapshot, serverUrl: string | null): SlotRow[] {
  const named = (profile: string): string | null =>
    serverUrl ? slotUrl(serverUrl, profile) : null;
  return [
    ...(snapshot.defaultProfile
      ? [
          {
            kind: 'default' as const,
            name: 'Default',
            profile: snapshot.defaultProfile,
            url: serverUrl,
          },
        ]
      : []),
    ...snapshot.slots.map((profile) => ({
      kind: 'named' as const,
      name: profile,
      profile,
      url: named(profile),
    })),
  ];
}

/** Where a profile is loaded, in words for the profile list; null when it is not loaded. */
export function whereLoaded(
  profile: string,
  snapshot: Pick<Snapshot, 'defaultProfile' | 'slots'>,
): string | null {
  const inDefault = snapshot.defaultProfile === profile;
  const inOwn = snapshot.slots.includes(profile);
  if (inDefault && inOwn) return 'Loaded in the default slot and its own';
  if (inDefault) return 'Loaded in the default slot';
  if (inOwn) return 'Loaded in its own slot';
  return null;
}
