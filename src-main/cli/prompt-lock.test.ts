import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PromptLocks } from './prompt-lock';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-prompts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PromptLocks', () => {
  it('lets one of many simultaneous claims ask; the others learn who asks', async () => {
    const locks = new PromptLocks(dir);
    const claims = await Promise.all(Array.from({ length: 10 }, () => locks.claim('mfa:x')));
    expect(claims.filter((claim) => 'held' in claim)).toHaveLength(1);
    for (const claim of claims.filter((claim) => 'heldBy' in claim))
      expect([process.pid, 0]).toContain((claim as { heldBy: number }).heldBy);
  });

  it('keeps questions apart: another key is claimed on its own', async () => {
    const locks = new PromptLocks(dir);
    expect('held' in (await locks.claim('mfa:x'))).toBe(true);
    expect('held' in (await locks.claim('mfa:y'))).toBe(true);
  });

  it('can be claimed again once released, and leaves no file behind', async () => {
    const locks = new PromptLocks(dir);
    const first = await locks.claim('mfa:x');
    if (!('held' in first)) throw new Error('not held');
    expect(await locks.claim('mfa:x')).toEqual({ heldBy: process.pid });
    await first.held.release();
    const second = await locks.claim('mfa:x');
    expect('held' in second).toBe(true);
    if ('held' in second) await second.held.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a claim whose process has ended, so the question is asked again', async () => {
    const dead = 999_999;
    await new PromptLocks(dir, () => true).claim('mfa:x');
    const locks = new PromptLocks(dir, (pid) => pid !== process.pid && pid !== dead);
    // The first claim's process (this one, as the checker pretends) is gone.
    const claim = await locks.claim('mfa:x');
    expect('held' in claim).toBe(true);
  });

  it('takes over a claim file left empty by a process killed as it wrote', async () => {
    const locks = new PromptLocks(dir);
    const path = join(dir, `${createHash('sha1').update('mfa:x').digest('hex')}.json`);
    await writeFile(path, '');
    // Just created: its maker is about to write it, and asks.
    expect(await locks.claim('mfa:x')).toEqual({ heldBy: 0 });
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(path, longAgo, longAgo);
    expect('held' in (await locks.claim('mfa:x'))).toBe(true);
  });
});
