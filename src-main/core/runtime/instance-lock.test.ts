import { spawn } from 'node:child_process';
import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireInstanceLock,
  askInstanceHolder,
  instanceLockAddress,
  type DefaultSlotSummary,
  type InstanceLock,
} from './instance-lock';
import { holderAnswer, parseHolderAnswer } from './instance-holder';

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
    expect(await askInstanceHolder(home)).toEqual({ pid: process.pid, app: 'serve' });
    await expect(acquireInstanceLock(home)).rejects.toMatchObject({
      code: 'already-running',
      message: `Rolecall is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}). Stop it first, or give this one its own ROLECALL_HOME.`,
    });
  });

  it('tells what the default slot holds once announced, read afresh at each question', async () => {
    const lock = await acquire();
    let slot: DefaultSlotSummary | null = {
      profile: 'prod',
      expiresAt: '2030-01-01T12:00:00.000Z',
      state: 'fresh',
    };
    lock.announceDefaultSlot(() => slot);
    expect(await askInstanceHolder(home)).toEqual({
      pid: process.pid,
      app: 'serve',
      defaultSlot: slot,
    });
    slot = null;
    expect(await askInstanceHolder(home)).toEqual({
      pid: process.pid,
      app: 'serve',
      defaultSlot: null,
    });
  });

  it('still says who holds it when reading the default slot fails', async () => {
    const lock = await acquire();
    lock.announceDefaultSlot(() => {
      throw new Error('not now');
    });
    expect(await askInstanceHolder(home)).toEqual({ pid: process.pid, app: 'serve' });
  });

  it('tells rolecall serve that the desktop app holds the home, and where it serves', async () => {
    const lock = await acquireInstanceLock(home, 'desktop');
    held.push(lock);
    lock.announce('http://127.0.0.1:4144/');
    expect(await askInstanceHolder(home)).toEqual({
      pid: process.pid,
      app: 'desktop',
      url: 'http://127.0.0.1:4144/',
    });
    await expect(acquireInstanceLock(home, 'serve')).rejects.toMatchObject({
      code: 'already-running',
      message: `The Rolecall desktop app is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}), serving credentials at http://127.0.0.1:4144/. Use it — rolecall env and the other commands talk to it — or quit it (Quit Rolecall in its tray menu) first.`,
    });
    // With its server turned off, it is still the desktop app in the way.
    lock.announce(null);
    await expect(acquireInstanceLock(home, 'serve')).rejects.toThrow(
      `The Rolecall desktop app is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}). Use it`,
    );
  });

  it('tells the desktop app that rolecall serve holds the home', async () => {
    const lock = await acquire();
    lock.announce('https://127.0.0.1:4145/');
    await expect(acquireInstanceLock(home, 'desktop')).rejects.toMatchObject({
      code: 'already-running',
      message: `rolecall serve is already running (pid ${process.pid}) with this ROLECALL_HOME (${home}), serving credentials at https://127.0.0.1:4145/. Stop it (Ctrl-C in its terminal, or its service manager) and start the app again.`,
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
    expect(await askInstanceHolder(home)).toEqual({ pid: process.pid, app: 'serve' });
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

describe('parseHolderAnswer', () => {
  const slot: DefaultSlotSummary = {
    profile: 'prod',
    expiresAt: '2030-01-01T12:00:00.000Z',
    state: 'needs-input',
  };

  it('reads back what a holder answers', () => {
    expect(parseHolderAnswer(holderAnswer({ pid: 42, defaultSlot: slot }))).toEqual({
      pid: 42,
      defaultSlot: slot,
    });
    expect(parseHolderAnswer(holderAnswer({ pid: 42, defaultSlot: null }))).toEqual({
      pid: 42,
      defaultSlot: null,
    });
    expect(parseHolderAnswer(holderAnswer({ pid: 42 }))).toEqual({ pid: 42 });
    const app = { pid: 42, app: 'desktop' as const, url: 'http://127.0.0.1:4144/' };
    expect(parseHolderAnswer(holderAnswer(app))).toEqual(app);
    const loading = { profile: 'prod', expiresAt: null, state: null };
    expect(parseHolderAnswer(holderAnswer({ pid: 42, defaultSlot: loading }))).toEqual({
      pid: 42,
      defaultSlot: loading,
    });
  });

  it.each([
    ['not JSON', 'pid 42', { pid: null }],
    ['a pid that is not an integer', '{"pid":4.2}', { pid: null }],
    [
      'a default slot without a profile',
      '{"pid":42,"defaultSlot":{"expiresAt":null,"state":null}}',
      { pid: 42 },
    ],
    ['an app that is not one', '{"pid":42,"app":"other","url":7}', { pid: 42 }],
    [
      'an unknown state',
      '{"pid":42,"defaultSlot":{"profile":"p","expiresAt":null,"state":"odd"}}',
      { pid: 42 },
    ],
    [
      'an expiry that is no time',
      '{"pid":42,"defaultSlot":{"profile":"p","expiresAt":"soon","state":"fresh"}}',
      { pid: 42 },
    ],
  ])('drops %s', (_, answer, holder) => {
    expect(parseHolderAnswer(answer)).toEqual(holder);
  });

  it('keeps only the fields a holder writes', () => {
    expect(
      parseHolderAnswer(
        `{"pid":42,"defaultSlot":{"profile":"p","expiresAt":null,"state":"fresh","token":"x"},"more":1}`,
      ),
    ).toEqual({ pid: 42, defaultSlot: { profile: 'p', expiresAt: null, state: 'fresh' } });
  });
});
