import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startFakeIdentityCenter,
  type FakeIdentityCenter,
} from '../../../test/fixtures/fake-identity-center';
import { createMemoryStore } from '../secrets/memory-store';
import { refreshSsoToken } from './oidc';
import { signIn, type SignInOptions } from './sign-in';
import type { SsoSessionRef } from './types';

let fake: FakeIdentityCenter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup() {
  fake = await startFakeIdentityCenter();
  const session: SsoSessionRef = { name: 'corp', startUrl: fake.startUrl, region: 'eu-west-1' };
  const client = new SSOOIDCClient({ region: session.region, endpoint: fake.url });
  return { fake, session, client, secrets: createMemoryStore() };
}

/**
 * The browser: follows the authorize URL (the user is signed in) back to the loopback listener,
 * whose page answers once the sign-in has ended — so, like a real browser, nobody waits for it.
 */
async function browser(url: string): Promise<boolean> {
  const authorize = await fetch(url, { redirect: 'manual' });
  void fetch(authorize.headers.get('location')!).then((page) => page.text());
  return true;
}

describe('sign-in against the fake Identity Center', () => {
  it('completes the authorization-code flow with PKCE, following the redirect like a browser', async () => {
    const { session, client, secrets, fake } = await setup();
    const opened: string[] = [];
    const token = await signIn({
      session,
      client,
      secrets,
      flow: 'pkce',
      prompt: { openUrl: async (url) => (opened.push(url), browser(url)) },
    });
    expect(token).toMatchObject({ startUrl: fake.startUrl, region: 'eu-west-1' });
    expect(token.refreshToken).toBeTruthy();
    const url = new URL(opened[0]!);
    expect(url.pathname).toBe('/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/,
    );
  });

  it('shows the URL when no browser could be opened', async () => {
    const { session, client, secrets } = await setup();
    let shown: string | undefined;
    const token = signIn({
      session,
      client,
      secrets,
      flow: 'pkce',
      prompt: { openUrl: async () => false, showUrl: (url) => void (shown = url) },
    });
    await expect.poll(() => shown).toBeTruthy();
    await browser(shown!);
    await expect(token).resolves.toHaveProperty('accessToken');
  });

  it('says so when the browser sign-in is denied', async () => {
    const { session, client, secrets, fake } = await setup();
    fake.denyAll(true);
    await expect(
      signIn({ session, client, secrets, flow: 'pkce', prompt: { openUrl: browser } }),
    ).rejects.toThrow('Sign-in was denied (access_denied).');
  });

  const device = (
    overrides: Partial<SignInOptions> & Pick<SignInOptions, 'session' | 'client' | 'secrets'>,
  ) =>
    signIn({
      flow: 'device',
      sleep: () => new Promise((resolve) => setTimeout(resolve, 250)),
      prompt: {},
      ...overrides,
    });

  it('completes the device flow once the code is approved, waiting through authorization_pending', async () => {
    const { session, client, secrets, fake } = await setup();
    const shown: string[] = [];
    const token = device({
      session,
      client,
      secrets,
      prompt: {
        showDeviceCode: ({ userCode }) => {
          shown.push(userCode);
          setTimeout(() => fake.approveDeviceCode(userCode), 600);
        },
      },
    });
    await expect(token).resolves.toHaveProperty('accessToken');
    expect(shown).toHaveLength(1);
    expect(fake.stats.calls.CreateToken).toBeGreaterThan(1);
  });

  it('slows down when asked, and still finishes', async () => {
    const { session, client, secrets, fake } = await setup();
    const sleeps: number[] = [];
    const token = await device({
      session,
      client,
      secrets,
      // Polling with no pause makes the fake answer slow_down; each one adds 5 s to the interval.
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 3) fake.approveDeviceCode();
        await new Promise((resolve) => setTimeout(resolve, sleeps.length === 3 ? 250 : 0));
      },
    });
    expect(token.accessToken).toBeTruthy();
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(5000);
  });

  it('says so when the device code is denied', async () => {
    const { session, client, secrets, fake } = await setup();
    await expect(
      device({
        session,
        client,
        secrets,
        prompt: { showDeviceCode: ({ userCode }) => fake.denyDeviceCode(userCode) },
      }),
    ).rejects.toThrow('Sign-in to corp was denied.');
  });

  it('stops at once when cancelled while waiting out the poll interval', async () => {
    const { session, client, secrets } = await setup();
    const controller = new AbortController();
    const pending = device({
      session,
      client,
      secrets,
      signal: controller.signal,
      // AWS asks for 5 s between polls; a cancel must not wait for the next one.
      sleep: () => new Promise(() => undefined),
      prompt: { showDeviceCode: () => setTimeout(() => controller.abort(), 50) },
    });
    await expect(pending).rejects.toThrow('Sign-in was cancelled.');
  });

  it('stops when cancelled', async () => {
    const { session, client, secrets } = await setup();
    const controller = new AbortController();
    const pending = device({ session, client, secrets, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow('Sign-in was cancelled.');
  });

  it('reuses the client registration until it expires', async () => {
    const { session, client, secrets, fake } = await setup();
    const approve = {
      showDeviceCode: ({ userCode }: { userCode: string }) => fake.approveDeviceCode(userCode),
    };
    await device({ session, client, secrets, prompt: approve });
    await device({ session, client, secrets, prompt: approve });
    expect(fake.stats.calls.RegisterClient).toBe(1);
  });

  it('renews the access token with the refresh token, and says the session ended once that is revoked', async () => {
    const { session, client, secrets, fake } = await setup();
    const token = await device({
      session,
      client,
      secrets,
      prompt: { showDeviceCode: ({ userCode }) => fake.approveDeviceCode(userCode) },
    });
    const renewed = await refreshSsoToken({ client, session, token });
    expect(renewed.accessToken).not.toBe(token.accessToken);
    fake.revokeRefreshTokens();
    await expect(refreshSsoToken({ client, session, token: renewed })).rejects.toThrow(
      'The IAM Identity Center session corp has ended: unknown or revoked refresh token (InvalidGrantException, invalid_grant, HTTP 400). Sign in again with `rolecall login corp`.',
    );
  });

  it('says the session ended, in the service words, when its client registration is gone', async () => {
    const { session, client, secrets, fake } = await setup();
    const token = await device({
      session,
      client,
      secrets,
      prompt: { showDeviceCode: ({ userCode }) => fake.approveDeviceCode(userCode) },
    });
    fake.forgetRegistrations();
    await expect(refreshSsoToken({ client, session, token })).rejects.toMatchObject({
      code: 'sso-session-ended',
      message:
        'The IAM Identity Center session corp has ended: Invalid client provided (InvalidClientException, invalid_client, HTTP 401). Sign in again with `rolecall login corp`.',
    });
  });
});

describe('a client registration IAM Identity Center no longer knows', () => {
  const approve = (fake: FakeIdentityCenter) => ({
    showDeviceCode: ({ userCode }: { userCode: string }) => fake.approveDeviceCode(userCode),
  });
  const quickly = async () => undefined;

  it.each([
    [
      'forgotten (revoked, or the instance recreated)',
      (fake: FakeIdentityCenter) => fake.forgetRegistrations(),
    ],
    ['expired earlier than announced', (fake: FakeIdentityCenter) => fake.expireRegistrations()],
  ])('registers again and carries on with the device code flow: %s', async (_, makeStale) => {
    const { session, client, secrets, fake } = await setup();
    await signIn({
      session,
      client,
      secrets,
      flow: 'device',
      sleep: quickly,
      prompt: approve(fake),
    });
    makeStale(fake);
    const token = await signIn({
      session,
      client,
      secrets,
      flow: 'device',
      sleep: quickly,
      prompt: approve(fake),
    });
    expect(token.accessToken).toBeTruthy();
    expect(fake.stats.calls.RegisterClient).toBe(2);
    // Kept: the next sign-in uses the new registration without asking again.
    await signIn({
      session,
      client,
      secrets,
      flow: 'device',
      sleep: quickly,
      prompt: approve(fake),
    });
    expect(fake.stats.calls.RegisterClient).toBe(2);
  });

  it('registers again before sending the browser to a page that would refuse the client', async () => {
    const { session, client, secrets, fake } = await setup();
    await signIn({ session, client, secrets, flow: 'pkce', prompt: { openUrl: browser } });
    fake.forgetRegistrations();
    const token = await signIn({
      session,
      client,
      secrets,
      flow: 'pkce',
      prompt: { openUrl: browser },
    });
    expect(token.accessToken).toBeTruthy();
    expect(fake.stats.calls.RegisterClient).toBe(2);
    // The browser went to the authorize page once per sign-in, never to a refusal.
    expect(fake.stats.calls.Authorize).toBe(2);
  });

  it('registers again only once: a new registration refused too fails with the service words', async () => {
    const { session, client, secrets, fake } = await setup();
    await signIn({
      session,
      client,
      secrets,
      flow: 'device',
      sleep: quickly,
      prompt: approve(fake),
    });
    fake.forgetRegistrations();
    // Every registration is forgotten the moment it is made.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'RegisterClientCommand') fake.forgetRegistrations();
        return result;
      },
      { step: 'deserialize', name: 'forgetEveryRegistration' },
    );
    await expect(
      signIn({ session, client, secrets, flow: 'device', sleep: quickly, prompt: approve(fake) }),
    ).rejects.toThrow(
      'Could not start the sign-in for corp (eu-west-1): Invalid client provided (InvalidClientException, invalid_client, HTTP 401)',
    );
    expect(fake.stats.calls.RegisterClient).toBe(2);
  });
});

describe('the browser page after the redirect', () => {
  it('says the sign-in failed when the token exchange fails, never "Signed in"', async () => {
    const { session, client, secrets, fake } = await setup();
    let page = '';
    const attempt = signIn({
      session,
      client,
      secrets,
      flow: 'pkce',
      prompt: {
        openUrl: async (url) => {
          const authorize = await fetch(url, { redirect: 'manual' });
          // The registration is revoked between the authorize page and the code exchange.
          fake.forgetRegistrations();
          void fetch(authorize.headers.get('location')!).then(async (r) => (page = await r.text()));
          return true;
        },
      },
    });
    await expect(attempt).rejects.toThrow(
      /Could not finish the sign-in for corp.*Invalid client provided/,
    );
    await expect.poll(() => page).toContain('Sign-in failed');
    expect(page).toContain('Invalid client provided');
    expect(page).not.toContain('Signed in');
  });

  it('says "Signed in" once the token is kept', async () => {
    const { session, client, secrets } = await setup();
    let page = '';
    await signIn({
      session,
      client,
      secrets,
      flow: 'pkce',
      prompt: {
        openUrl: async (url) => {
          const authorize = await fetch(url, { redirect: 'manual' });
          void fetch(authorize.headers.get('location')!).then(async (r) => (page = await r.text()));
          return true;
        },
      },
    });
    await expect.poll(() => page).toContain('Signed in to corp.');
  });
});
