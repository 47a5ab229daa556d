import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { profileNameFor } from './profile-names';
import { isStale, readRoleCache, writeRoleCache } from './role-cache';

const role = {
  accountId: '111122223333',
  accountName: 'Prod',
  emailAddress: 'ops@example.com',
  roleName: 'Admin',
};

describe('profileNameFor', () => {
  it('fills the placeholders of the format', () => {
    expect(profileNameFor(role)).toBe('Prod/Admin');
    expect(profileNameFor(role, '{AccountId}:{RoleName} ({EmailAddress})')).toBe(
      '111122223333:Admin (ops@example.com)',
    );
  });

  it('refuses unknown placeholders and replaces control characters', () => {
    expect(() => profileNameFor(role, '{Account}')).toThrow('uses {Account}; use {AccountName}');
    expect(profileNameFor({ ...role, accountName: 'a\nb' })).toBe('a_b/Admin');
  });
});

describe('role cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolecall-roles-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips the roles in a 0600 file and knows when it is a day old', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    await writeRoleCache(
      dir,
      'key',
      { startUrl: 'https://x/start', region: 'eu-west-1', roles: [role] },
      now,
    );
    const { cache } = await readRoleCache(dir, 'key');
    expect(cache?.roles).toEqual([role]);
    expect((await stat(join(dir, 'key.json'))).mode & 0o777).toBe(0o600);
    expect(isStale(cache!, now + 23 * 3_600_000)).toBe(false);
    expect(isStale(cache!, now + 25 * 3_600_000)).toBe(true);
  });

  it('answers null for a missing file, and null with a warning for a damaged one', async () => {
    expect(await readRoleCache(dir, 'none')).toEqual({ cache: null });
    await writeFile(join(dir, 'bad.json'), '{"version": 1');
    const result = await readRoleCache(dir, 'bad');
    expect(result.cache).toBeNull();
    expect(result.warning).toContain('is not a list of roles');
  });
});
