import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { InvalidGrantException } from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { SessionTokens } from './session-tokens';
import type { SsoTokenStore } from './token-store';
import type { SsoSessionRef, SsoToken } from './types';

const session: SsoSessionRef = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
};
const now = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

function memoryTokenStore(initial: SsoToken | null) {
  let stored = initial;
  const store: SsoTokenStore = {
    load: async () => stored,
    save: async (_session, token) => {
      stored = token;
    },
    remove: async () => {
      stored = null;
    },
  };
  return { store, stored: () => stored };
}

function token(overrides: Partial<SsoToken> = {}): SsoToken {
  return {
    accessToken: 'old',
    expiresAt: now + 60 * MINUTE,
    refreshToken: 'refresh',
    registration: {
      clientId: 'id',
      clientSecret: 'secret',
      expiresAt: now + 90 * 24 * 60 * MINUTE,
    },
    startUrl: session.startUrl,
    region: session.region,
    ...overrides,
  };
}

function oidc(answer: () => Promise<unknown>) {
  let calls = 0;
  const client = {
    send: async () => {
      calls += 1;
      return answer();
    },
  } as unknown as SSOOIDCClient;
  return { client: () => client, calls: () => calls };
}

describe('SessionTokens', () => {
  it('hands out a valid token as is', async () => {
    const { store } = memoryTokenStore(token());
    const client = oidc(async () => ({}));
    const tokens = new SessionTokens(store, { now: () => now, client: client.client });
    expect((await tokens.valid(session)).accessToken).toBe('old');
    expect(client.calls()).toBe(0);
  });

  it('renews a token close to expiry with its refresh token, once for concurrent callers, and stores it', async () => {
    const saved = memoryTokenStore(token({ expiresAt: now + 2 * MINUTE }));
    const client = oidc(async () => ({ accessToken: 'new', expiresIn: 3600 }));
    const tokens = new SessionTokens(saved.store, { now: () => now, client: client.client });
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.valid(session)));
    expect(new Set(results.map((result) => result.accessToken))).toEqual(new Set(['new']));
    expect(client.calls()).toBe(1);
    expect(saved.stored()).toMatchObject({
      accessToken: 'new',
      refreshToken: 'refresh',
      expiresAt: now + 3_600_000,
    });
  });

  it('says the session ended when the refresh token is refused and the token is dead', async () => {
    const { store } = memoryTokenStore(token({ expiresAt: now - MINUTE }));
    const client = oidc(async () => {
      throw new InvalidGrantException({ message: 'expired', $metadata: {} });
    });
    const tokens = new SessionTokens(store, { now: () => now, client: client.client });
    await expect(tokens.valid(session)).rejects.toMatchObject({
      code: 'sso-session-ended',
      message:
        'The IAM Identity Center session corp has ended: expired. Sign in again with `rolecall login corp`.',
    });
  });

  it('says to sign in when there is no token at all', async () => {
    const tokens = new SessionTokens(memoryTokenStore(null).store, { now: () => now });
    await expect(tokens.valid({ ...session, name: null })).rejects.toThrow(
      'The IAM Identity Center session https://corp.awsapps.com/start has ended. Sign in again with `rolecall login`.',
    );
  });

  it('keeps using a still-valid token when renewal fails for another reason (grace)', async () => {
    const { store } = memoryTokenStore(token({ expiresAt: now + 2 * MINUTE }));
    const client = oidc(async () => {
      throw new Error('socket hang up');
    });
    const tokens = new SessionTokens(store, { now: () => now, client: client.client });
    expect((await tokens.valid(session)).accessToken).toBe('old');
  });
});
