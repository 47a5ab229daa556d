import { slotPath } from '../../src-shared/slot-url';
import type { ServerInfo } from '../../src-shared/server-info';
import type { Snapshot } from '../../src-shared/snapshot';
import { formatElapsed, formatTimeLeft } from '../../src-shared/time';
import { formatTable } from './table';

/**
 * What `rolecall status` prints: where the server is, then one row per slot and per load still
 * waiting for its source, then last errors and whether the slots survive a restart.
 */
export function formatStatus(info: ServerInfo, snapshot: Snapshot, now: number): string {
  const lines = [`Rolecall ${info.version} serving ${info.url} (pid ${info.pid})`];
  const rows: string[][] = [];
  const byProfile = new Map(snapshot.entries.map((entry) => [entry.profile, entry]));
  const slotted: Array<[string, string]> = [];
  if (snapshot.defaultProfile) slotted.push(['default', snapshot.defaultProfile]);
  // A named slot is shown as the path clients ask it at, which is what a user copies.
  for (const profile of snapshot.slots) slotted.push([slotPath(profile), profile]);
  const loading = snapshot.loading ?? [];
  const notSaved = snapshot.notSaved ? `\nWarning: ${snapshot.notSaved}\n` : '';

  if (slotted.length === 0 && loading.length === 0) {
    lines.push(
      'No profile is loaded. Load one with `rolecall load <profile>` (see `rolecall profiles`).',
    );
    return `${lines.join('\n')}\n${notSaved}`;
  }
  for (const [slot, profile] of slotted) {
    const entry = byProfile.get(profile);
    const expiresAt = entry?.expiresAt ? Date.parse(entry.expiresAt) : null;
    rows.push([
      slot,
      profile,
      entry?.state ?? 'unknown',
      expiresAt === null ? 'never' : formatTimeLeft(expiresAt - now),
      entry?.expiresAt ?? '-',
      entry?.nextRefreshAt ?? '-',
    ]);
  }
  for (const load of loading) {
    rows.push([
      load.slot === 'default' ? 'default' : slotPath(load.profile),
      load.profile,
      `loading for ${formatElapsed(now - Date.parse(load.startedAt))}`,
      '-',
      '-',
      '-',
    ]);
  }
  const errors = snapshot.entries
    .filter((entry) => entry.lastError)
    .map((entry) => `${entry.profile}: ${entry.lastError}`);
  return `${lines.join('\n')}\n\n${formatTable(['SLOT', 'PROFILE', 'STATE', 'EXPIRES IN', 'EXPIRES AT', 'NEXT REFRESH'], rows)}${
    errors.length ? `\nLast errors:\n${errors.map((line) => `  ${line}`).join('\n')}\n` : ''
  }${notSaved}`;
}
