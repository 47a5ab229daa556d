import type { ServerResponse } from 'node:http';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { Broker } from '../broker/broker';

export interface UiRoutesOptions {
  /** The built renderer (out/renderer). */
  root: string;
  broker: Broker;
}

/** Only our own page, scripts and styles; nothing from elsewhere, no framing. */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** How often an idle event stream sends a comment, so proxies and sockets don't time it out. */
const KEEPALIVE_MS = 25_000;

/**
 * The web UI for headless hosts: the built renderer at /ui/ (public files, no secrets — the token
 * arrives in the URL fragment, which browsers never send), and a live snapshot stream at
 * GET /api/events, which needs the bearer token like every other API route.
 */
export const uiRoutes: FastifyPluginAsync<UiRoutesOptions> = async (app, { root, broker }) => {
  await app.register(fastifyStatic, {
    root,
    prefix: '/ui/',
    decorateReply: false,
    setHeaders: (res) => {
      res.header('content-security-policy', UI_CONTENT_SECURITY_POLICY);
      res.header('x-content-type-options', 'nosniff');
      res.header('referrer-policy', 'no-referrer');
    },
  });

  // A stream ends only when its page goes away; closing the server (Ctrl-C on `rolecall serve`,
  // a move to another port) would otherwise wait for every open page.
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    streams.add(res);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (snapshot: unknown) =>
      res.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    send(broker.snapshot());
    broker.on('changed', send);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    request.raw.on('close', () => {
      streams.delete(res);
      clearInterval(keepalive);
      broker.off('changed', send);
    });
  });
};
