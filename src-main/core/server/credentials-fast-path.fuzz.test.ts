import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from '../../../test/helpers/fuzz';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore, type Core } from '../core';
import { createLogger } from '../logger';
import { createMemoryStore } from '../secrets/memory-store';
import { SourceError } from '../sources/source';
import { buildServer } from './app';
import { slotPath } from '../../../src-shared/slot-url';

/**
 * The fast path answers plain credential reads outside fastify. It must answer exactly what
 * fastify would: every request here goes to two servers over the same broker — one as
 * `rolecall serve` runs (fast path in front of fastify), one logging every request (`--verbose`,
 * where every request goes through fastify) — and the two answers must be the same: status,
 * headers, body. Both over real sockets: `inject()` normalises URLs (`/slot/%2e%2e` becomes `/`)
 * and header values on its own, so it is no reference for what arrives off the wire.
 */

/** Cases per run; docs/security.md quotes it. */
const RUNS = 1500;

const TOKEN = 'fast-path-fuzz-token-0123456789abcdef01234';
const HOUR = 3_600_000;

let app: FastifyInstance;
let reference: FastifyInstance;
let core: Core;
const agent = new Agent({ keepAlive: true, maxSockets: 2 });
/** 200s the reference server logged as completed (fastify logs each request it answers). */
let referenceCompletedOk = 0;
/** Answers fastify sent through its routes (onSend hook); the fast path runs no hooks. */
let answeredByFastify = 0;

/** The profile in the default slot. */
const DEFAULT_PROFILE = 'dev';
/**
 * Loaded into named slots with names a URL could lose: dot segments, a literal `%2E%2E`,
 * slashes, `%`, `#`, `?`, non-ASCII, a name that looks like a query.
 */
const ODD_NAMES = [
  '..',
  '.',
  '%2E%2E',
  'a/b',
  '100%',
  'a#b',
  'a?b',
  'café',
  '日本',
  '?profile=dev',
];
/** Each loaded profile's access key: the oracle for which slot answered. */
const keyOf = new Map<string, string>();

beforeAll(async () => {
  const clock = new ManualClock();
  const failing = new FakeSource(
    'broken',
    fakeCredentials({ expiresAt: clock.now() + 60_000 }),
    new SourceError('broken', 'exit', 'the upstream is down'),
  );
  const fresh = (profile: string) => {
    const credentials = fakeCredentials({ expiresAt: clock.now() + 10 * HOUR });
    keyOf.set(profile, credentials.accessKeyId);
    return new FakeSource(profile, credentials);
  };
  // Never expires: advertised relative to now, serialised per answer.
  const staticCredentials = fakeCredentials();
  keyOf.set('static', staticCredentials.accessKeyId);
  core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: resolverFor(
      fresh(DEFAULT_PROFILE),
      fresh('prod'),
      fresh('team.admin@corp'),
      fresh('with space'),
      // A name with a literal %: `/slot/odd%2564` names it, `/slot/odd%64` does not.
      fresh('odd%64'),
      ...ODD_NAMES.map(fresh),
      new FakeSource('static', staticCredentials),
      failing,
    ),
  });
  await core.broker.load(DEFAULT_PROFILE);
  for (const profile of [
    'prod',
    'team.admin@corp',
    'with space',
    'odd%64',
    ...ODD_NAMES,
    'static',
    'broken',
  ]) {
    await core.broker.load(profile, { slot: true });
  }
  // `broken` expires and cannot be renewed: a 503 from fastify, never from the fast path.
  await clock.advance(2 * 60_000);

  // Wrong tokens go to both; a lock would only blur the comparison (tested on its own below).
  const failedAuthLimit = { budget: 1e9, windowMs: 1, firstLockMs: 1, maxLockMs: 1 };
  const common = { broker: core.broker, api: core.api, token: () => TOKEN, clock, failedAuthLimit };
  app = buildServer(common);
  app.addHook('onSend', (_request, _reply, payload, done) => {
    answeredByFastify += 1;
    done(null, payload);
  });
  const requestLog = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.includes('"request completed"') && line.includes('"statusCode":200')) {
          referenceCompletedOk += 1;
        }
      }
      done();
    },
  });
  reference = buildServer({
    ...common,
    logger: createLogger({ level: 'info', destination: requestLog }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await reference.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  agent.destroy();
  core.broker.stop();
  await app.close();
  await reference.close();
});

const portOf = (server: FastifyInstance) => (server.server.address() as AddressInfo).port;

interface Exchange {
  method: 'GET' | 'HEAD' | 'OPTIONS' | 'POST';
  path: string;
  authorization: string | undefined;
  host: 'ip' | 'localhost' | 'ipv6' | 'no port' | 'other port' | 'foreign';
  origin: string | undefined;
  fetchSite: string | undefined;
  body: string | undefined;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function hostHeader(kind: Exchange['host'], listeningPort: number): string {
  switch (kind) {
    case 'ip':
      return `127.0.0.1:${listeningPort}`;
    case 'localhost':
      return `localhost:${listeningPort}`;
    case 'ipv6':
      return `[::1]:${listeningPort}`;
    case 'no port':
      return '127.0.0.1';
    case 'other port':
      return `127.0.0.1:${listeningPort + 1}`;
    case 'foreign':
      return `evil.example:${listeningPort}`;
  }
}

function headersFor(exchange: Exchange, listeningPort: number): Record<string, string> {
  const headers: Record<string, string> = { host: hostHeader(exchange.host, listeningPort) };
  if (exchange.authorization !== undefined) headers.authorization = exchange.authorization;
  if (exchange.origin !== undefined) headers.origin = exchange.origin;
  if (exchange.fetchSite !== undefined) headers['sec-fetch-site'] = exchange.fetchSite;
  if (exchange.body !== undefined) {
    headers['content-type'] = 'application/json';
    // node's client would send a GET's body unframed otherwise.
    headers['content-length'] = String(Buffer.byteLength(exchange.body));
  }
  return headers;
}

/** What may differ between two servers: the Date header and connection framing. */
function comparable(status: number, headers: IncomingHttpHeaders, body: string): Answer {
  const kept = { ...headers } as Record<string, string | string[] | undefined>;
  for (const name of ['date', 'connection', 'keep-alive', 'transfer-encoding']) delete kept[name];
  return { status, headers: kept, body };
}

function overSocket(server: FastifyInstance, exchange: Exchange): Promise<Answer> {
  const port = portOf(server);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: exchange.method,
        path: exchange.path,
        headers: headersFor(exchange, port),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve(
            comparable(incoming.statusCode!, incoming.headers, Buffer.concat(chunks).toString()),
          ),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(exchange.body);
  });
}

/** One time in `oneIn` a value, otherwise undefined (no such header). */
function sometimes<T>(values: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: oneIn - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: values },
  );
}

const slotName = fc.oneof(
  fc.constantFrom('prod', 'team.admin@corp', 'static', 'broken', 'staging', 'dev'),
  fc.constantFrom('with%20space', 'pro%64', '%70rod', 'a%00b', '..', '%2e%2e', '%E2%9C%93'),
  fc.constantFrom('odd%64', 'odd%2564', 'odd%'),
  // Dot segments, raw and escaped, and the odd names as clients escape them.
  fc.constantFrom('.', '..', '.%2E', '%2E.', '%2E', '%2E%2E', '%252E%252E', '...'),
  fc.constantFrom(...ODD_NAMES).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9._@+=,~!$&'()*;:-]{1,12}$/),
  fc.constant('n'.repeat(512)),
  fc.constant('n'.repeat(513)),
);

const path = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('/', '/creds') },
  { weight: 4, arbitrary: slotName.map((name) => `/slot/${name}`) },
  // Every slot's URL as Rolecall prints it: `/slot?profile=..` for the dot names.
  {
    weight: 2,
    arbitrary: fc.constantFrom(DEFAULT_PROFILE, 'prod', 'odd%64', ...ODD_NAMES).map(slotPath),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '/slot?profile=%2E%2E',
      '/slot?profile=prod&profile=dev',
      '/slot?profile=',
      '/slot?x=1&profile=prod',
      '/slot?PROFILE=prod',
      '/slot?profile=caf%C3%A9',
      '/slot?profile=a%2Fb',
      '/slot?profile=a+b',
      '/slot/?profile=prod',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/?x=1',
      '/creds?role=admin',
      '/slot/prod?x',
      '/slot/prod/',
      '/slot/',
      '/slot',
      '/SLOT/prod',
      '//',
      '/profile',
      '/slot/prod/../dev',
      '/api/snapshot',
      '/healthcheck',
      '/healthcheck/?probe',
    ),
  },
);

const exchange: fc.Arbitrary<Exchange> = fc.record({
  method: fc.oneof(
    { weight: 6, arbitrary: fc.constant('GET' as const) },
    { weight: 3, arbitrary: fc.constantFrom('HEAD' as const, 'OPTIONS' as const, 'POST' as const) },
  ),
  path,
  authorization: fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        `bearer ${TOKEN}`,
        `Bearer ${TOKEN} `,
        `Bearer  ${TOKEN}`,
        `Bearer ${TOKEN.slice(0, -1)}`,
        `Bearer ${TOKEN}x`,
        TOKEN,
        'Bearer ',
        undefined,
      ),
    },
  ),
  host: fc.oneof(
    { weight: 5, arbitrary: fc.constant('ip' as const) },
    { weight: 4, arbitrary: fc.constantFrom('localhost' as const, 'ipv6' as const) },
    {
      weight: 3,
      arbitrary: fc.constantFrom('no port' as const, 'other port' as const, 'foreign' as const),
    },
  ),
  origin: sometimes(fc.constantFrom('http://evil.example', 'null'), 6),
  fetchSite: sometimes(fc.constantFrom('cross-site', 'same-origin', 'none'), 6),
  body: sometimes(fc.constantFrom('', '{}', '{"x":1}'), 8),
}) as fc.Arbitrary<Exchange>;

/** The AccessKeyId of a credentials answer; null for anything else (lists, errors, HEAD). */
function credentialsIn(answer: Answer): string | null {
  if (answer.status !== 200 || answer.body === '') return null;
  const body: unknown = JSON.parse(answer.body);
  if (typeof body !== 'object' || body === null || !('AccessKeyId' in body)) return null;
  return String(body.AccessKeyId);
}

/**
 * The profile whose credentials a URL asks for, worked out apart from the router: `/` and
 * `/creds` the default slot's, `/slot/<one segment>` that segment %-decoded,
 * `/slot?profile=<name>` that one name; null for every other URL.
 */
function profileNamedBy(path: string): string | null {
  const mark = path.indexOf('?');
  const pathname = mark < 0 ? path : path.slice(0, mark);
  if (pathname === '/' || pathname === '/creds') return DEFAULT_PROFILE;
  if (pathname === '/slot') {
    const named = new URLSearchParams(mark < 0 ? '' : path.slice(mark + 1)).getAll('profile');
    return named.length === 1 ? named[0]! : null;
  }
  const segment = pathname.startsWith('/slot/') ? pathname.slice('/slot/'.length) : '/';
  if (segment.includes('/')) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

describe('the credentials fast path', () => {
  it(
    'answers every request exactly as fastify does',
    async () => {
      let fast = 0;
      let fastifyOk = 0;
      let checkedWhich = 0;
      let checkedDotNames = 0;
      const completedBefore = referenceCompletedOk;
      await fc.assert(
        fc.asyncProperty(exchange, async (request) => {
          const before = answeredByFastify;
          const answer = await overSocket(app, request);
          const fastifyAnswered = answeredByFastify !== before;
          const referenceAnswer = await overSocket(reference, request);
          expect(answer).toEqual(referenceAnswer);
          // Which slot answered: credentials only ever come from the slot the URL names.
          const served = credentialsIn(answer);
          if (served !== null) {
            const named = profileNamedBy(request.path);
            expect(named, request.path).not.toBeNull();
            expect(served, `${request.path} names ${named}`).toBe(keyOf.get(named!));
            checkedWhich += 1;
            if (named === '..' || named === '.') checkedDotNames += 1;
          }
          // Every 200 fastify sends passes its onSend hook (errors the router raises itself do
          // not, but they are never 200), so a 200 without it came from the fast path.
          if (answer.status === 200) {
            if (fastifyAnswered) fastifyOk += 1;
            else fast += 1;
          }
        }),
        fuzzParameters(RUNS),
      );
      // Both paths were exercised: plain reads went fast, and others (escaped names, HEAD)
      // were answered 200 by fastify.
      expect(fast).toBeGreaterThan(RUNS / 40);
      expect(fastifyOk).toBeGreaterThan(0);
      // With request logging on, nothing bypassed fastify: every 200 was logged.
      expect(referenceCompletedOk - completedBefore).toBe(fast + fastifyOk);
      // The which-slot oracle had work, the dot names included.
      expect(checkedWhich).toBeGreaterThan(RUNS / 20);
      expect(checkedDotNames).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('answers a locked server like fastify: 429 even with the right token', async () => {
    const clock = new ManualClock();
    const lockedCore = createCore({
      secrets: createMemoryStore(),
      clock,
      resolveSource: resolverFor(
        new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR })),
      ),
    });
    await lockedCore.broker.load('dev');
    const locked = buildServer({
      broker: lockedCore.broker,
      api: lockedCore.api,
      token: () => TOKEN,
      clock,
      failedAuthLimit: { budget: 2, windowMs: 10_000, firstLockMs: 30_000, maxLockMs: 60_000 },
    });
    await locked.listen({ host: '127.0.0.1', port: 0 });
    try {
      const lockedPort = (locked.server.address() as AddressInfo).port;
      const get = (authorization: string) =>
        fetch(`http://127.0.0.1:${lockedPort}/`, { headers: { authorization } });
      expect((await get(`Bearer ${TOKEN}`)).status).toBe(200);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await get('Bearer wrong')).status).toBe(401);
      }
      const refused = await get(`Bearer ${TOKEN}`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(await refused.json()).toMatchObject({ code: '429' });
    } finally {
      lockedCore.broker.stop();
      await locked.close();
    }
  });
});
