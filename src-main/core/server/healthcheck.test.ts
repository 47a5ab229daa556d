import type { FastifyInstance } from 'fastify';
import { X509Certificate } from 'node:crypto';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore, type Core } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { createCa, createLeaf } from '../tls/certificates';
import { ROLECALL_VERSION } from '../version';
import { buildServer, type ServerDeps } from './app';

const TOKEN = 'healthcheck-test-token-0123456789abcdef012';
const DAY = 24 * 3_600_000;
const PROFILE = 'secret-project-admin';

let app: FastifyInstance | undefined;
let core: Core | undefined;

afterEach(async () => {
  core?.broker.stop();
  await app?.close();
  app = undefined;
});

async function setup(extra: Partial<ServerDeps> = {}, options: { lockAfter?: number } = {}) {
  const clock = new ManualClock();
  const credentials = fakeCredentials({ expiresAt: clock.now() + 3_600_000 });
  core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: resolverFor(new FakeSource(PROFILE, credentials)),
  });
  // Loaded, so an answer that leaked anything about profiles or credentials would show it.
  await core.broker.load(PROFILE);
  await core.broker.load(PROFILE, { slot: true });
  app = buildServer({
    broker: core.broker,
    api: core.api,
    token: () => TOKEN,
    clock,
    failedAuthLimit: {
      budget: options.lockAfter ?? 100,
      windowMs: 10_000,
      firstLockMs: 30_000,
      maxLockMs: 60_000,
    },
    ...extra,
  });
  return { app, clock, credentials };
}

const get = (server: FastifyInstance, url: string, headers: Record<string, string> = {}) =>
  server.inject({ method: 'GET', url, headers });

describe('GET /healthcheck', () => {
  it.each(['/healthcheck', '/healthcheck/', '/healthcheck?probe=1'])(
    '%s answers without a token: up, the version, no TLS — nothing about profiles or credentials',
    async (url) => {
      const { app: server, credentials } = await setup();
      const response = await get(server, url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json()).toEqual({ status: 'ok', version: ROLECALL_VERSION, tls: false });
      for (const secretish of [PROFILE, credentials.accessKeyId, credentials.secretAccessKey]) {
        expect(response.body).not.toContain(secretish);
      }
    },
  );

  it('answers HEAD without a body', async () => {
    const { app: server } = await setup();
    const response = await server.inject({ method: 'HEAD', url: '/healthcheck' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });

  it('is refused to browsers and foreign Host headers like every route', async () => {
    const { app: server } = await setup();
    const refused: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-origin' },
      { host: 'evil.example' },
      { host: 'evil.example:80' },
    ];
    for (const headers of refused) {
      const response = await get(server, '/healthcheck', headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
    }
    // A loopback Host without the port is what a probe may send.
    expect((await get(server, '/healthcheck', { host: '127.0.0.1' })).statusCode).toBe(200);
  });

  it('still answers while wrong tokens have locked every other route', async () => {
    const { app: server } = await setup({}, { lockAfter: 2 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await get(server, '/', { authorization: 'Bearer wrong' });
    }
    expect((await get(server, '/', { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(429);
    expect((await get(server, '/healthcheck')).statusCode).toBe(200);
  });

  it('opens nothing else: other methods and paths under it still need the token', async () => {
    const { app: server } = await setup();
    for (const [method, url] of [
      ['POST', '/healthcheck'],
      ['DELETE', '/healthcheck'],
      ['GET', `/healthcheck/slot/${PROFILE}`],
      ['GET', '/healthcheck/../'],
      ['GET', '/HEALTHCHECK'],
      ['GET', '/healthcheckx'],
    ] as const) {
      const response = await server.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
    const withToken = await get(server, `/healthcheck/slot/${PROFILE}`, {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(withToken.statusCode).toBe(404);
  });
});

describe('GET /healthcheck with TLS', () => {
  async function tlsSetup() {
    const now = new ManualClock().now();
    const ca = await createCa({ now });
    const leaf = await createLeaf(ca, { now, validityDays: 90 });
    const started = await setup({ https: { cert: leaf.certPem, key: leaf.keyPem } });
    // Months pass below; nothing needs renewing meanwhile.
    core!.broker.unloadAll();
    return { ...started, ca, now };
  }

  it('says whether the certificate it serves is valid, and until when', async () => {
    const { app: server, clock, now } = await tlsSetup();
    const notAfter = new Date(now + 90 * DAY).toISOString();
    const valid = await get(server, '/healthcheck');
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toEqual({
      status: 'ok',
      version: ROLECALL_VERSION,
      tls: true,
      certificate: { valid: true, notAfter },
    });

    await clock.advance(91 * DAY);
    const expired = await get(server, '/healthcheck');
    expect(expired.statusCode).toBe(503);
    expect(expired.json()).toEqual({
      status: 'certificate expired',
      version: ROLECALL_VERSION,
      tls: true,
      certificate: { valid: false, notAfter },
    });
  });

  it('reports on a renewed certificate from the moment it is served', async () => {
    const { app: server, clock, ca, now } = await tlsSetup();
    await clock.advance(91 * DAY);
    expect((await get(server, '/healthcheck')).statusCode).toBe(503);
    const renewed = await createLeaf(ca, { now: clock.now(), validityDays: 90 });
    server.replaceCertificate({ cert: renewed.certPem, key: renewed.keyPem });
    const answer = await get(server, '/healthcheck');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().certificate).toEqual({
      valid: true,
      notAfter: new Date(now + 181 * DAY).toISOString(),
    });
  });

  it('serves the renewed certificate from the next connection on', async () => {
    const { app: server, ca } = await tlsSetup();
    // Valid by the real clock, which the client checks it against.
    const renewed = await createLeaf(ca, { now: Date.now(), validityDays: 30 });
    await server.listen({ host: '127.0.0.1', port: 0 });
    server.replaceCertificate({ cert: renewed.certPem, key: renewed.keyPem });
    const { port } = server.server.address() as AddressInfo;
    const fingerprint = await new Promise<string>((resolve, reject) => {
      httpsGet(`https://127.0.0.1:${port}/healthcheck`, { ca: ca.certPem }, (res) => {
        res.resume();
        resolve((res.socket as TLSSocket).getPeerCertificate().fingerprint256);
      }).on('error', reject);
    });
    expect(fingerprint).toBe(new X509Certificate(renewed.certPem).fingerprint256);
  });
});
