import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { TokenSourceError, type TokenSet } from '../tokens/token-source';
import { buildServer } from './app';

const TOKEN = 'token-routes-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const strategy = { beforeExpiryMs: null, everyMs: null, lazy: false };

let app: FastifyInstance;
let clock: ManualClock;
let core: ReturnType<typeof createCore>;

beforeEach(() => {
  clock = new ManualClock();
  core = createCore({ secrets: createMemoryStore(), clock, resolveSource: resolverFor() });
  app = buildServer({ broker: core.broker, api: core.api, token: () => TOKEN, clock });
});

afterEach(async () => {
  core.broker.stop();
  await app.close();
});

function add(name: string, token: TokenSet | Error) {
  core.broker.tokens.set(
    name,
    {
      description: 'test',
      fetch: () => (token instanceof Error ? Promise.reject(token) : Promise.resolve(token)),
    },
    strategy,
  );
}

describe('GET /oauth/<name>', () => {
  it('answers the token as OAuth2 names its fields', async () => {
    add('api', {
      accessToken: 'at-1',
      tokenType: 'Bearer',
      expiresAt: clock.now() + 3_600_000,
      scope: 'read',
    });
    const response = await app.inject({ url: '/oauth/api', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      access_token: 'at-1',
      token_type: 'Bearer',
      expires_at: '2026-01-01T01:00:00.000Z',
      scope: 'read',
    });
  });

  it('adds id_token when the source has one, and null expiry and scope when unsaid', async () => {
    add('pool', { accessToken: 'at', tokenType: 'Bearer', idToken: 'id' });
    expect((await app.inject({ url: '/oauth/pool', headers: auth })).json()).toEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_at: null,
      scope: null,
      id_token: 'id',
    });
  });

  it('is behind the bearer token and the browser gate', async () => {
    add('api', { accessToken: 'at-1', tokenType: 'Bearer' });
    expect((await app.inject({ url: '/oauth/api' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/oauth/api', headers: { authorization: 'Bearer wrong' } }))
        .statusCode,
    ).toBe(401);
    const fromPage = await app.inject({
      url: '/oauth/api',
      headers: { ...auth, origin: 'https://evil.example' },
    });
    expect(fromPage.statusCode).toBe(403);
    expect(fromPage.body).not.toContain('at-1');
  });

  it('says which names exist, and why a token cannot be had', async () => {
    expect((await app.inject({ url: '/oauth/nope', headers: auth })).json()).toEqual({
      code: '404',
      message: 'No token is named "nope"; `rolecall oauth list` names those there are.',
    });
    add('broken', new TokenSourceError('refused', 'The issuer refused client cli.'));
    const response = await app.inject({ url: '/oauth/broken', headers: auth });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toBe(
      'Token broken is not available: The issuer refused client cli.',
    );
  });
});
