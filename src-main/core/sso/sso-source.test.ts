import { SSOClient, TooManyRequestsException, UnauthorizedException } from '@aws-sdk/client-sso';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../../src-shared/input-request';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import { RolecallError } from '../errors';
import type { SessionTokens } from './session-tokens';
import { createSsoSource } from './sso-source';
import type { SsoSessionRef, SsoToken } from './types';

const session: SsoSessionRef = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
};
const token = (accessToken: string): SsoToken => ({
  accessToken,
  expiresAt: Date.now() + 3_600_000,
  startUrl: session.startUrl,
  region: session.region,
});

/** Tokens that hand out "old" until renewed, then "new"; renewal can be made to fail. */
function tokens(options: { renewFails?: RolecallError } = {}) {
  let current = 'old';
  let renewals = 0;
  const fake = {
    valid: async () => token(current),
    forceRenew: async () => {
      renewals += 1;
      if (options.renewFails) throw options.renewFails;
      current = 'new';
      return token(current);
    },
  };
  return { tokens: fake as unknown as SessionTokens, renewals: () => renewals };
}

/** A portal that accepts only the tokens in `accepted`; records the tokens it saw. */
function portal(accepted: string[], status = 401) {
  const seen: string[] = [];
  const client = {
    send: async (command: { input: { accessToken: string } }) => {
      seen.push(command.input.accessToken);
      if (!accepted.includes(command.input.accessToken)) {
        if (status === 401) {
          throw new UnauthorizedException({
            message: 'Session token not found or invalid',
            $metadata: { httpStatusCode: 401 },
          });
        }
        throw Object.assign(new Error('Forbidden'), {
          name: 'ForbiddenException',
          $metadata: { httpStatusCode: 403 },
        });
      }
      return {
        roleCredentials: {
          accessKeyId: 'ASIA1',
          secretAccessKey: 's',
          sessionToken: 't',
          expiration: Date.parse('2026-01-01T01:00:00Z'),
        },
      };
    },
  };
  return { client: client as unknown as SSOClient, seen };
}

const options = { profile: 'dev', session, accountId: '111122223333', roleName: 'Dev' };

describe('SSO source', () => {
  it('returns role credentials with account, role name and expiry, and no made-up role ARN', async () => {
    const { client } = portal(['old']);
    const source = createSsoSource({ ...options, client, tokens: tokens().tokens });
    expect(await source.fetch()).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 's',
      sessionToken: 't',
      expiresAt: Date.parse('2026-01-01T01:00:00Z'),
      accountId: '111122223333',
      roleName: 'Dev',
    });
  });

  it.each([401, 403])('renews the token once and retries once after a %d', async (status) => {
    const { client, seen } = portal(['new'], status);
    const t = tokens();
    const source = createSsoSource({ ...options, client, tokens: t.tokens });
    expect((await source.fetch()).accessKeyId).toBe('ASIA1');
    expect(seen).toEqual(['old', 'new']);
    expect(t.renewals()).toBe(1);
  });

  it('asks for a new sign-in when the retry is refused too', async () => {
    const { client, seen } = portal([]);
    const t = tokens();
    const source = createSsoSource({ ...options, client, tokens: t.tokens });
    await expect(source.fetch()).rejects.toMatchObject({
      failure: 'sign-in-required',
      message:
        'Profile dev: IAM Identity Center no longer accepts the sign-in for corp. Sign in again with `rolecall login corp`.',
    });
    expect(seen).toEqual(['old', 'new']);
  });

  it('passes the "session ended" sentence on when the token cannot be renewed', async () => {
    const { client } = portal([]);
    const ended = new RolecallError(
      'sso-session-ended',
      'The IAM Identity Center session corp has ended. Sign in again with `rolecall login corp`.',
      401,
    );
    const source = createSsoSource({
      ...options,
      client,
      tokens: tokens({ renewFails: ended }).tokens,
    });
    await expect(source.fetch()).rejects.toMatchObject({
      failure: 'sign-in-required',
      message:
        'Profile dev: The IAM Identity Center session corp has ended. Sign in again with `rolecall login corp`.',
    });
  });
});

describe('SSO source, when the session has ended', () => {
  const ended = () =>
    new RolecallError(
      'sso-session-ended',
      'The IAM Identity Center session corp has ended. Sign in again with `rolecall login corp`.',
      401,
    );

  /** Tokens that say the session ended until `signIn()`; then a token the portal accepts. */
  function signedOut() {
    let signedIn = false;
    const fake = {
      valid: async () => {
        if (!signedIn) throw ended();
        return token('new');
      },
      forceRenew: async () => {
        throw ended();
      },
    };
    return { tokens: fake as unknown as SessionTokens, signIn: () => (signedIn = true) };
  }

  it('asks once for a sign-in to the session, and goes on once someone signed in', async () => {
    const { client } = portal(['new']);
    const session = signedOut();
    const asked: Question[] = [];
    const source = createSsoSource({ ...options, client, tokens: session.tokens });
    const credentials = await source.fetch(
      testFetchContext({
        ask: async (question) => {
          asked.push(question);
          session.signIn();
          return 'signed-in';
        },
      }),
    );
    expect(credentials.accessKeyId).toBe('ASIA1');
    expect(asked).toEqual([
      {
        key: 'sso:corp',
        kind: 'sign-in',
        prompt: 'Sign in again to the IAM Identity Center session corp.',
        ssoSession: 'corp',
      },
    ]);
  });

  it('asks the same question for every profile of the session, so they share one', async () => {
    const { client } = portal(['new']);
    const keys: string[] = [];
    for (const profile of ['dev', 'ops']) {
      const session = signedOut();
      await createSsoSource({ ...options, profile, client, tokens: session.tokens }).fetch(
        testFetchContext({
          ask: async (question) => {
            keys.push(question.key);
            session.signIn();
            return 'signed-in';
          },
        }),
      );
    }
    expect(keys).toEqual(['sso:corp', 'sso:corp']);
  });

  it('asks again, saying why, when the portal still refuses after the answer', async () => {
    const { client } = portal(['accepted-at-last']);
    let answers = 0;
    const asked: Question[] = [];
    const fake = {
      valid: async () => token(answers >= 2 ? 'accepted-at-last' : 'refused'),
      forceRenew: async () => {
        throw ended();
      },
    };
    const source = createSsoSource({
      ...options,
      client,
      tokens: fake as unknown as SessionTokens,
    });
    await source.fetch(
      testFetchContext({
        ask: async (question) => {
          asked.push(question);
          answers += 1;
          return 'signed-in';
        },
      }),
    );
    expect(asked.map((question) => question.retryReason)).toEqual([
      undefined,
      'IAM Identity Center did not accept the sign-in to corp; sign in again.',
    ]);
  });

  it('fails with the sentence saying how to sign in when the question is dismissed', async () => {
    const { client } = portal([]);
    const source = createSsoSource({ ...options, client, tokens: signedOut().tokens });
    await expect(
      source.fetch(testFetchContext({ ask: () => Promise.reject(new Error('nobody answered')) })),
    ).rejects.toMatchObject({
      failure: 'sign-in-required',
      message:
        'Profile dev: The IAM Identity Center session corp has ended. Sign in again with `rolecall login corp`.',
    });
  });

  it('asks nobody for failures a sign-in would not fix', async () => {
    const client = {
      send: async () => {
        throw new TooManyRequestsException({ message: 'slow down', $metadata: {} });
      },
    } as unknown as SSOClient;
    const source = createSsoSource({ ...options, client, tokens: tokens().tokens });
    // testFetchContext's ask fails the test if called.
    await expect(source.fetch(testFetchContext())).rejects.toMatchObject({ failure: 'throttled' });
  });
});
