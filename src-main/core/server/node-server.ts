import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { answerPlainHttpOnTlsPort } from './plain-http-on-tls-port';

/** The fastify options a node server is made from (fastify passes them, defaults filled in). */
export interface NodeServerOptions {
  https?: { cert: string; key: string; minVersion?: 'TLSv1.2' | 'TLSv1.3' } | null;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/**
 * An HTTP or HTTPS server as fastify makes one for HTTP/1 — same TLS options and the same
 * timeouts — so that handing fastify a server of our own (`serverFactory`) changes nothing but
 * the request listener; and an HTTPS one answers a plain HTTP request with a sentence.
 */
export function createNodeServer(options: NodeServerOptions, listener: RequestListener): Server {
  let server: Server;
  if (options.https) {
    const https = createHttpsServer(options.https, listener);
    answerPlainHttpOnTlsPort(https);
    server = https;
  } else {
    server = createHttpServer(listener);
  }
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}
