import type { FastifyInstance } from 'fastify';
import { Agent, request as httpsRequest } from 'node:https';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { sendRaw } from '../../../test/helpers/raw-http';
import { createCore, type Core } from '../core';
import { createMemoryStore } from '../secrets/memory-store';
import { createCa, createLeaf, type CertificatePair } from '../tls/certificates';
import { buildServer } from './app';

const TOKEN = 'plain-http-test-token-0123456789abcdef0123';

let app: FastifyInstance;
let core: Core;
let ca: CertificatePair;
let port: number;
let keys: string;

beforeAll(async () => {
  // Certificates valid by the real clock, which TLS clients check them against.
  ca = await createCa({ now: Date.now() });
  const leaf = await createLeaf(ca, { now: Date.now() });
  const credentials = fakeCredentials({ expiresAt: Date.now() + 3_600_000 });
  keys = credentials.accessKeyId;
  core = createCore({
    secrets: createMemoryStore(),
    resolveSource: resolverFor(new FakeSource('dev', credentials)),
  });
  await core.broker.load('dev');
  await core.broker.load('dev', { slot: true });
  app = buildServer({
    broker: core.broker,
    api: core.api,
    token: () => TOKEN,
    https: { cert: leaf.certPem, key: leaf.keyPem },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  core.broker.stop();
  await app.close();
});

const plainGet = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;

const told = () =>
  `Rolecall now serves HTTPS on this port; this client asked in plain HTTP. Run \`eval "$(rolecall env)"\` again to point this shell at https://127.0.0.1:${port}/.`;

/** GETs over HTTPS, trusting only the CA, on one keep-alive connection. */
async function overTls(paths: string[], agent: Agent) {
  const answers: Array<{ status: number; body: string; socket: unknown }> = [];
  for (const path of paths) {
    answers.push(
      await new Promise((resolve, reject) => {
        const outgoing = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            agent,
            ca: ca.certPem,
            headers: { authorization: `Bearer ${TOKEN}` },
          },
          (incoming) => {
            let body = '';
            incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
            incoming.on('end', () =>
              resolve({ status: incoming.statusCode!, body, socket: incoming.socket }),
            );
          },
        );
        outgoing.on('error', reject);
        outgoing.end();
      }),
    );
  }
  return answers;
}

describe('plain HTTP to the HTTPS port', () => {
  it.each(['/', '/slot/dev', '/healthcheck', '/api/getSnapshot'])(
    'GET %s is answered in plain HTTP: 400, what happened and what to run, no credentials',
    async (path) => {
      const answer = await sendRaw(port, plainGet(path));
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({ code: '400', message: told() });
      expect(answer.body).not.toContain(keys);
    },
  );

  it('is answered however the request arrives, a byte at a time included', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
      const request = plainGet('/');
      socket.write(request.slice(0, 1));
      setTimeout(() => socket.write(request.slice(1)), 50);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain(JSON.stringify(told()).slice(1, -1));
  });

  it('is what fetch (undici) reads, as a status and a sentence', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: '400', message: told() });
  });
});

describe('TLS on the same port', () => {
  it('serves HTTPS as before, several requests on one kept-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers = await overTls(['/', '/slot/dev', '/healthcheck'], agent);
      expect(answers.map(({ status }) => status)).toEqual([200, 200, 200]);
      expect(JSON.parse(answers[0]!.body).AccessKeyId).toBe(keys);
      expect(answers[1]!.socket).toBe(answers[0]!.socket);
      expect(answers[2]!.socket).toBe(answers[0]!.socket);
    } finally {
      agent.destroy();
    }
  });

  it('serves a TLS client whose first byte arrives alone', async () => {
    // A relay that sends the client's first byte on its own, the rest 50 ms later.
    const relay: Server = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port });
      upstream.pipe(client);
      client.once('data', (first: Buffer) => {
        upstream.write(first.subarray(0, 1));
        setTimeout(() => {
          upstream.write(first.subarray(1));
          client.pipe(upstream);
        }, 50);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const relayPort = (relay.address() as AddressInfo).port;
      const status = await new Promise<number>((resolve, reject) => {
        httpsRequest(
          {
            host: '127.0.0.1',
            port: relayPort,
            path: '/',
            ca: ca.certPem,
            headers: { authorization: `Bearer ${TOKEN}`, host: `127.0.0.1:${port}` },
          },
          (incoming) => {
            incoming.resume();
            resolve(incoming.statusCode!);
          },
        )
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);
    } finally {
      relay.close();
    }
  });
});
