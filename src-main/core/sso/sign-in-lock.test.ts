import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignInLocks, SignInWaitingError, waitingWhere } from './sign-in-lock';
import type { SsoSessionRef } from './types';

const corp: SsoSessionRef = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
};
const other: SsoSessionRef = {
  name: 'other',
  startUrl: 'https://o.awsapps.com/start',
  region: 'eu-west-1',
};
let dir: string;
let clock: number;
const dead = new Set<number>();
const locks = () =>
  new SignInLocks(dir, { now: () => clock, isAlive: (pid) => !dead.has(pid), checkEveryMs: 10 });

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'rolecall-locks-')), 'sign-ins');
  clock = Date.parse('2026-01-01T00:00:00Z');
  dead.clear();
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('one sign-in per session at a time', () => {
  it('refuses a second sign-in to the same session, saying where the first waits', async () => {
    const first = await locks().acquire(corp, { flow: 'device', startedBy: 'terminal' });
    await first.update({
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.example/',
      url: 'https://device.example/?user_code=ABCD-EFGH',
    });
    const second = locks().acquire(corp, { flow: 'pkce', startedBy: 'app' });
    await expect(second).rejects.toBeInstanceOf(SignInWaitingError);
    await expect(second).rejects.toThrow(
      `A sign-in to corp is already waiting for the code ABCD-EFGH at https://device.example/?user_code=ABCD-EFGH, started by \`rolecall login\` in a terminal (pid ${process.pid}). Finish it there, or cancel it with \`rolecall login corp --cancel\`.`,
    );
    // Another session is not affected.
    await (await locks().acquire(other, { flow: 'device', startedBy: 'app' })).release();
    await first.release();
    await (await locks().acquire(corp, { flow: 'pkce', startedBy: 'app' })).release();
  });

  it('says a browser sign-in waits "in the browser", and keeps its file private', async () => {
    const held = await locks().acquire(corp, { flow: 'pkce', startedBy: 'app' });
    await held.update({ inBrowser: true });
    const waiting = await locks().current(corp);
    expect(waiting && waitingWhere(waiting)).toBe('in the browser');
    await expect(locks().acquire(corp, { flow: 'device', startedBy: 'terminal' })).rejects.toThrow(
      `A sign-in to corp is already waiting in the browser, started from Rolecall's window or tray (pid ${process.pid}).`,
    );
    const [file] = await readdir(dir);
    expect((await stat(join(dir, file!))).mode & 0o777).toBe(0o600);
    await held.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a sign-in whose process is gone, or that is older than any sign-in lasts', async () => {
    const crashed = await locks().acquire(corp, { flow: 'device', startedBy: 'terminal' });
    dead.add(crashed.record.pid);
    expect(await locks().current(corp)).toBeNull();
    const taken = await locks().acquire(corp, { flow: 'device', startedBy: 'terminal' });
    dead.clear();
    expect(await crashed.stillHeld()).toBe(false);
    clock += 16 * 60_000;
    const again = await locks().acquire(corp, { flow: 'pkce', startedBy: 'app' });
    expect(await taken.stillHeld()).toBe(false);
    expect(await again.stillHeld()).toBe(true);
    // The process that lost its sign-in releases without removing the new holder's.
    await taken.release();
    expect(await again.stillHeld()).toBe(true);
    await again.release();
  });

  it('cancels from anywhere: the holder notices, and its late updates do not bring it back', async () => {
    const held = await locks().acquire(corp, { flow: 'device', startedBy: 'terminal' });
    let lost = false;
    const stop = held.watch(() => (lost = true));
    const cancelled = await locks().cancel(corp);
    expect(cancelled?.id).toBe(held.record.id);
    await expect.poll(() => lost).toBe(true);
    stop();
    await held.update({ userCode: 'LATE-CODE' });
    expect(await held.stillHeld()).toBe(false);
    expect(await locks().current(corp)).toBeNull();
    expect(await locks().cancel(corp)).toBeNull();
    await held.release();
    expect(await readdir(dir)).toEqual([]);
    await (await locks().acquire(corp, { flow: 'device', startedBy: 'app' })).release();
  });
});
