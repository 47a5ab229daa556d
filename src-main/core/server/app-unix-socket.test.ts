import type { FastifyInstance } from 'fastify';
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createCore, type Core } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { createCa, createLeaf } from '../tls/certificates';
import { buildServer } from './app';

const TOKEN = 'socket-token-0123456789abcdef0123456789abcd';
const HOUR = 3_600_000;
const run = promisify(execFile);

let dir: string;
let app: FastifyInstance | undefined;
let core: Core | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-app-sock-'));
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  core?.broker.stop();
  await rm(dir, { recursive: true, force: true });
});

/** What curl gets over the socket: status and body, as a user typing the docs' command sees. */
async function curl(socket: string, path: string, extra: string[] = []) {
  const { stdout } = await run('curl', [
    '-s',
    '--unix-socket',
    socket,
    '-w',
    '\n%{http_code}',
    ...extra,
    `http://localhost${path}`,
  ]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

async function serveWithSocket(options: { https?: { cert: string; key: string } } = {}) {
  const clock = new ManualClock();
  core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: resolverFor(
      new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR })),
      new FakeSource('prod', fakeCredentials({ expiresAt: clock.now() + HOUR })),
    ),
  });
  await core.broker.load('dev');
  await core.broker.load('prod', { slot: true });
  app = buildServer({
    broker: core.broker,
    api: core.api,
    token: () => TOKEN,
    clock,
    ...(options.https ? { https: options.https } : {}),
  });
  // Counts what reaches fastify: the fast path answers plain credential reads before it.
  const reachedFastify: string[] = [];
  app.addHook('onRequest', (request, _reply, done) => {
    reachedFastify.push(request.url);
    done();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const socket = await app.listenOnUnixSocket({ path: join(dir, 'rc.sock') });
  return { socket, reachedFastify };
}

const bearer = ['-H', `Authorization: Bearer ${TOKEN}`];

describe('the endpoint on a Unix socket', () => {
  it('answers curl --unix-socket with the credentials, through the fast path', async () => {
    const { socket, reachedFastify } = await serveWithSocket();
    const answer = await curl(socket, '/', bearer);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ AccessKeyId: expect.any(String) });
    const slot = await curl(socket, '/slot/prod', bearer);
    expect(slot.status).toBe(200);
    expect(reachedFastify).toEqual([]);
  });

  it('requires the bearer token there too', async () => {
    const { socket } = await serveWithSocket();
    const missing = await curl(socket, '/');
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({
      message: expect.stringContaining('Missing or wrong Authorization header'),
    });
    const wrong = await curl(socket, '/', ['-H', 'Authorization: Bearer not-the-token']);
    expect(wrong.status).toBe(401);
  });

  it('serves the other routes and the control API through fastify', async () => {
    const { socket, reachedFastify } = await serveWithSocket();
    const profile = await curl(socket, '/profile', bearer);
    expect(profile.status).toBe(200);
    const snapshot = await curl(socket, '/api/getSnapshot', [
      ...bearer,
      '-X',
      'POST',
      '-H',
      'content-type: application/json',
      '-d',
      '{}',
    ]);
    expect(snapshot.status).toBe(200);
    expect(JSON.parse(snapshot.body)).toHaveProperty('slots');
    expect(reachedFastify).toEqual(['/profile', '/api/getSnapshot']);
  });

  it('refuses a Host header that names no loopback address, as on TCP', async () => {
    const { socket } = await serveWithSocket();
    const answer = await curl(socket, '/', [...bearer, '-H', 'Host: evil.example']);
    expect(answer.status).toBe(403);
    const withPort = await curl(socket, '/', [...bearer, '-H', 'Host: evil.example:4144']);
    expect(withPort.status).toBe(403);
  });

  it('accepts the TCP URL a person copies, whatever its port: a socket has none', async () => {
    const { socket } = await serveWithSocket();
    for (const host of ['127.0.0.1:4144', 'localhost:41400', '[::1]:4144', 'localhost']) {
      const answer = await curl(socket, '/', [...bearer, '-H', `Host: ${host}`]);
      expect(answer.status, host).toBe(200);
    }
  });

  it('speaks plain HTTP on the socket while the port speaks HTTPS', async () => {
    const ca = await createCa({ now: Date.now() });
    const leaf = await createLeaf(ca, { now: Date.now() });
    const { socket } = await serveWithSocket({ https: { cert: leaf.certPem, key: leaf.keyPem } });
    const answer = await curl(socket, '/', bearer);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ AccessKeyId: expect.any(String) });
  });

  it('removes the socket file when the app closes', async () => {
    const { socket } = await serveWithSocket();
    expect((await lstat(socket)).isSocket()).toBe(true);
    await app!.close();
    app = undefined;
    await expect(lstat(socket)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
