import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { buildServer } from './app';

const TOKEN = 'ecs-routes-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

let app: FastifyInstance;
let clock: ManualClock;

beforeEach(() => {
  clock = new ManualClock();
  const core = createCore({ secrets: createMemoryStore(), clock, resolveSource: resolverFor() });
  app = buildServer({ broker: core.broker, api: core.api, token: () => TOKEN, clock });
});

afterEach(async () => {
  await app.close();
});

const put = (url: string, expiration: number) =>
  app.inject({
    method: 'PUT',
    url,
    headers: auth,
    payload: {
      ProfileName: 'dev',
      Creds: { accessKeyId: 'ASIAPUT', secretAccessKey: 'put-secret', expiration },
    },
  });

describe('PUT credentials with an expiration', () => {
  it('refuses one past the last date JavaScript can hold, so reading them never fails', async () => {
    for (const url of ['/', '/slot/dev']) {
      for (const expiration of [8_640_000_000_000_001, 9_000_000_000_000_000]) {
        const response = await put(url, expiration);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({
          code: '400',
          message: 'Creds.expiration: expiration is not a date in epoch milliseconds',
        });
      }
    }
    for (const [method, url] of [
      ['GET', '/'],
      ['GET', '/slot/dev'],
      ['GET', '/slot'],
      ['POST', '/api/getSnapshot'],
    ] as const) {
      const response = await app.inject({ method, url, headers: auth });
      expect(response.statusCode, `${method} ${url}`).toBeLessThan(500);
    }
  });

  it('accepts the last date JavaScript can hold', async () => {
    expect((await put('/', 8_640_000_000_000_000)).statusCode).toBe(200);
    const response = await app.inject({ method: 'GET', url: '/', headers: auth });
    expect(response.json().Expiration).toBe('+275760-09-13T00:00:00.000Z');
  });

  it('refuses credentials that have already expired, naming when', async () => {
    const now = clock.now();
    const inSeconds = Math.floor(now / 1000) + 3600;
    for (const expiration of [1, now, inSeconds]) {
      const response = await put('/slot/dev', expiration);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        code: '400',
        message: `Creds.expiration: these credentials expired at ${new Date(expiration).toISOString()}; send fresh ones, with expiration in epoch milliseconds.`,
      });
    }
    expect((await app.inject({ method: 'GET', url: '/slot/dev', headers: auth })).statusCode).toBe(
      404,
    );
    expect((await put('/slot/dev', now + 1)).statusCode).toBe(200);
  });
});

describe('GET credentials', () => {
  it('answers with the credentials held now, also after they were replaced', async () => {
    const putKey = (accessKeyId: string) =>
      app.inject({
        method: 'PUT',
        url: '/slot/dev',
        headers: auth,
        payload: {
          ProfileName: 'dev',
          Creds: { accessKeyId, secretAccessKey: 's', expiration: clock.now() + 3_600_000 },
        },
      });
    const get = async () => {
      const response = await app.inject({ method: 'GET', url: '/slot/dev', headers: auth });
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      return response.json<{ AccessKeyId: string; Expiration: string }>();
    };
    await putKey('ASIAFIRST');
    expect((await get()).AccessKeyId).toBe('ASIAFIRST');
    expect((await get()).AccessKeyId).toBe('ASIAFIRST');
    await putKey('ASIASECOND');
    expect(await get()).toMatchObject({
      AccessKeyId: 'ASIASECOND',
      Expiration: new Date(clock.now() + 3_600_000).toISOString(),
    });
  });
});

describe('PUT credentials with an account ID', () => {
  const putAccount = (accountId: unknown) =>
    app.inject({
      method: 'PUT',
      url: '/',
      headers: auth,
      payload: {
        ProfileName: 'dev',
        Creds: {
          accessKeyId: 'ASIAPUT',
          secretAccessKey: 's',
          expiration: clock.now() + 3_600_000,
          accountId,
          roleName: 'Admin',
        },
      },
    });

  it.each([
    ['a string, kept as it is', '012345678901', '012345678901'],
    ['a number, as aws-sso-cli sends it, with its leading zeros back', 12345678901, '012345678901'],
    ['the largest account ID', 999_999_999_999, '999999999999'],
  ])('takes %s', async (_case, accountId, stored) => {
    expect((await putAccount(accountId)).statusCode).toBe(200);
    const response = await app.inject({ method: 'GET', url: '/', headers: auth });
    expect(response.json()).toMatchObject({ AccountId: stored });
    // A role name and an account are not an ARN: an SSO role's real one is not known here.
    expect(response.json()).not.toHaveProperty('RoleArn');
  });

  it.each([0, -1, 1.5, 1_000_000_000_000, Number.MAX_SAFE_INTEGER])(
    'refuses the number %d, which is no account ID',
    async (accountId) => {
      const response = await putAccount(accountId);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        code: '400',
        message: 'Creds.accountId: accountId is not a 12-digit AWS account ID',
      });
    },
  );

  it('refuses an account ID that is neither a string nor a number', async () => {
    const response = await putAccount(true);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^Creds\.accountId: /);
  });
});
