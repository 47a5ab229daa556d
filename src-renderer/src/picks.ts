/**
 * The profiles a person reaches for: pinned ones (kept until unpinned) and the most recently
 * used (loaded, switched to, opened in the console). Both are listed above every account.
 */
export interface Picks {
  pinned: string[];
  recent: string[];
}

export const RECENT_LIMIT = 5;
export const noPicks: Picks = { pinned: [], recent: [] };

export function togglePin(picks: Picks, profile: string): Picks {
  return picks.pinned.includes(profile)
    ? { ...picks, pinned: picks.pinned.filter((name) => name !== profile) }
    : { ...picks, pinned: [...picks.pinned, profile] };
}

/** The profile moves to the front of the recent ones; the oldest falls off past the limit. */
export function markUsed(picks: Picks, profile: string): Picks {
  return {
    ...picks,
    recent: [profile, ...picks.recent.filter((name) => name !== profile)].slice(0, RECENT_LIMIT),
  };
}

/**
 * What the top of the list shows, given the profiles the config has today: pinned first (in the
 * order pinned), then recent ones not pinned. A pick whose profile was removed is not shown, but
 * kept, so it comes back with the profile.
 */
export function topOfList(picks: Picks, existing: readonly string[]): Picks {
  const known = new Set(existing);
  const pinned = picks.pinned.filter((name) => known.has(name));
  return {
    pinned,
    recent: picks.recent.filter((name) => known.has(name) && !pinned.includes(name)),
  };
}

const names = (value: unknown): string[] =>
  Array.isArray(value)
    ? [...new Set(value.filter((name): name is string => typeof name === 'string'))]
    : [];

/** Picks read back from storage; anything unreadable (edited by hand, an older shape) is none. */
export function parsePicks(raw: string | null): Picks {
  if (!raw) return noPicks;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof Picks, unknown>>;
    return { pinned: names(value.pinned), recent: names(value.recent).slice(0, RECENT_LIMIT) };
  } catch {
    return noPicks;
  }
}
