import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore } from '../core';
import { createLogger, type Logger } from '../logger';
import { createMemoryStore } from '../secrets/memory-store';
import { buildServer } from './app';
import { CONSOLE_LINK_LIFETIME_MS, ConsoleLinks } from './console-links';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef';
const SIGN_IN = 'https://signin.aws.amazon.com/federation?Action=login&SigninToken=secret';
const FAR = Number.MAX_SAFE_INTEGER;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function setup(options: { consoleLinks?: boolean; logger?: Logger } = {}) {
  const clock = new ManualClock();
  const links = new ConsoleLinks(clock);
  const core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: async () => {
      throw new Error('no sources');
    },
  });
  app = buildServer({
    broker: core.broker,
    api: core.api,
    token: () => TOKEN,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.consoleLinks === false ? {} : { consoleLinks: links }),
  });
  const codeOf = (url: string) => new URL(url).pathname.slice('/console/'.length);
  return { clock, links, codeOf, server: app };
}

/** A browser opening a link: no token, Sec-Fetch-Site none (typed, or from another program). */
const browser = { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' };

describe('console links', () => {
  it('send a browser on to the sign-in URL once, with no referrer and nothing cached', async () => {
    const { links, codeOf, server } = setup();
    const link = links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:4144\/console\/[\w-]{43}$/);

    const first = await server.inject({
      method: 'GET',
      url: `/console/${codeOf(link.url)}`,
      headers: browser,
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(SIGN_IN);
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    expect(first.headers['cache-control']).toBe('no-store');

    const again = await server.inject({
      method: 'GET',
      url: `/console/${codeOf(link.url)}`,
      headers: browser,
    });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This link to the AWS console was opened already, or has expired');
    expect(again.body).not.toContain('SigninToken');
  });

  it('work from any page, since only their code opens them', async () => {
    const { links, codeOf, server } = setup();
    for (const site of ['cross-site', 'same-origin', 'same-site']) {
      const link = links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
      const answer = await server.inject({
        method: 'GET',
        url: `/console/${codeOf(link.url)}`,
        headers: { ...browser, 'sec-fetch-site': site, origin: 'https://elsewhere.example' },
      });
      expect(answer.statusCode).toBe(303);
    }
  });

  it('expire after two minutes, or with the sign-in URL when that ends first', async () => {
    const { clock, links, codeOf } = setup();
    const late = links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
    const early = links.add('http://127.0.0.1:4144/', SIGN_IN, clock.now() + 30_000);
    expect(early.expiresAt).toBe(clock.now() + 30_000);
    clock.time += 31_000;
    expect(links.take(codeOf(early.url))).toBeNull();
    clock.time += CONSOLE_LINK_LIFETIME_MS;
    expect(links.take(codeOf(late.url))).toBeNull();
  });

  it('are not spent by a HEAD request, which no browser visit makes', async () => {
    const { links, codeOf, server } = setup();
    const link = links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
    const head = await server.inject({
      method: 'HEAD',
      url: `/console/${codeOf(link.url)}`,
      headers: {},
    });
    expect(head.statusCode).not.toBe(303);
    expect(links.take(codeOf(link.url))).toBe(SIGN_IN);
  });

  it('open nothing else: other routes still refuse browsers and want the token', async () => {
    const { server } = setup();
    expect((await server.inject({ method: 'GET', url: '/', headers: browser })).statusCode).toBe(
      403,
    );
    expect((await server.inject({ method: 'GET', url: '/console', headers: {} })).statusCode).toBe(
      401,
    );
    expect(
      (
        await server.inject({
          method: 'GET',
          url: '/console/x/../',
          headers: {},
        })
      ).statusCode,
    ).not.toBe(303);
  });

  it('are refused where the server serves none', async () => {
    const { server } = setup({ consoleLinks: false });
    expect(
      (await server.inject({ method: 'GET', url: '/console/abc', headers: browser })).statusCode,
    ).toBe(403);
  });

  it('never reach the request log, not even with every request logged', async () => {
    let log = '';
    const logger = createLogger({
      level: 'info',
      format: 'json',
      destination: { write: (line: string) => void (log += line) },
    });
    const { links, codeOf, server } = setup({ logger });
    const link = links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
    await server.inject({ method: 'GET', url: `/console/${codeOf(link.url)}`, headers: browser });
    expect(log).toContain('/console/[redacted]');
    expect(log).not.toContain(codeOf(link.url));
    expect(log).not.toContain('SigninToken');
  });

  it('keep at most 100 unopened, dropping the oldest', () => {
    const { links, codeOf } = setup();
    const first = links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
    for (let i = 0; i < 100; i += 1) links.add('http://127.0.0.1:4144/', SIGN_IN, FAR);
    expect(links.take(codeOf(first.url))).toBeNull();
  });
});
