import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import type { EntryState } from '../../../src-shared/snapshot';

/**
 * The asking side of the instance lock (see instance-lock.ts), apart from the holding side so a
 * shell prompt that asks loads only `net`: the holder answers one line of JSON and closes.
 */

/** What the default slot holds, as the holder tells it: all `rolecall status --prompt` shows. */
export interface DefaultSlotSummary {
  profile: string;
  /** When its credentials expire; null when they do not, or there are none yet. */
  expiresAt: string | null;
  /** Null while the profile is still loading (it has no entry yet). */
  state: EntryState | null;
}

/** Which Rolecall holds a home: the desktop app or `rolecall serve`. */
export type InstanceApp = 'desktop' | 'serve';

/**
 * Who holds the lock: its pid, or null when it is alive but did not say (busy, or not ours);
 * which Rolecall it is and where it serves, when it said (older versions said only their pid).
 */
export interface InstanceHolder {
  pid: number | null;
  app?: InstanceApp;
  url?: string;
  /**
   * The holder's default slot (null: empty). Absent when it did not say: a Rolecall older than
   * this field, one on Windows (see `announceDefaultSlot`), or one too busy to answer.
   */
  defaultSlot?: DefaultSlotSummary | null;
}

const isWindows = process.platform === 'win32';
/** A holder answers at once; one that doesn't within this is busy but alive. */
const ASK_TIMEOUT_MS = 2_000;

export function instanceLockAddress(home: string): string {
  const absolute = resolve(home);
  if (isWindows) {
    // Pipe names are global, so the name is a digest of the home (case-insensitive, like its
    // paths). node:crypto is loaded only here: elsewhere asking must stay as light as `net`.
    const { createHash } = process.getBuiltinModule('node:crypto');
    const digest = createHash('sha256').update(absolute.toLowerCase()).digest('hex').slice(0, 32);
    return `\\\\.\\pipe\\rolecall-${digest}`;
  }
  return join(absolute, 'instance.sock');
}

/** Asks whoever holds the lock of this home; null when nobody does. */
export function askInstanceHolder(home: string): Promise<InstanceHolder | null> {
  return askHolder(instanceLockAddress(home));
}

export function askHolder(address: string): Promise<InstanceHolder | null> {
  return new Promise((resolvePromise) => {
    let answer = '';
    const socket = createConnection(address);
    const done = (holder: InstanceHolder | null) => {
      socket.destroy();
      clearTimeout(timer);
      resolvePromise(holder);
    };
    const timer = setTimeout(() => done({ pid: null }), ASK_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => done(parseHolderAnswer(answer)));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      // Refused: a socket file nobody listens on. Missing: nothing there. Anything else (a full
      // backlog, no permission) means something is there.
      done(error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? null : { pid: null }),
    );
  });
}

/** The line a holder answers with (an undefined default slot is left out: not told). */
export function holderAnswer(holder: InstanceHolder & { pid: number }): string {
  return `${JSON.stringify(holder)}\n`;
}

/**
 * A holder's answer read back, checked by hand: whatever is not what a holder writes is dropped
 * (a pid that is not an integer is null, a default slot that is not one is absent).
 */
export function parseHolderAnswer(answer: string): InstanceHolder {
  let json: unknown;
  try {
    json = JSON.parse(answer);
  } catch {
    return { pid: null };
  }
  if (typeof json !== 'object' || json === null) return { pid: null };
  const { pid, app, url, defaultSlot } = json as Record<string, unknown>;
  const holder: InstanceHolder = {
    pid: typeof pid === 'number' && Number.isInteger(pid) ? pid : null,
  };
  if (app === 'desktop' || app === 'serve') holder.app = app;
  if (typeof url === 'string') holder.url = url;
  if (defaultSlot === null) holder.defaultSlot = null;
  else if (isDefaultSlotSummary(defaultSlot)) {
    holder.defaultSlot = {
      profile: defaultSlot.profile,
      expiresAt: defaultSlot.expiresAt,
      state: defaultSlot.state,
    };
  }
  return holder;
}

const STATES: readonly (EntryState | null)[] = [
  'fresh',
  'refreshing',
  'stale',
  'expired',
  'failed',
  'needs-input',
  null,
] satisfies (EntryState | null)[];

function isDefaultSlotSummary(value: unknown): value is DefaultSlotSummary {
  if (typeof value !== 'object' || value === null) return false;
  const { profile, expiresAt, state } = value as Record<string, unknown>;
  return (
    typeof profile === 'string' &&
    (expiresAt === null ||
      (typeof expiresAt === 'string' && !Number.isNaN(Date.parse(expiresAt)))) &&
    STATES.includes(state as EntryState | null)
  );
}
