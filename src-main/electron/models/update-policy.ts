import type { Snapshot } from '../../../src-shared/snapshot';

/**
 * When the installed app looks for an update and when it installs one, as plain decisions of the
 * facts and the time: the adapter (`updates.ts`) asks, electron-updater does the work. An update
 * is downloaded in the background and installed when the app quits — never while credentials
 * are being renewed, since installing ends the process and the renewal with it.
 */
export interface UpdateFacts {
  /** The `updates.automatic` setting (default on). */
  enabled: boolean;
  /** Only an installed app can update itself (run from a clone, git does). */
  packaged: boolean;
  /** When the app started, for the first check. */
  startedAt: number;
  /** When the last check started, or null before the first. */
  lastCheckAt: number | null;
  /** A check or download is under way. */
  busy: boolean;
  /** The version downloaded and waiting to be installed, if any. */
  downloaded: string | null;
}

/** Not at the start: the first minutes belong to signing in and loading. */
export const FIRST_CHECK_DELAY_MS = 5 * 60_000;
/** GitHub's release API allows 60 unauthenticated calls an hour per address; four hours is polite. */
export const CHECK_INTERVAL_MS = 4 * 60 * 60_000;

/** When the next check is due, or null when none will be. */
export function nextCheckAt(facts: UpdateFacts): number | null {
  if (!facts.enabled || !facts.packaged || facts.busy || facts.downloaded !== null) return null;
  return facts.lastCheckAt === null
    ? facts.startedAt + FIRST_CHECK_DELAY_MS
    : facts.lastCheckAt + CHECK_INTERVAL_MS;
}

export function shouldCheck(facts: UpdateFacts, now: number): boolean {
  const due = nextCheckAt(facts);
  return due !== null && now >= due;
}

/** Credentials are being renewed while any entry is refreshing. */
export function renewalInFlight(snapshot: Snapshot): boolean {
  return snapshot.entries.some((entry) => entry.state === 'refreshing');
}

export type InstallDecision =
  /** Install the downloaded update as the app ends. */
  | { kind: 'install'; version: string }
  /** Quit without installing: the update waits for a later quit. */
  | { kind: 'not-now'; reason: string }
  | { kind: 'nothing' };

/** At quit: install what was downloaded, unless that is switched off or a renewal runs. */
export function installOnQuit(facts: UpdateFacts, snapshot: Snapshot): InstallDecision {
  if (facts.downloaded === null) return { kind: 'nothing' };
  if (!facts.enabled)
    return { kind: 'not-now', reason: 'Automatic updates are turned off in the settings.' };
  if (renewalInFlight(snapshot))
    return {
      kind: 'not-now',
      reason: `Credentials were being renewed; Rolecall ${facts.downloaded} installs when you next quit.`,
    };
  return { kind: 'install', version: facts.downloaded };
}

/** What the window's notice says, or null when there is nothing to say. */
export function updateNotice(facts: UpdateFacts): string | null {
  if (facts.downloaded === null || !facts.enabled) return null;
  return `Rolecall ${facts.downloaded} is ready; it installs when you quit Rolecall.`;
}
