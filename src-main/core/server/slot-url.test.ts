import { fromContainerMetadata, fromHttp } from '@aws-sdk/credential-providers';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { sendRaw } from '../../../test/helpers/raw-http';
import { withEnv } from '../../../test/helpers/with-env';
import { createCore, type Core } from '../core';
import { containerEnv } from '../env-format';
import { createLogger } from '../logger';
import { createMemoryStore } from '../secrets/memory-store';
import { buildServer } from './app';
import { slotPath, slotUrl } from '../../../src-shared/slot-url';

const TOKEN = 'slot-url-test-token-0123456789abcdef0123';
const HOUR = 3_600_000;

/**
 * Names a config file can hold (or the ECS API can be handed) that a URL could lose on the way:
 * dot segments plain and escaped, slashes, %, ?, #, spaces, non-ASCII, and names that look like
 * other routes.
 */
const ODD_NAMES = [
  '..',
  '.',
  '...',
  '%2E%2E',
  '%2e%2e',
  '.%2E',
  '%2E.',
  '%2E',
  '../x',
  'x/..',
  'x/../y',
  './x',
  'a/b',
  '/',
  '//',
  '100%',
  '%',
  '%25',
  'a#b',
  '#',
  'a?b',
  '?profile=dev',
  'with space',
  ' leading',
  'trailing ',
  'a+b',
  'a&b=c',
  "it's",
  'a\\b',
  '\\..',
  'a;b,c',
  '~',
  '*',
  '(x)',
  'café',
  '日本',
  '😀',
  'slot',
  'creds',
  'profile',
  'healthcheck',
];

let core: Core;
let servers: Array<{ label: string; app: FastifyInstance; url: string }>;
const keyOf = new Map<string, string>();

beforeAll(async () => {
  const clock = new ManualClock();
  const names = ['other', ...ODD_NAMES];
  const sources = names.map((name) => {
    const credentials = fakeCredentials({ expiresAt: clock.now() + 10 * HOUR });
    keyOf.set(name, credentials.accessKeyId);
    return new FakeSource(name, credentials);
  });
  core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: resolverFor(...sources),
  });
  // Another profile in the default slot: a URL that lost its name would get these keys.
  await core.broker.load('other');
  for (const name of ODD_NAMES) await core.broker.load(name, { slot: true });

  const common = { broker: core.broker, api: core.api, token: () => TOKEN, clock };
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  servers = [];
  for (const [label, app] of [
    ['as `rolecall serve` runs (fast path in front)', buildServer(common)],
    [
      'logging every request (fastify only)',
      buildServer({ ...common, logger: createLogger({ level: 'info', destination: quiet }) }),
    ],
  ] as const) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
    servers.push({ label, app, url });
  }
});

afterAll(async () => {
  core.broker.stop();
  for (const { app } of servers) await app.close();
});

/** GET of exactly this path and query, written to the socket as it is. */
async function keyServedAt(serverUrl: string, pathAndQuery: string): Promise<string> {
  const { port } = new URL(serverUrl);
  const answer = await sendRaw(
    Number(port),
    `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
  );
  expect(answer.status, `${pathAndQuery}: ${answer.body}`).toBe(200);
  return (JSON.parse(answer.body) as { AccessKeyId: string }).AccessKeyId;
}

describe('slotPath and slotUrl', () => {
  it('put `.` and `..` in the query, every other name in one %-escaped path segment', () => {
    expect(slotPath('..')).toBe('/slot?profile=..');
    expect(slotPath('.')).toBe('/slot?profile=.');
    expect(slotPath('%2E%2E')).toBe('/slot/%252E%252E');
    expect(slotPath('a/b')).toBe('/slot/a%2Fb');
    expect(slotPath('what?#now 100%')).toBe('/slot/what%3F%23now%20100%25');
    expect(slotPath('café')).toBe('/slot/caf%C3%A9');
    expect(slotUrl('https://127.0.0.1:4144/', '..')).toBe('https://127.0.0.1:4144/slot?profile=..');
    expect(slotUrl('http://[::1]:4144/', 'dev')).toBe('http://[::1]:4144/slot/dev');
  });

  it.each(ODD_NAMES)('give %j a URL that every WHATWG parser keeps as it is', (name) => {
    const url = slotUrl('http://127.0.0.1:4144/', name);
    expect(new URL(url).href).toBe(url);
  });

  it('never throw, not even on a lone surrogate', () => {
    expect(slotPath('a\ud800b')).toBe('/slot/a%EF%BF%BDb');
  });
});

describe.each([0, 1])('every slot URL reaches exactly its slot (server %i)', (index) => {
  const server = () => servers[index]!;

  it.each(ODD_NAMES)('%j: the path and query slotPath gives', async (name) => {
    expect(await keyServedAt(server().url, slotPath(name))).toBe(keyOf.get(name));
  });

  it.each(ODD_NAMES)(
    '%j: the URL `rolecall env --profile` exports, as a WHATWG client sends it',
    async (name) => {
      const url = new URL(
        containerEnv({ url: server().url, authorization: `Bearer ${TOKEN}`, profile: name })
          .AWS_CONTAINER_CREDENTIALS_FULL_URI!,
      );
      expect(await keyServedAt(server().url, url.pathname + url.search)).toBe(keyOf.get(name));
    },
  );

  it.each(ODD_NAMES)(
    "%j: the AWS SDK for JavaScript's fromHttp and fromContainerMetadata",
    async (name) => {
      const vars = containerEnv({
        url: server().url,
        authorization: `Bearer ${TOKEN}`,
        profile: name,
      });
      await withEnv(vars, async () => {
        expect((await fromHttp({})()).accessKeyId).toBe(keyOf.get(name));
        expect((await fromContainerMetadata()()).accessKeyId).toBe(keyOf.get(name));
      });
    },
  );
});
