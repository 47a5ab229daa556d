import { spawn } from 'node:child_process';
import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireInstanceLock,
  askInstanceHolder,
  instanceLockAddress,
  type InstanceLock,
} from './instance-lock';

let home: string;
const held: InstanceLock[] = [];
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-lock-'));
});
afterEach(async () => {
  await Promise.all(held.splice(0).map((lock) => lock.release()));
  await rm(home, { recursive: true, force: true });
});

async function acquire(): Promise<InstanceLock> {
  const lock = await acquireInstanceLock(home);
  held.push(lock);
  return lock;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A socket file whose listener was killed with SIGKILL: what a crashed Rolecall leaves. */
async function leaveDeadSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe.skipIf(process.platform === 'win32')('acquireInstanceLock', () => {
  it('lets one holder in and tells the next who holds it', async () => {
    const lock = await acquire();
    expect(lock.address).toBe(join(home, 'instance.sock'));
    expect((await stat(lock.address)).mode & 0o777).toBe(0o600);
    expect(await askInstanceHolder(home)).toEqual({ pid: process.pid });
    await expect(acquireInstanceLock(home)).rejects.toMatchObject({
      code: 'already-running',
      message: `Rolecall is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}). Stop it first, or give this one its own ROLECALL_HOME.`,
    });
  });

  it('is free again once released, and leaves no file behind', async () => {
    const lock = await acquire();
    await lock.release();
    expect(await exists(lock.address)).toBe(false);
    expect(await askInstanceHolder(home)).toBeNull();
    await acquire();
  });

  it('admits exactly one of many taking it at once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => acquireInstanceLock(home)),
    );
    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    held.push(...won);
    expect(won).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toMatchObject({ code: 'already-running' });
      }
    }
  });

  it('takes over a socket left by a killed holder, once, when many start at once', async () => {
    await leaveDeadSocket(instanceLockAddress(home));
    expect(await exists(instanceLockAddress(home))).toBe(true);
    expect(await askInstanceHolder(home)).toBeNull();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => acquireInstanceLock(home)),
    );
    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    held.push(...won);
    expect(won).toHaveLength(1);
    expect(await askInstanceHolder(home)).toEqual({ pid: process.pid });
  });

  it('is not held up by the start guard of a start that was killed while holding it', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(join(home, 'instance.sock.starting'), `${child.pid}\n`);
    await acquire();
    expect(await exists(join(home, 'instance.sock.starting'))).toBe(false);
  });

  it('refuses a home whose socket path would be cut short, in words', async () => {
    await expect(acquireInstanceLock(join(home, 'x'.repeat(120)))).rejects.toMatchObject({
      code: 'home-path-too-long',
      message: expect.stringContaining('Set ROLECALL_HOME to a shorter directory.'),
    });
  });
});
