import { create } from 'zustand';
import { markUsed, noPicks, parsePicks, togglePin, type Picks } from './picks';

/**
 * Pinned and recent profiles, kept in this origin's local storage: the desktop window and its
 * popover share them (and see each other's changes), the web UI keeps its own.
 */
const KEY = 'rolecall-picks';

function read(): Picks {
  try {
    return parsePicks(localStorage.getItem(KEY));
  } catch {
    return noPicks;
  }
}

export const usePicksStore = create<{ picks: Picks }>(() => ({ picks: read() }));

function save(change: (picks: Picks) => Picks): void {
  const picks = change(usePicksStore.getState().picks);
  usePicksStore.setState({ picks });
  try {
    localStorage.setItem(KEY, JSON.stringify(picks));
  } catch {
    // Storage refused (full, or turned off): the picks last as long as the page.
  }
}

export const togglePinned = (profile: string) => save((picks) => togglePin(picks, profile));
export const markProfileUsed = (profile: string) => save((picks) => markUsed(picks, profile));

/** Another window of the same origin changed them. */
if (typeof window !== 'undefined')
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) usePicksStore.setState({ picks: parsePicks(event.newValue) });
  });
