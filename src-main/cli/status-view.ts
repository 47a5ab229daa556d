import { slotPath } from '../../src-shared/slot-url';
import type { ServerInfo } from '../../src-shared/server-info';
import type { Snapshot } from '../../src-shared/snapshot';
import type { InputRequestView } from '../../src-shared/input-request';
import { chainOf, questionTitle } from '../../src-shared/questions';
import { formatElapsed, formatTimeLeft } from '../../src-shared/time';
import { shQuote } from '../core/env-format';
import { formatTable } from './table';

/**
 * What `rolecall status` prints: where the server is, then one row per slot and per load still
 * waiting for its source, then each question waiting for a person (who waits, and how to answer),
 * last errors and whether the slots survive a restart.
 */
export function formatStatus(info: ServerInfo, snapshot: Snapshot, now: number): string {
  const where = info.socket ? `${info.url} and the socket ${info.socket}` : info.url;
  const lines = [`Rolecall ${info.version} serving ${where} (pid ${info.pid})`];
  const rows: string[][] = [];
  const byProfile = new Map(snapshot.entries.map((entry) => [entry.profile, entry]));
  const slotted: Array<[string, string]> = [];
  if (snapshot.defaultProfile) slotted.push(['default', snapshot.defaultProfile]);
  // A named slot is shown as the path clients ask it at, which is what a user copies.
  for (const profile of snapshot.slots) slotted.push([slotPath(profile), profile]);
  const loading = snapshot.loading ?? [];
  const notSaved = snapshot.notSaved ? `\nWarning: ${snapshot.notSaved}\n` : '';
  const questions = formatQuestions(snapshot, now);

  if (slotted.length === 0 && loading.length === 0) {
    lines.push(
      'No profile is loaded. Load one with `rolecall load <profile>` (see `rolecall profiles`).',
    );
    return `${lines.join('\n')}\n${questions}${notSaved}`;
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
  return `${lines.join('\n')}\n\n${formatTable(['SLOT', 'PROFILE', 'STATE', 'EXPIRES IN', 'EXPIRES AT', 'NEXT REFRESH'], rows)}${questions}${
    errors.length ? `\nLast errors:\n${errors.map((line) => `  ${line}`).join('\n')}\n` : ''
  }${notSaved}`;
}

/**
 * Each open question: what it asks, who waits for it — loaded profiles made from one that waits
 * are named with it — how long it has waited, why the last answer did not do, and the command
 * that answers it.
 */
function formatQuestions(snapshot: Snapshot, now: number): string {
  const requests = snapshot.inputRequests ?? [];
  if (requests.length === 0) return '';
  const lines = requests.flatMap((request) => [
    `  ${questionTitle(request)}, for ${whoWaits(snapshot, request)}; asked ${formatElapsed(now - Date.parse(request.since))} ago.`,
    ...(request.retryReason ? [`    Asked again: ${request.retryReason}`] : []),
    `    ${howToAnswer(request)}`,
  ]);
  return `\nWaiting for you:\n${lines.join('\n')}\n`;
}

/** "base and admin (through base)": who asks, then loaded profiles made from them. */
function whoWaits(snapshot: Snapshot, request: InputRequestView): string {
  const through = snapshot.entries
    .filter((entry) => !request.waiting.includes(entry.profile))
    .map((entry) => ({
      profile: entry.profile,
      via: chainOf(snapshot, entry.profile).filter((name) => request.waiting.includes(name)),
    }))
    .filter(({ via }) => via.length > 0)
    .map(({ profile, via }) => `${profile} (through ${via.join(', ')})`);
  const names = [...request.waiting, ...through];
  if (names.length === 0) return 'no loaded profile';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/** The command that answers a question: `login` for a sign-in, else `answer` naming who waits. */
function howToAnswer(request: InputRequestView): string {
  if (request.kind === 'sign-in') {
    const session = request.ssoSession ?? request.key.replace(/^sso:/, '');
    return `Sign in with \`rolecall login ${shellWord(session)}\` (or from Rolecall's window); the profiles waiting go on once you have.`;
  }
  const target = request.waiting[0] ?? request.key;
  return `Answer with \`rolecall answer ${shellWord(target)}\` (or in Rolecall's window).`;
}

/** A word as a shell reads it back: quoted only when it has to be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shQuote(word);
}
