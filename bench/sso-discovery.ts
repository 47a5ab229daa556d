/**
 * Discovery at organisation scale: the real SDK client lists N accounts × R roles from the fake
 * Identity Center, whose portal throttles above `rate` requests per second (a token bucket, as
 * the real service does). The floor is calls ÷ rate; the target is within 1.2× of it, with no
 * account missing.
 *
 * Run: npm run bench:sso -- [--accounts 2000] [--roles 3] [--rate 20]
 */
import { SSOClient } from '@aws-sdk/client-sso';
import { parseArgs } from 'node:util';
import { discoverRoles } from '../src-main/core/sso/discovery/discover-roles';
import { startFakeIdentityCenter } from '../test/fixtures/fake-identity-center';
import { signInToFake } from '../test/helpers/sso-sign-in';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '2000' },
      roles: { type: 'string', default: '3' },
      rate: { type: 'string', default: '20' },
    },
  });
  const accounts = Number(values.accounts);
  const rolesPerAccount = Number(values.roles);
  const rate = Number(values.rate);
  const fake = await startFakeIdentityCenter({
    accounts,
    rolesPerAccount,
    rateLimitPerSecond: rate,
    pageSize: 100,
  });
  try {
    const { token } = await signInToFake(fake);
    const client = new SSOClient({ region: 'us-east-1', endpoint: fake.url, maxAttempts: 1 });
    const started = performance.now();
    const roles = await discoverRoles({ client, accessToken: token.accessToken });
    const elapsed = (performance.now() - started) / 1000;
    const calls = (fake.stats.calls.ListAccounts ?? 0) + (fake.stats.calls.ListAccountRoles ?? 0);
    const answered = calls - fake.stats.throttled;
    const found = new Set(roles.map((role) => role.accountId)).size;
    const floor = answered / rate;
    console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
    console.log(
      '| accounts | roles found | calls answered | throttled (retried) | accounts missing | elapsed | floor (calls ÷ rate) | elapsed ÷ floor |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| ${accounts} | ${roles.length} | ${answered} | ${fake.stats.throttled} | ${accounts - found} | ${elapsed.toFixed(1)} s | ${floor.toFixed(1)} s | ${(elapsed / floor).toFixed(2)} |`,
    );
  } finally {
    await fake.close();
  }
}

void main();
