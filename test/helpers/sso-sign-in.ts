import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { FakeIdentityCenter } from '../fixtures/fake-identity-center';
import { createMemoryStore } from '../../src-main/core/secrets/memory-store';
import { signIn } from '../../src-main/core/sso/sign-in';
import type { SsoSessionRef, SsoToken } from '../../src-main/core/sso/types';

/** A session of the fake Identity Center, signed in with a device code approved at once. */
export async function signInToFake(
  fake: FakeIdentityCenter,
): Promise<{ session: SsoSessionRef; token: SsoToken }> {
  const session: SsoSessionRef = { name: 'fake', startUrl: fake.startUrl, region: 'us-east-1' };
  const token = await signIn({
    session,
    secrets: createMemoryStore(),
    flow: 'device',
    client: new SSOOIDCClient({ region: session.region, endpoint: fake.url }),
    sleep: async () => undefined,
    prompt: { showDeviceCode: ({ userCode }) => fake.approveDeviceCode(userCode) },
  });
  return { session, token };
}
