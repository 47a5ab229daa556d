import { SSOClient } from '@aws-sdk/client-sso';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startFakeIdentityCenter,
  type FakeIdentityCenter,
} from '../../../../test/fixtures/fake-identity-center';
import { signInToFake } from '../../../../test/helpers/sso-sign-in';
import { discoverRoles, type DiscoveryProgress } from './discover-roles';

let fake: FakeIdentityCenter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Parameters<typeof startFakeIdentityCenter>[0]) {
  fake = await startFakeIdentityCenter(options);
  const { token } = await signInToFake(fake);
  const client = new SSOClient({ region: 'us-east-1', endpoint: fake.url, maxAttempts: 1 });
  return { fake, client, accessToken: token.accessToken };
}

describe('discoverRoles (against the fake Identity Center)', () => {
  it('follows every page of accounts and roles and reports progress', async () => {
    const { client, accessToken, fake } = await setup({
      accounts: 45,
      rolesPerAccount: 3,
      pageSize: 2,
    });
    const progress: DiscoveryProgress[] = [];
    const roles = await discoverRoles({ client, accessToken, onProgress: (p) => progress.push(p) });
    expect(roles).toHaveLength(45 * 3 + 1);
    expect(new Set(roles.map((role) => role.accountId)).size).toBe(45);
    expect(roles[0]).toMatchObject({ accountName: 'Account 00', roleName: 'AdministratorAccess' });
    // 45 accounts in pages of 2 → 23 ListAccounts calls; 3 or 4 roles in pages of 2 → 2 calls each.
    expect(fake.stats.calls.ListAccounts).toBe(23);
    expect(fake.stats.calls.ListAccountRoles).toBe(45 * 2);
    expect(progress.at(-1)).toEqual({
      accountsListed: 45,
      allAccountsListed: true,
      accountsDone: 45,
      roles: 136,
    });
    // The account count is a running total until the last page of ListAccounts.
    const paging = progress.filter((p) => p.accountsDone === 0);
    expect(paging.map((p) => p.accountsListed)).toEqual(
      Array.from({ length: 23 }, (_, page) => Math.min(45, (page + 1) * 2)),
    );
    expect(paging.map((p) => p.allAccountsListed)).toEqual([...Array(22).fill(false), true]);
  });

  it('retries throttled calls until everything is listed', async () => {
    // A bucket of 10 per second against 21 calls in a burst: about half are throttled at first.
    const { client, accessToken, fake } = await setup({
      accounts: 20,
      rolesPerAccount: 1,
      rateLimitPerSecond: 10,
    });
    const roles = await discoverRoles({
      client,
      accessToken,
      concurrency: 16,
      retry: { initialDelayMs: 20 },
    });
    expect(roles).toHaveLength(21);
    expect(fake.stats.throttled).toBeGreaterThan(0);
  });

  it('paces calls to the rate limit so that nothing is throttled', async () => {
    // The same burst as above, paced just under the bucket's refill rate.
    const { client, accessToken, fake } = await setup({
      accounts: 20,
      rolesPerAccount: 1,
      rateLimitPerSecond: 10,
    });
    const roles = await discoverRoles({
      client,
      accessToken,
      concurrency: 16,
      maxRequestsPerSecond: 9,
    });
    expect(roles).toHaveLength(21);
    expect(fake.stats.throttled).toBe(0);
  });

  it('stops at once, saying to sign in again, when the token is no longer accepted', async () => {
    const { client, accessToken, fake } = await setup({ accounts: 5 });
    fake.expireAllTokens();
    await expect(discoverRoles({ client, accessToken })).rejects.toMatchObject({
      code: 'sso-session-ended',
      message:
        'IAM Identity Center no longer accepts this sign-in. Sign in again with `rolecall login`.',
    });
  });

  it('gives up after the last attempt with a clear error', async () => {
    const { client, accessToken } = await setup({ accounts: 1, rateLimitPerSecond: 0.001 });
    await expect(
      discoverRoles({
        client,
        accessToken,
        retry: { maxAttempts: 3 },
        sleep: async () => undefined,
      }),
    ).rejects.toThrow(/kept throttling ListAccounts after 3 attempts \(Rate exceeded\)/);
  });

  it('says it could not connect when nothing answers, after a few quick tries', async () => {
    const { accessToken, fake: gone } = await setup({ accounts: 1 });
    const url = gone.url;
    fake = undefined;
    await gone.close();
    const delays: number[] = [];
    const failure = discoverRoles({
      client: new SSOClient({ region: 'us-east-1', endpoint: url, maxAttempts: 1 }),
      accessToken,
      sleep: async (ms) => void delays.push(ms),
      random: () => 1,
    });
    await expect(failure).rejects.toMatchObject({
      code: 'sso-unreachable',
      message: expect.stringMatching(
        /^Could not connect to IAM Identity Center for ListAccounts \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Check your network/,
      ),
    });
    // Two backoffs (200 and 400 ms) between three attempts, not the ten throttling would get.
    expect(delays.filter((ms) => ms >= 100)).toEqual([200, 400]);
  });
});
