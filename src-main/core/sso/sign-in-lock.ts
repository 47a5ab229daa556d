import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PendingSignIn } from '../../../src-shared/sso-session';
import { RolecallError } from '../errors';
import { parseJsonAs } from '../parse-json';
import { writePrivateFile } from '../runtime/private-file';
import { isProcessAlive } from '../runtime/process-alive';
import { removeStaleFile } from '../runtime/stale-file';
import { sessionCacheKey, sessionLabel } from './session-key';
import type { SsoSessionRef } from './types';

/**
 * A device code lives ten minutes and the browser flow waits ten; a sign-in record older than
 * this is left over from a process that hung, whatever its pid says.
 */
const SIGN_IN_MAX_AGE_MS = 15 * 60_000;
/** How often a holder looks whether its sign-in was cancelled from elsewhere. */
const CANCEL_CHECK_MS = 500;

const recordSchema = z.object({
  id: z.string(),
  session: z.string(),
  flow: z.enum(['device', 'pkce']),
  startedBy: z.enum(['app', 'terminal']),
  pid: z.number().int(),
  startedAt: z.number(),
  userCode: z.string().optional(),
  verificationUri: z.string().optional(),
  url: z.string().optional(),
  inBrowser: z.boolean().optional(),
});

/** A sign-in in progress, as written in `<ROLECALL_HOME>/sign-ins/<session key>.json`. */
export type SignInRecord = z.infer<typeof recordSchema>;

/** What a holder may say about where its sign-in waits. */
export type SignInProgress = Pick<
  SignInRecord,
  'userCode' | 'verificationUri' | 'url' | 'inBrowser'
>;

/** One sign-in the caller holds: it alone may keep a token for the session until it releases. */
export interface HeldSignIn {
  readonly record: SignInRecord;
  /** Says where the sign-in waits, for whoever asks next (best effort). */
  update(progress: SignInProgress): Promise<void>;
  /** False once the sign-in was cancelled (from anywhere) or taken over. */
  stillHeld(): Promise<boolean>;
  /** Calls `onLost` once the sign-in stops being held; returns a function that stops looking. */
  watch(onLost: () => void): () => void;
  release(): Promise<void>;
}

/** A second sign-in to a session while one waits; `pending` says where. */
export class SignInWaitingError extends RolecallError {
  constructor(readonly pending: SignInRecord) {
    super('sso-sign-in-waiting', waitingMessage(pending), 409);
  }
}

export interface SignInLocksOptions {
  now?: () => number;
  isAlive?: (pid: number) => boolean;
  checkEveryMs?: number;
}

/**
 * One sign-in per session at a time, across every process sharing a ROLECALL_HOME (the CLI, the
 * desktop app, `rolecall serve` and its web UI): a file created exclusively per session names the
 * holder and where its sign-in waits. Cancelling removes the file and leaves a marker with the
 * holder's id, which the holder notices within half a second and stops. A file whose process is
 * gone (killed, crashed) or that is older than any sign-in can last is taken over.
 */
export class SignInLocks {
  private readonly now: () => number;
  private readonly isAlive: (pid: number) => boolean;
  private readonly checkEveryMs: number;

  constructor(
    private readonly dir: string,
    options: SignInLocksOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.isAlive = options.isAlive ?? isProcessAlive;
    this.checkEveryMs = options.checkEveryMs ?? CANCEL_CHECK_MS;
  }

  async acquire(
    session: SsoSessionRef,
    holder: Pick<SignInRecord, 'flow' | 'startedBy'>,
  ): Promise<HeldSignIn> {
    const record: SignInRecord = {
      id: randomBytes(12).toString('base64url'),
      session: sessionLabel(session),
      flow: holder.flow,
      startedBy: holder.startedBy,
      pid: process.pid,
      startedAt: this.now(),
    };
    const path = this.lockPath(session);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await writeFile(path, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
        return this.held(session, record);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const current = await this.read(session);
      if (current && !this.isStale(current)) throw new SignInWaitingError(current);
      await removeStaleFile(path, current, (moved) =>
        readFile(moved, 'utf8')
          .then((text) => parseJsonAs(recordSchema, text))
          .catch(() => null),
      );
    }
  }

  /** The sign-in waiting for this session, if one is (stale ones are not). */
  async current(session: SsoSessionRef): Promise<SignInRecord | null> {
    const record = await this.read(session);
    if (!record || this.isStale(record)) return null;
    return (await this.cancelledId(session)) === record.id ? null : record;
  }

  /** Cancels the waiting sign-in, whoever holds it; returns it, or null when none was waiting. */
  async cancel(session: SsoSessionRef): Promise<SignInRecord | null> {
    const record = await this.current(session);
    if (!record) return null;
    await writePrivateFile(this.markerPath(session), record.id);
    await rm(this.lockPath(session), { force: true });
    return record;
  }

  private held(session: SsoSessionRef, record: SignInRecord): HeldSignIn {
    const path = this.lockPath(session);
    let current = record;
    let writes = Promise.resolve();
    const stillHeld = async () =>
      (await this.read(session))?.id === record.id &&
      (await this.cancelledId(session)) !== record.id;
    return {
      get record() {
        return current;
      },
      update: (progress) => {
        writes = writes.then(async () => {
          if (!(await stillHeld())) return;
          current = { ...current, ...progress };
          await writePrivateFile(path, JSON.stringify(current)).catch(() => undefined);
        });
        return writes;
      },
      stillHeld,
      watch: (onLost) => {
        let stopped = false;
        const timer = setInterval(() => {
          void stillHeld().then((held) => {
            if (held || stopped) return;
            stopped = true;
            clearInterval(timer);
            onLost();
          });
        }, this.checkEveryMs);
        timer.unref();
        return () => {
          stopped = true;
          clearInterval(timer);
        };
      },
      release: async () => {
        await writes;
        if ((await this.read(session))?.id === record.id) await rm(path, { force: true });
        if ((await this.cancelledId(session)) === record.id)
          await rm(this.markerPath(session), { force: true });
      },
    };
  }

  private isStale(record: SignInRecord): boolean {
    return !this.isAlive(record.pid) || this.now() - record.startedAt > SIGN_IN_MAX_AGE_MS;
  }

  private async read(session: SsoSessionRef): Promise<SignInRecord | null> {
    try {
      return parseJsonAs(recordSchema, await readFile(this.lockPath(session), 'utf8'));
    } catch {
      return null;
    }
  }

  private async cancelledId(session: SsoSessionRef): Promise<string | null> {
    try {
      return (await readFile(this.markerPath(session), 'utf8')).trim();
    } catch {
      return null;
    }
  }

  private lockPath(session: SsoSessionRef): string {
    return join(this.dir, `${sessionCacheKey(session)}.json`);
  }

  private markerPath(session: SsoSessionRef): string {
    return join(this.dir, `${sessionCacheKey(session)}.cancelled`);
  }
}

/** What a UI shows of a waiting sign-in: no pid, no id. */
export function pendingSignInView(record: SignInRecord): PendingSignIn {
  return {
    session: record.session,
    flow: record.flow,
    startedBy: record.startedBy,
    ...(record.userCode ? { userCode: record.userCode } : {}),
    ...(record.verificationUri ? { verificationUri: record.verificationUri } : {}),
    ...(record.url ? { url: record.url } : {}),
    ...(record.inBrowser ? { inBrowser: true } : {}),
  };
}

/** Where a sign-in waits, in words: "for the code X at URL", "in the browser". */
export function waitingWhere(record: Pick<SignInRecord, keyof SignInProgress>): string {
  if (record.userCode) {
    return `for the code ${record.userCode} at ${record.url ?? record.verificationUri ?? 'the sign-in page'}`;
  }
  if (record.inBrowser) return 'in the browser';
  return 'to start';
}

function startedByWords(record: SignInRecord): string {
  return record.startedBy === 'terminal'
    ? `started by \`rolecall login\` in a terminal (pid ${record.pid})`
    : `started from Rolecall's window or tray (pid ${record.pid})`;
}

/** The command that cancels a session's waiting sign-in. */
export function cancelCommand(sessionName: string): string {
  return `rolecall login ${sessionName} --cancel`;
}

function waitingMessage(record: SignInRecord): string {
  return `A sign-in to ${record.session} is already waiting ${waitingWhere(record)}, ${startedByWords(record)}. Finish it there, or cancel it with \`${cancelCommand(record.session)}\`.`;
}

/** Who cancelled, as far as the holder can tell. */
export function cancelledElsewhere(session: SsoSessionRef): RolecallError {
  return new RolecallError(
    'sso-cancelled',
    `The sign-in to ${sessionLabel(session)} was cancelled (with \`${cancelCommand(sessionLabel(session))}\` or from Rolecall's window).`,
    499,
  );
}
