import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const doing = 'changing something';

describe('file lock', () => {
  it('runs holders one at a time and leaves no file behind', async () => {
    const lock = join(dir, 'x.lock');
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        withFileLock(lock, { doing }, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(n);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([1, 2, 3, 4]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('releases the lock when the work fails', async () => {
    const lock = join(dir, 'x.lock');
    await expect(
      withFileLock(lock, { doing }, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await withFileLock(lock, { doing }, async () => 'again')).toBe('again');
  });

  it('takes over a lock whose process has died', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, '999999\n');
    const ran = await withFileLock(lock, { doing, isAlive: () => false }, async () => 'ran');
    expect(ran).toBe('ran');
  });

  it('gives up on a live holder with a sentence saying who and what to do', async () => {
    const lock = join(dir, 'x.lock');
    await writeFile(lock, `${process.pid}\n`);
    await expect(withFileLock(lock, { doing, waitMs: 60 }, async () => 'never')).rejects.toThrow(
      `Another Rolecall command (pid ${process.pid}) is changing something and has not finished; let it finish and try again (if none is running, remove ${lock}).`,
    );
  });
});
