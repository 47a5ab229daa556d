import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RolecallError } from '../errors';
import { nodeCrypto } from '../node-crypto';
import { isProcessAlive } from './process-alive';

/**
 * Work that holds a lock takes milliseconds (a few keychain calls), or up to the keychain's own
 * time-out when an unlock prompt is open; waiting longer than both means something is stuck.
 */
const LOCK_WAIT_MS = 30_000;
const LOCK_POLL_MS = 25;

export interface TakeFileLockOptions {
  waitMs: number;
  pollMs: number;
  isAlive?: (pid: number) => boolean;
  /** The refusal when the lock is still held after `waitMs`, given the holder's pid. */
  busy: (owner: number) => Error;
}

/**
 * Takes a lock file that other processes sharing the directory respect, and returns its release:
 * a file created with link(), which fails when it exists, so nobody ever reads a lock without its
 * pid. A lock whose process has died is taken over. (Two waiters finding the same dead lock at
 * that very moment could both pass; that needs a kill inside a millisecond window.)
 */
export async function takeFileLock(
  path: string,
  options: TakeFileLockOptions,
): Promise<() => Promise<void>> {
  const isAlive = options.isAlive ?? isProcessAlive;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const mine = `${path}.${process.pid}.${nodeCrypto().randomUUID()}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      try {
        await link(mine, path);
        return () => rm(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && !isAlive(owner)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw options.busy(owner);
      await sleep(options.pollMs);
    }
  } finally {
    await rm(mine, { force: true });
  }
}

export interface FileLockOptions {
  waitMs?: number;
  /** Says who waits, for the sentence when waiting gives up ("changing the list of …"). */
  doing: string;
  isAlive?: (pid: number) => boolean;
}

/** Runs `work` while holding the lock file `path` (see `takeFileLock`). */
export async function withFileLock<T>(
  path: string,
  options: FileLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const release = await takeFileLock(path, {
    waitMs: options.waitMs ?? LOCK_WAIT_MS,
    pollMs: LOCK_POLL_MS,
    ...(options.isAlive ? { isAlive: options.isAlive } : {}),
    busy: (owner) =>
      new RolecallError(
        'lock-busy',
        `Another Rolecall command (pid ${owner}) is ${options.doing} and has not finished; let it finish and try again (if none is running, remove ${path}).`,
        409,
      ),
  });
  try {
    return await work();
  } finally {
    await release();
  }
}
