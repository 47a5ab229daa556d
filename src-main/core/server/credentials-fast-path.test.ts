import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore, type Core } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { createCredentialsBodies } from './credentials-body';
import { createCredentialsFastPath, plainSlotOf } from './credentials-fast-path';
import { createRequestGate } from './request-gate';

const TOKEN = 'fast-path-token-0123456789abcdef0123456789';
const HOUR = 3_600_000;
const PORT = 4144;

describe('plainSlotOf', () => {
  it.each([
    ['/', { kind: 'default' }],
    ['/creds', { kind: 'default' }],
    ['/slot/dev', { kind: 'named', profile: 'dev' }],
    ['/slot/team.admin@corp+ops=1,2', { kind: 'named', profile: 'team.admin@corp+ops=1,2' }],
    ['/slot/Prod_EU-west', { kind: 'named', profile: 'Prod_EU-west' }],
    [`/slot/${'n'.repeat(512)}`, { kind: 'named', profile: 'n'.repeat(512) }],
  ])('%s names a slot without decoding', (url, slot) => {
    expect(plainSlotOf(url)).toEqual(slot);
  });

  it.each([
    undefined,
    '',
    '//',
    '/?role=admin',
    '/creds?x',
    '/profile',
    '/slot',
    '/slot/',
    '/slot/dev/',
    '/slot/dev?x=1',
    '/slot/dev#x',
    '/slot/%64ev',
    '/slot/with%20space',
    '/slot/../creds',
    '/slot/a/b',
    '/slot/caf\u00e9',
    '/SLOT/dev',
    `/slot/${'n'.repeat(513)}`,
    'http://127.0.0.1/',
  ])('leaves %j to the router', (url) => {
    expect(plainSlotOf(url)).toBeNull();
  });
});

describe('createCredentialsFastPath', () => {
  let core: Core | undefined;
  afterEach(() => core?.broker.stop());

  async function setup(options: { closing?: boolean; expiresInMs?: number } = {}) {
    const clock = new ManualClock();
    const credentials = fakeCredentials({ expiresAt: clock.now() + (options.expiresInMs ?? HOUR) });
    const dev = new FakeSource('dev', credentials);
    core = createCore({
      secrets: createMemoryStore(),
      clock,
      resolveSource: resolverFor(
        dev,
        new FakeSource('prod', fakeCredentials({ expiresAt: clock.now() + HOUR })),
      ),
    });
    await core.broker.load('dev');
    await core.broker.load('prod', { slot: true });
    const gate = createRequestGate({ token: () => TOKEN, clock });
    const answer = createCredentialsFastPath({
      gate,
      broker: core.broker,
      bodyOf: createCredentialsBodies(clock),
      isClosing: () => options.closing ?? false,
    });
    return { answer, clock, credentials, dev };
  }

  /** A node request as the server hands it over, and a response that records what was written. */
  function exchange(
    overrides: Partial<Pick<IncomingMessage, 'method' | 'url'>> & {
      headers?: Record<string, string>;
    },
  ) {
    const request = {
      method: 'GET',
      url: '/',
      socket: { localPort: PORT },
      ...overrides,
      headers: {
        host: `127.0.0.1:${PORT}`,
        authorization: `Bearer ${TOKEN}`,
        ...overrides.headers,
      },
    } as unknown as IncomingMessage;
    const written: { status?: number; headers?: Record<string, unknown>; body?: Buffer } = {};
    const response = {
      writeHead(status: number, headers: Record<string, unknown>) {
        written.status = status;
        written.headers = headers;
      },
      end(body: Buffer) {
        written.body = body;
      },
    } as unknown as ServerResponse;
    return { request, response, written };
  }

  it('answers valid credentials of the default and of a named slot with the ECS body', async () => {
    const { answer, credentials } = await setup();
    for (const url of ['/', '/creds']) {
      const { request, response, written } = exchange({ url });
      expect(answer(request, response)).toBe(true);
      expect(written.status).toBe(200);
      expect(written.headers).toEqual({
        'content-type': 'application/json; charset=utf-8',
        'content-length': written.body!.length,
      });
      expect(JSON.parse(written.body!.toString('utf8'))).toMatchObject({
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
      });
    }
    const named = exchange({ url: '/slot/prod' });
    expect(answer(named.request, named.response)).toBe(true);
    expect(named.written.status).toBe(200);
  });

  it.each([
    ['another method', { method: 'HEAD' }],
    ['a PUT', { method: 'PUT' }],
    ['an escaped name', { url: '/slot/pro%64' }],
    ['a query', { url: '/?x=1' }],
    ['an empty named slot', { url: '/slot/staging' }],
    ['a wrong token', { headers: { authorization: 'Bearer nope' } }],
    ['no token', { headers: { authorization: '' } }],
    ['a foreign Host', { headers: { host: 'evil.example' } }],
    ['another port in Host', { headers: { host: '127.0.0.1:1' } }],
    ['a browser', { headers: { origin: 'http://evil.example' } }],
    ['a same-origin browser request', { headers: { 'sec-fetch-site': 'same-origin' } }],
    ['a body', { headers: { 'content-length': '2' } }],
    ['a chunked body', { headers: { 'transfer-encoding': 'chunked' } }],
  ])('leaves %s to fastify, writing nothing', async (_case, overrides) => {
    const { answer } = await setup();
    const { request, response, written } = exchange(overrides);
    expect(answer(request, response)).toBe(false);
    expect(written).toEqual({});
  });

  it('leaves every request to fastify while the server closes', async () => {
    const { answer } = await setup({ closing: true });
    const { request, response, written } = exchange({});
    expect(answer(request, response)).toBe(false);
    expect(written).toEqual({});
  });

  it('leaves credentials that must be renewed first, or have expired, to fastify', async () => {
    const { answer, clock, dev } = await setup({ expiresInMs: 60_000 });
    // A minute's credentials are renewed at half their life; while that renewal runs, a request
    // inside the mandatory window waits for it.
    dev.hold();
    await clock.advance(30_000);
    const dying = exchange({});
    expect(answer(dying.request, dying.response)).toBe(false);
    await clock.advance(2 * 60_000);
    const expired = exchange({});
    expect(answer(expired.request, expired.response)).toBe(false);
    expect(dying.written).toEqual({});
    expect(expired.written).toEqual({});
  });
});
