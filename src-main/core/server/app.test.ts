import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { RolecallError } from '../errors';
import { SourceError } from '../sources/source';
import { buildServer } from './app';
import { BODY_LIMIT_BYTES } from './limits';
import { UI_LINK_LIFETIME_MS, UiSessions } from './ui-sessions';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
const HOUR = 3_600_000;

let app: FastifyInstance;

function setup(...sources: FakeSource[]) {
  const clock = new ManualClock();
  const core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: resolverFor(...sources),
  });
  app = buildServer({ broker: core.broker, api: core.api, token: () => TOKEN, clock });
  return { clock, core };
}

afterEach(async () => {
  await app?.close();
});

function putBody(profile: string, overrides: Record<string, unknown> = {}) {
  return {
    ProfileName: profile,
    Creds: {
      accessKeyId: 'ASIAPUT',
      secretAccessKey: 'put-secret',
      sessionToken: 'put-token',
      expiration: Date.parse('2026-01-01T01:00:00Z'),
      accountId: '123456789012',
      roleName: 'Dev',
      ...overrides,
    },
  };
}

describe('ECS routes', () => {
  it('serves the default slot at / and /creds in the shape AWS SDKs parse', async () => {
    const creds = fakeCredentials({
      expiresAt: Date.parse('2026-01-01T01:00:00Z'),
      roleArn: 'arn:aws:iam::123456789012:role/Dev',
      accountId: '123456789012',
    });
    const { core } = setup(new FakeSource('dev', creds));
    await core.broker.load('dev');
    for (const url of ['/', '/creds']) {
      const response = await app.inject({ method: 'GET', url, headers: auth });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        Token: creds.sessionToken,
        Expiration: '2026-01-01T01:00:00.000Z',
        RoleArn: 'arn:aws:iam::123456789012:role/Dev',
        AccountId: '123456789012',
      });
    }
  });

  it('advertises credentials without an expiry as valid for an hour', async () => {
    const { core } = setup(new FakeSource('dev', fakeCredentials()));
    await core.broker.load('dev');
    const response = await app.inject({ method: 'GET', url: '/', headers: auth });
    expect(response.json().Expiration).toBe('2026-01-01T01:00:00.000Z');
  });

  it('answers GET /profile with the name, account, role and time left', async () => {
    const { core } = setup(
      new FakeSource(
        'dev',
        fakeCredentials({
          expiresAt: Date.parse('2026-01-01T00:30:00Z'),
          roleArn: 'arn:aws:iam::123456789012:role/team/Dev',
        }),
      ),
    );
    await core.broker.load('dev');
    const response = await app.inject({ method: 'GET', url: '/profile', headers: auth });
    expect(response.json()).toEqual({
      ProfileName: 'dev',
      AccountId: '123456789012',
      RoleName: 'Dev',
      Expiration: Date.parse('2026-01-01T00:30:00Z') / 1000,
      Expires: '30m 00s',
    });
  });

  it('puts, lists, reads and deletes named slots, with URL-escaped names', async () => {
    setup();
    const name = 'Team Account/Admin é';
    const url = `/slot/${encodeURIComponent(name)}`;
    const put = await app.inject({ method: 'PUT', url, headers: auth, payload: putBody(name) });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ code: '200', message: `Loaded ${name} into its slot.` });

    const get = await app.inject({ method: 'GET', url, headers: auth });
    expect(get.json()).toMatchObject({ AccessKeyId: 'ASIAPUT', AccountId: '123456789012' });
    // A role name alone does not make an ARN (the role may have a path): none is made up.
    expect(get.json()).not.toHaveProperty('RoleArn');

    const list = await app.inject({ method: 'GET', url: '/slot', headers: auth });
    expect(list.json()).toEqual([
      {
        ProfileName: name,
        AccountId: '123456789012',
        RoleName: 'Dev',
        Expiration: 1767229200,
        Expires: '1h 00m',
      },
    ]);

    const del = await app.inject({ method: 'DELETE', url, headers: auth });
    expect(del.json()).toEqual({ code: '200', message: `Unloaded ${name} from its slot.` });
    const gone = await app.inject({ method: 'GET', url, headers: auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({
      code: '404',
      message: `Profile ${name} is not loaded in a slot. Load it with \`rolecall load ${name} --slot\`.`,
    });
    const again = await app.inject({ method: 'DELETE', url, headers: auth });
    expect(again.statusCode).toBe(404);
  });

  it('puts and deletes the default slot, and DELETE /slot empties only named slots', async () => {
    setup();
    expect(
      (await app.inject({ method: 'PUT', url: '/', headers: auth, payload: putBody('a') }))
        .statusCode,
    ).toBe(200);
    await app.inject({ method: 'PUT', url: '/slot/b', headers: auth, payload: putBody('b') });
    await app.inject({ method: 'PUT', url: '/slot/c', headers: auth, payload: putBody('c') });
    const cleared = await app.inject({ method: 'DELETE', url: '/slot', headers: auth });
    expect(cleared.json()).toEqual({ code: '200', message: 'Unloaded 2 named slots.' });
    expect((await app.inject({ method: 'GET', url: '/', headers: auth })).statusCode).toBe(200);
    const deleted = await app.inject({ method: 'DELETE', url: '/', headers: auth });
    expect(deleted.json()).toEqual({ code: '200', message: 'Unloaded a from the default slot.' });
    const empty = await app.inject({ method: 'DELETE', url: '/', headers: auth });
    expect(empty.statusCode).toBe(404);
    expect(empty.json().message).toBe('The default slot is already empty.');
  });

  it('answers 404 with a hint when the default slot is empty', async () => {
    setup();
    const response = await app.inject({ method: 'GET', url: '/', headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      code: '404',
      message: 'No profile is loaded in the default slot. Load one with `rolecall load <profile>`.',
    });
  });

  it('answers 503 once the served credentials have expired', async () => {
    const { core, clock } = setup(
      new FakeSource('dev', fakeCredentials({ expiresAt: Date.parse('2026-01-01T00:10:00Z') })),
    );
    await core.broker.load('dev');
    await clock.advance(HOUR);
    const response = await app.inject({ method: 'GET', url: '/', headers: auth });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('503');
    expect(response.json().message).toContain('rolecall load dev');
  });
});

describe('bad input', () => {
  it.each([
    ['no body', undefined, 'Request body is empty; send a JSON object.', 400],
    ['not an object', 'null', 'expected object', 400],
    ['missing Creds', { ProfileName: 'x' }, 'Creds', 400],
    [
      'empty secret',
      putBody('x', { secretAccessKey: '' }),
      'Creds.secretAccessKey: secretAccessKey is empty',
      400,
    ],
    ['expiration as a string', putBody('x', { expiration: 'tomorrow' }), 'Creds.expiration', 400],
    ['empty profile name', putBody(''), 'ProfileName: profile name is empty', 400],
    // No URL could reach its slot: a lone surrogate has no UTF-8 form to %-escape.
    [
      'a lone surrogate in the name',
      putBody('a\ud800'),
      'ProfileName: profile name is not valid Unicode',
      400,
    ],
  ])('PUT / with %s is a 400 that says what is wrong', async (_name, payload, message, status) => {
    setup();
    const response = await app.inject({
      method: 'PUT',
      url: '/',
      headers: { ...auth, 'content-type': 'application/json' },
      payload:
        typeof payload === 'string'
          ? payload
          : payload === undefined
            ? undefined
            : JSON.stringify(payload),
    });
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(String(status));
    expect(response.json().message).toContain(message);
  });

  it('refuses malformed JSON with 400', async () => {
    setup();
    const response = await app.inject({
      method: 'PUT',
      url: '/',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"ProfileName": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: '400', message: 'Request body is not valid JSON.' });
  });

  it('refuses a body over the limit with 413', async () => {
    setup();
    const response = await app.inject({
      method: 'PUT',
      url: '/',
      headers: auth,
      payload: putBody('x', { sessionToken: 'x'.repeat(BODY_LIMIT_BYTES) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      code: '413',
      message: 'Request body is larger than 64 KiB.',
    });
  });

  it('refuses a non-JSON body with 415', async () => {
    setup();
    const response = await app.inject({
      method: 'PUT',
      url: '/',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({
      code: '415',
      message: 'Send the request body as application/json.',
    });
  });

  it('refuses a slot PUT whose body names another profile', async () => {
    setup();
    const response = await app.inject({
      method: 'PUT',
      url: '/slot/a',
      headers: auth,
      payload: putBody('b'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('ProfileName "b" does not match the slot "a" in the URL.');
  });

  it.each([
    ['a control character', `/slot/${encodeURIComponent('a\u0000b')}`, 400, 'control characters'],
    [
      'a name longer than the router allows',
      `/slot/${'a'.repeat(5000)}`,
      414,
      'A name in the URL is longer than 1 KiB.',
    ],
    ['broken %-escapes', '/slot/%E0%A4%A', 400, 'The URL is not valid (check its %-escapes).'],
    ['an unknown route', '/nope', 404, 'No such route: GET /nope'],
  ])('answers a slot name with %s with a clear 4xx', async (_name, url, status, message) => {
    setup();
    const response = await app.inject({ method: 'GET', url, headers: auth });
    expect(response.statusCode).toBe(status);
    expect(response.json().message).toContain(message);
  });
});

describe('authorization and origin', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['the token without its scheme', { authorization: TOKEN }],
    ['the scheme only', { authorization: 'Bearer ' }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, 10)}` }],
    ['a very long header', { authorization: `Bearer ${'x'.repeat(8000)}` }],
  ])('refuses %s with 401 and the same message', async (_name, headers) => {
    setup();
    for (const url of ['/', '/slot', '/api/getSnapshot']) {
      const response = await app.inject({
        method: url.startsWith('/api') ? 'POST' : 'GET',
        url,
        headers,
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="rolecall"');
      expect(response.json()).toEqual({
        code: '401',
        message:
          'Missing or wrong Authorization header. Set AWS_CONTAINER_AUTHORIZATION_TOKEN from `rolecall env`.',
      });
    }
  });

  it('refuses browser requests (any Origin) and foreign Host headers before checking the token', async () => {
    setup();
    const withOrigin = await app.inject({
      method: 'GET',
      url: '/',
      headers: { ...auth, origin: 'https://evil.example' },
    });
    expect(withOrigin.statusCode).toBe(403);
    const rebound = await app.inject({
      method: 'GET',
      url: '/',
      headers: { ...auth, host: 'evil.example:4144' },
    });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().message).toBe(
      "Host header must name 127.0.0.1, localhost or [::1] (with this server's port, if any).",
    );
    // A loopback name alone is what some clients send, and is accepted.
    const bare = await app.inject({
      method: 'GET',
      url: '/',
      headers: { ...auth, host: '127.0.0.1' },
    });
    expect(bare.statusCode).not.toBe(403);
  });
});

describe('browsers, DNS rebinding and CORS', () => {
  let uiRoot: string;
  beforeAll(async () => {
    uiRoot = await mkdtemp(join(tmpdir(), 'rolecall-ui-'));
    await writeFile(join(uiRoot, 'index.html'), '<!doctype html><title>Rolecall</title>');
  });
  afterAll(async () => {
    await rm(uiRoot, { recursive: true, force: true });
  });

  function withUi() {
    const clock = new ManualClock();
    const core = createCore({ secrets: createMemoryStore(), clock, resolveSource: resolverFor() });
    const uiSessions = new UiSessions(clock);
    app = buildServer({
      broker: core.broker,
      api: core.api,
      token: () => TOKEN,
      clock,
      uiRoot,
      uiSessions,
    });
    return { clock, uiSessions };
  }
  const own = 'http://localhost:80';

  it('never hands credentials to a browser, not even to its own web UI', async () => {
    withUi();
    for (const headers of [
      { origin: own },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      for (const url of ['/', '/creds', '/slot/dev', '/profile']) {
        const response = await app.inject({ method: 'GET', url, headers: { ...auth, ...headers } });
        expect(response.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
  });

  it("lets only the web UI's own page call the API", async () => {
    withUi();
    const call = (headers: Record<string, string>, method: 'GET' | 'POST' = 'POST') =>
      app.inject({
        method,
        url: '/api/getSnapshot',
        headers: { ...auth, ...headers },
        ...(method === 'POST' ? { payload: {} } : {}),
      });
    expect((await call({ origin: own, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await call({ origin: own })).statusCode).toBe(200);
    expect((await call({ origin: 'http://127.0.0.1:80' })).statusCode).toBe(403);
    expect((await call({ origin: own, 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect((await call({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    // The UI's live stream is a same-origin GET: browsers send Sec-Fetch-Site but no Origin.
    expect((await call({ 'sec-fetch-site': 'cross-site' }, 'GET')).statusCode).toBe(403);
  });

  it('trades a one-time link code for a session that opens the API and nothing else', async () => {
    const { clock, uiSessions } = withUi();
    const fromPage = { origin: own, 'sec-fetch-site': 'same-origin' };
    const trade = (code: string) =>
      app.inject({ method: 'POST', url: '/ui-session', payload: { code }, headers: fromPage });
    const code = uiSessions.newLinkCode();
    const traded = await trade(code);
    expect(traded.statusCode).toBe(200);
    const session = { authorization: `Bearer ${traded.json<{ token: string }>().token}` };

    const again = await trade(code);
    expect(again.statusCode).toBe(401);
    expect(again.json().message).toBe(
      'This link was used already or has expired. Run `rolecall ui` for a new one.',
    );
    const stale = uiSessions.newLinkCode();
    await clock.advance(UI_LINK_LIFETIME_MS);
    expect((await trade(stale)).statusCode).toBe(401);
    expect((await trade('made-up')).statusCode).toBe(401);

    const api = await app.inject({
      method: 'POST',
      url: '/api/getSnapshot',
      payload: {},
      headers: { ...session, ...fromPage },
    });
    expect(api.statusCode).toBe(200);
    // Not a bearer token: no credentials with it, even outside a browser.
    for (const url of ['/', '/slot/dev', '/creds']) {
      expect((await app.inject({ method: 'GET', url, headers: session })).statusCode).toBe(401);
    }
    // Another site cannot trade a code either.
    const foreign = await app.inject({
      method: 'POST',
      url: '/ui-session',
      payload: { code: uiSessions.newLinkCode() },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('refuses browsers and foreign hosts even for URLs the router itself rejects', async () => {
    setup();
    for (const url of ['/slot/%', `/slot/${'n'.repeat(2000)}`]) {
      const fromPage = await app.inject({ method: 'GET', url, headers: { ...auth, origin: own } });
      expect(fromPage.statusCode, url).toBe(403);
      const rebound = await app.inject({
        method: 'GET',
        url,
        headers: { ...auth, host: 'evil.example' },
      });
      expect(rebound.statusCode, url).toBe(403);
      const withToken = await app.inject({ method: 'GET', url, headers: auth });
      expect(withToken.statusCode, url).toBe(url.endsWith('%') ? 400 : 414);
    }
  });

  it('refuses every browser request when there is no web UI', async () => {
    setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/getSnapshot',
      payload: {},
      headers: { ...auth, origin: own, 'sec-fetch-site': 'same-origin' },
    });
    expect(response.statusCode).toBe(403);
  });

  it.each([
    ['a foreign name', 'evil.example'],
    ['a foreign name with our port', 'evil.example:80'],
    ['loopback with another port', '127.0.0.1:4144'],
    ['a name that only starts like ours', 'localhost.evil.example:80'],
  ])('refuses %s in the Host header', async (_name, host) => {
    setup();
    const response = await app.inject({ method: 'GET', url: '/', headers: { ...auth, host } });
    expect(response.statusCode).toBe(403);
  });

  it.each(['127.0.0.1:80', 'localhost:80', '[::1]:80', '127.0.0.1', 'LOCALHOST:80'])(
    'accepts %s in the Host header',
    async (host) => {
      setup(new FakeSource('dev', fakeCredentials()));
      const response = await app.inject({ method: 'GET', url: '/', headers: { ...auth, host } });
      expect(response.statusCode).toBe(404);
    },
  );

  it('ends open event streams when it closes, so stopping never waits for an open page', async () => {
    withUi();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: auth });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const closing = app.close().then(() => 'closed');
    const waited = new Promise((resolve) => setTimeout(resolve, 3000, 'still waiting'));
    expect(await Promise.race([closing, waited])).toBe('closed');
    expect((await reader.read()).done).toBe(true);
  });

  it('never sends a CORS header, and refuses preflights', async () => {
    withUi();
    const responses = await Promise.all([
      app.inject({
        method: 'OPTIONS',
        url: '/',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      }),
      app.inject({ method: 'OPTIONS', url: '/api/getSnapshot', headers: { origin: own } }),
      app.inject({ method: 'GET', url: '/', headers: auth }),
      app.inject({ method: 'GET', url: '/' }),
      app.inject({ method: 'GET', url: '/ui/' }),
      app.inject({ method: 'POST', url: '/api/getSnapshot', payload: {}, headers: auth }),
    ]);
    expect(responses[0]!.statusCode).toBe(403);
    for (const response of responses) {
      expect(
        Object.keys(response.headers).filter((name) => name.startsWith('access-control-')),
      ).toEqual([]);
    }
  });
});

describe('failed authorization limit', () => {
  function limited() {
    const clock = new ManualClock();
    const core = createCore({
      secrets: createMemoryStore(),
      clock,
      resolveSource: resolverFor(new FakeSource('dev', fakeCredentials())),
    });
    app = buildServer({
      broker: core.broker,
      api: core.api,
      token: () => TOKEN,
      clock,
      failedAuthLimit: { budget: 5, windowMs: 10_000, firstLockMs: 2_000, maxLockMs: 4_000 },
    });
    return { clock, core };
  }
  const get = (authorization?: string) =>
    app.inject({ method: 'GET', url: '/slot', headers: authorization ? { authorization } : {} });

  it('refuses everyone for a while after too many wrong tokens, longer while it goes on', async () => {
    const { clock } = limited();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await get(`Bearer guess-${attempt}`)).statusCode).toBe(401);
    }
    expect((await get('Bearer guess-5')).statusCode).toBe(401);
    const locked = await get(auth.authorization);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('2');
    expect(locked.json()).toEqual({
      code: '429',
      message: 'Too many requests with a wrong token; Rolecall answers again in 2 s.',
    });
    // While locked, even the right token is not checked: guessing gets no answer at all.
    expect((await get(`Bearer ${TOKEN}`)).statusCode).toBe(429);

    await clock.advance(2_000);
    expect((await get(auth.authorization)).statusCode).toBe(200);
    for (let attempt = 0; attempt < 6; attempt += 1) await get('Bearer again');
    expect((await get(auth.authorization)).headers['retry-after']).toBe('4');
    await clock.advance(4_000);
    for (let attempt = 0; attempt < 6; attempt += 1) await get('Bearer again');
    expect((await get(auth.authorization)).headers['retry-after']).toBe('4');
  });

  it('forgets old failures: a few wrong tokens now and then never lock anyone out', async () => {
    const { clock } = limited();
    for (let round = 0; round < 20; round += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) await get('Bearer stale');
      await clock.advance(11_000);
    }
    expect((await get(auth.authorization)).statusCode).toBe(200);
  });
});

describe('control API', () => {
  it('loads, lists and unloads through POST /api/<call>', async () => {
    setup(new FakeSource('dev', fakeCredentials()));
    const loaded = await app.inject({
      method: 'POST',
      url: '/api/loadProfile',
      headers: auth,
      payload: { profile: 'dev', slot: true },
    });
    expect(loaded.statusCode).toBe(200);
    expect(loaded.json()).toMatchObject({ defaultProfile: null, slots: ['dev'] });
    const snapshot = await app.inject({
      method: 'POST',
      url: '/api/getSnapshot',
      headers: auth,
      payload: {},
    });
    expect(snapshot.json().entries[0]).toMatchObject({ profile: 'dev', state: 'fresh' });
    const unloaded = await app.inject({
      method: 'POST',
      url: '/api/unloadProfile',
      headers: auth,
      payload: { profile: 'dev' },
    });
    expect(unloaded.json()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('rejects bad arguments with 400 and one sentence naming the field', async () => {
    setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/loadProfile',
      headers: auth,
      payload: { profile: 7 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: '400', message: 'Profile must be a string.' });
    const extra = await app.inject({
      method: 'POST',
      url: '/api/getSnapshot',
      headers: auth,
      payload: { x: 1 },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toBe('There is no field x.');
    const every = await app.inject({
      method: 'POST',
      url: '/api/loadProfile',
      headers: auth,
      payload: { profile: 'dev', refreshEverySeconds: 5 },
    });
    expect(every.json().message).toBe('refreshEverySeconds must be at least 60.');
  });

  it('passes a source failure through with its message and status', async () => {
    setup(
      new FakeSource(
        'dev',
        new SourceError(
          'dev',
          'exit',
          'credential_process for profile dev exited with code 2: boom',
        ),
      ),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/api/loadProfile',
      headers: auth,
      payload: { profile: 'dev' },
    });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toEqual({
      code: '502',
      message: 'credential_process for profile dev exited with code 2: boom',
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/loadProfile',
      headers: auth,
      payload: { profile: 'nope' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('answers a 401 from behind a call without the challenge its own refusals carry', async () => {
    setup(
      new FakeSource(
        'dev',
        new RolecallError(
          'sso-session-ended',
          'The IAM Identity Center session corp has ended.',
          401,
        ),
      ),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/api/loadProfile',
      headers: auth,
      payload: { profile: 'dev' },
    });
    expect(response.statusCode).toBe(401);
    // The caller's token was fine: a web UI must not take this for the end of its session.
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
});
