import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeIdentityCenter,
  type FakeIdentityCenter,
  type PortalFault,
} from '../../../test/fixtures/fake-identity-center';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { signInToFake } from '../../../test/helpers/sso-sign-in';
import { withEnv } from '../../../test/helpers/with-env';
import { Broker } from '../broker/broker';
import { defaultRefreshPolicy } from '../broker/refresh-policy';
import type { SessionTokens } from './session-tokens';
import { createSsoSource } from './sso-source';
import type { SsoToken } from './types';

/**
 * IAM Identity Center misbehaving while a role is loaded: the slot keeps serving what it has
 * until that expires, then answers 503 in words, and recovers by itself once the portal is back.
 * The broker runs on a hand-moved clock; the portal is real HTTP through the SDK's own client.
 */
const MINUTE = 60_000;
let fake: FakeIdentityCenter;
let clock: ManualClock;
let token: SsoToken;

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  fake = await startFakeIdentityCenter({ accounts: 1, rolesPerAccount: 1, now: () => clock.now() });
  token = (await signInToFake(fake)).token;
});

afterAll(async () => {
  await fake?.close();
});

/** Waits (in real time) for network work the clock started. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await clock.advance(0);
  }
}

const faults: Array<[PortalFault, RegExp]> = [
  ['drop', /socket hang up|ECONNRESET|closed/i],
  ['error', /Internal failure|InternalServer/i],
  ['throttle', /throttl|Rate exceeded/i],
  ['garbage', /answered HTTP 200 with text\/html instead of JSON; a proxy or captive portal/],
  ['hang', /did not answer within 120 s/],
];

describe('IAM Identity Center failing during a session', () => {
  it.each(faults)(
    'portal fault "%s": serves through grace, then a clear 503, then recovers',
    async (fault, expectedError) => {
      await withEnv({ AWS_ENDPOINT_URL_SSO: fake.url }, async () => {
        const tokens = { valid: async () => token, forceRenew: async () => token };
        const broker = new Broker({
          clock,
          random: () => 0,
          policy: defaultRefreshPolicy,
          resolveSource: async (profile) =>
            createSsoSource({
              profile,
              session: { name: 'fake', startUrl: fake.startUrl, region: 'us-east-1' },
              accountId: '100000000000',
              roleName: 'Role1',
              tokens: tokens as unknown as SessionTokens,
            }),
        });
        try {
          await broker.load('role');
          const first = await broker.credentialsFor({ kind: 'default' });
          const entry = () => broker.snapshot().entries[0]!;

          fake.setPortalFault(fault);
          // 1-hour credentials are renewed at 40 minutes; that renewal meets the fault.
          await clock.advance(40 * MINUTE);
          if (fault === 'hang') {
            await until(() => entry().state === 'refreshing', 'the renewal to start');
            await clock.advance(defaultRefreshPolicy.fetchTimeoutMs);
          }
          await until(() => entry().lastError !== null, 'the renewal to fail');
          expect(entry().state).toBe('stale');
          expect(entry().lastError).toMatch(expectedError);
          // Grace: what is held is still served, unchanged.
          expect((await broker.credentialsFor({ kind: 'default' })).credentials).toEqual(
            first.credentials,
          );

          // Past expiry, with the portal still failing: a 503 that says what happened.
          await clock.advance(21 * MINUTE);
          if (fault === 'hang') await clock.advance(defaultRefreshPolicy.fetchTimeoutMs);
          const refusal = broker.credentialsFor({ kind: 'default' }).then(
            () => null,
            (error: unknown) => error,
          );
          if (fault === 'hang') await clock.advance(defaultRefreshPolicy.onDemandWaitMs);
          expect(await refusal).toMatchObject({
            status: 503,
            message: expect.stringMatching(
              /expired .* Renewing them failed: .+ run `rolecall load role`/,
            ),
          });

          fake.setPortalFault(null);
          // The next retry (backoff is at most 5 minutes, after any attempt still hanging has
          // timed out) succeeds without anyone asking.
          await clock.advance(5 * MINUTE + defaultRefreshPolicy.fetchTimeoutMs);
          await until(() => entry().state === 'fresh', 'recovery');
          const recovered = await broker.credentialsFor({ kind: 'default' });
          expect(recovered.credentials.expiresAt).toBeGreaterThan(clock.now());
        } finally {
          fake.setPortalFault(null);
          broker.stop();
        }
      });
    },
    60_000,
  );
});
