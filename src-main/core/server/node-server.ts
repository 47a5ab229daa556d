import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

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
 * the request listener.
 */
export function createNodeServer(options: NodeServerOptions, listener: RequestListener): Server {
  const server = options.https
    ? createHttpsServer(options.https, listener)
    : createHttpServer(listener);
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}
