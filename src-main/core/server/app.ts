import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Server as HttpsServer } from 'node:https';
import { UI_SESSION_ROUTE, type ApiHandlers } from '../../../src-shared/api';
import type { Broker } from '../broker/broker';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import type { FailedAuthLimitOptions } from './failed-auth-limit';
import { controlRoutes } from './control-routes';
import { ecsRoutes } from './ecs-routes';
import { uiRoutes } from './ui-routes';
import type { UiSessions } from './ui-sessions';
import { consoleLinkRoutes } from './console-link-routes';
import type { ConsoleLinks } from './console-links';
import { frameworkErrorHandler, installErrorHandlers } from './errors';
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from './limits';
import { createRequestGate } from './request-gate';
import { createCredentialsBodies } from './credentials-body';
import { createCredentialsFastPath } from './credentials-fast-path';
import { createNodeServer, type NodeServerOptions } from './node-server';
import { listenOnUnixSocket, type UnixSocketListener, type UnixSocketOptions } from './unix-socket';
import type { RequestListener } from 'node:http';
import { acceptEmptyJsonWithoutBodyNeeded } from './json-body';
import { certificateValidity, healthcheckRoutes } from './healthcheck';
import { tokenRoutes, type ServedTokens } from './token-routes';

/** How long requests in flight may take to finish once the server is closing. */
const CLOSE_GRACE_MS = 2_000;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Serves this certificate from the next TLS handshake on, without dropping connections
     * (HTTPS only); `/healthcheck` reports on it from then on.
     */
    replaceCertificate(pair: { cert: string; key: string }): void;
    /**
     * Also serves this app on a Unix socket (plain HTTP, the same gate, fast path and routes),
     * until the app closes, which removes the socket file. Call it after `listen`.
     */
    listenOnUnixSocket(options: UnixSocketOptions): Promise<string>;
  }
}

export interface ServerDeps {
  broker: Broker;
  api: ApiHandlers;
  /** The current bearer token every request must present as `Authorization: Bearer <token>`. */
  token: () => string;
  clock?: Clock;
  logger?: Logger;
  /** Serve HTTPS with this certificate and key; plain HTTP otherwise (never both on one port). */
  https?: { cert: string; key: string };
  /** Serve the web UI from this directory (the built renderer) at /ui/. */
  uiRoot?: string;
  /** The web UI's one-time links and sessions; required with uiRoot. */
  uiSessions?: UiSessions;
  /** How many wrong tokens lock the server for a while (tests shrink it). */
  failedAuthLimit?: FailedAuthLimitOptions;
  /** One-time links a browser opens to reach a console sign-in URL (`/console/<code>`). */
  consoleLinks?: ConsoleLinks;
  /** Bearer tokens at `/oauth/<name>`; the broker's token entries when not given. */
  tokens?: ServedTokens;
}

/**
 * Builds the HTTP app without listening, so tests drive it with `inject()` and the host decides
 * where it listens.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const clock = deps.clock ?? systemClock;
  const uiSessions = deps.uiRoot ? deps.uiSessions : undefined;
  if (deps.uiRoot && !uiSessions) throw new Error('buildServer: a web UI needs uiSessions');
  // Connections of the Unix socket listeners, which the gate tells apart from the port's.
  const unixConnections = new WeakSet<object>();
  const gate = createRequestGate({
    ...deps,
    clock,
    uiSessions,
    isUnixSocket: (socket) => unixConnections.has(socket),
  });
  const bodyOf = createCredentialsBodies(clock);
  // Requests are logged at info (`--verbose`); then every request goes through fastify.
  const logRequests = deps.logger?.isLevelEnabled('info') ?? false;
  let closing = false;
  const fastPath = logRequests
    ? null
    : createCredentialsFastPath({ gate, broker: deps.broker, bodyOf, isClosing: () => closing });
  // What the node server was made with, for a Unix socket server made the same way.
  let listener: RequestListener | null = null;
  let serverOptions: NodeServerOptions = {};
  const app = Fastify({
    // The node server is made here rather than by fastify only to put the fast path in front.
    serverFactory: (handler, options) => {
      listener = fastPath
        ? (request, response) => {
            if (!fastPath(request, response)) handler(request, response);
          }
        : handler;
      serverOptions = options;
      return createNodeServer(options, listener);
    },
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    ...(deps.https
      ? { https: { cert: deps.https.cert, key: deps.https.key, minVersion: 'TLSv1.2' as const } }
      : {}),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router refuses some URLs (bad %-escapes, over-long names) before any hook runs; the
    // gate still goes first, so such a request without a token gets 401, from a browser 403.
    frameworkErrors: (error, request, reply) => {
      if (!gate.admit(request, reply)) return;
      frameworkErrorHandler(error, request, reply);
    },
    return503OnClosing: true,
    // fastify makes a child logger per request; with redaction compiled in, that was a quarter
    // of the server's time per request at the default level, where nothing per request is
    // logged. Only make them when they can write something.
    childLoggerFactory: (logger, bindings, options) =>
      logRequests ? logger.child(bindings, options) : logger,
    logController: new LogController({ disableRequestLogging: !logRequests }),
    // Credentials are fetched once per process and cached by the SDK; an idle keep-alive
    // connection is not worth holding for long.
    keepAliveTimeout: 5_000,
  }) as unknown as FastifyInstance;

  installErrorHandlers(app);
  const sockets: UnixSocketListener[] = [];
  app.addHook('preClose', (done) => {
    closing = true;
    for (const socket of sockets) socket.stopAccepting();
    // Requests in flight get a moment to finish; then whatever is still open — a client that
    // never finished sending its request, a load waiting for an MFA code — is cut, or closing
    // (Ctrl-C on `rolecall serve`) would wait for it for minutes.
    const cut = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
    cut.unref();
    app.server.once('close', () => clearTimeout(cut));
    done();
  });
  // After fastify's own server has closed: what is still open on a socket is cut, its file removed.
  app.addHook('onClose', async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
  });
  app.decorate('listenOnUnixSocket', async (options: UnixSocketOptions) => {
    if (!listener) throw new Error('listenOnUnixSocket: the app has no request listener');
    // Plain HTTP: who may connect is the socket file's mode; TLS would add nothing on one machine.
    const server = createNodeServer({ ...serverOptions, https: null }, listener);
    server.on('connection', (connection) => unixConnections.add(connection));
    const socket = await listenOnUnixSocket(server, options);
    sockets.push(socket);
    return socket.path;
  });
  // Only JSON bodies are accepted; a text body is a client mistake (415), not a string to parse.
  app.removeContentTypeParser('text/plain');
  acceptEmptyJsonWithoutBodyNeeded(app);
  // A callback hook, not an async one: no promise per request on the hot path. A refused
  // request has its answer sent already, so it never goes on.
  app.addHook('onRequest', (request, reply, done) => {
    if (gate.admit(request, reply)) done();
  });

  let certificate = deps.https ? certificateValidity(deps.https.cert) : null;
  app.decorate('replaceCertificate', (pair: { cert: string; key: string }) => {
    if (!deps.https) throw new Error('replaceCertificate: this server does not speak HTTPS');
    (app.server as HttpsServer).setSecureContext(pair);
    certificate = certificateValidity(pair.cert);
  });

  app.register(healthcheckRoutes, { clock, certificate: () => certificate });
  app.register(ecsRoutes, { broker: deps.broker, clock, bodyOf });
  app.register(controlRoutes, { api: deps.api });
  app.register(tokenRoutes, { tokens: deps.tokens ?? deps.broker.tokens });
  if (deps.consoleLinks) app.register(consoleLinkRoutes, { links: deps.consoleLinks });
  if (deps.uiRoot && uiSessions) {
    app.register(uiRoutes, { root: deps.uiRoot, broker: deps.broker });
    // The page trades the one-time code from its link for a session token of its own.
    app.post(UI_SESSION_ROUTE, async (request, reply) => {
      const token = uiSessions.exchange((request.body as { code?: unknown } | null)?.code);
      if (!token) {
        return gate.refuseWrongToken(
          reply,
          'This link was used already or has expired. Run `rolecall ui` for a new one.',
        );
      }
      return { token };
    });
    app.get('/ui', (_request, reply) => reply.redirect('/ui/'));
    // Browsers ask for it on every page; answer without a body rather than a 401 in their console.
    app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  }
  return app;
}
