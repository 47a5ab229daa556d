import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ApiHandlers } from '../../../src-shared/api';
import type { Broker } from '../broker/broker';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { createAuthorizationCheck } from './auth';
import {
  FailedAuthLimiter,
  defaultFailedAuthLimit,
  type FailedAuthLimitOptions,
} from './failed-auth-limit';
import { controlRoutes } from './control-routes';
import { ecsRoutes } from './ecs-routes';
import { uiRoutes } from './ui-routes';
import type { UiSessions } from './ui-sessions';
import { errorBody, frameworkErrorHandler, installErrorHandlers } from './errors';
import { BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from './limits';
import { allowedHostHeaders } from './loopback';

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
}

/**
 * Builds the HTTP app without listening, so tests drive it with `inject()` and the host decides
 * where it listens.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    ...(deps.https
      ? { https: { cert: deps.https.cert, key: deps.https.key, minVersion: 'TLSv1.2' as const } }
      : {}),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler,
    return503OnClosing: true,
    // Credentials are fetched once per process and cached by the SDK; an idle keep-alive
    // connection is not worth holding for long.
    keepAliveTimeout: 5_000,
  }) as unknown as FastifyInstance;

  installErrorHandlers(app);
  // Only JSON bodies are accepted; a text body is a client mistake (415), not a string to parse.
  app.removeContentTypeParser('text/plain');
  const isAuthorized = createAuthorizationCheck(deps.token);
  const clock = deps.clock ?? systemClock;
  const limiter = new FailedAuthLimiter(deps.failedAuthLimit ?? defaultFailedAuthLimit);

  const uiSessions = deps.uiRoot ? deps.uiSessions : undefined;
  if (deps.uiRoot && !uiSessions) throw new Error('buildServer: a web UI needs uiSessions');
  /** The control API also opens to the web UI's session tokens; credential routes never do. */
  const isAuthorizedFor = (request: FastifyRequest) =>
    isAuthorized(request.headers.authorization) ||
    (uiSessions !== undefined &&
      request.url.startsWith('/api/') &&
      uiSessions.isSession(request.headers.authorization));
  const refuseWrongToken = (reply: FastifyReply, message: string) => {
    const lockMs = limiter.recordFailure(clock.now());
    if (lockMs !== null) {
      deps.logger?.warn(
        `Too many requests with a wrong token; refusing every request for ${lockMs / 1000} s.`,
      );
    }
    return reply.code(401).send(errorBody(401, message));
  };

  // Order matters: refuse browsers and rebinding before even looking at the token.
  app.addHook('onRequest', async (request, reply) => {
    if (!isAllowedBrowserContext(request, deps)) {
      return reply
        .code(403)
        .send(
          errorBody(
            403,
            'Requests from web pages are refused: Rolecall answers only local programs.',
          ),
        );
    }
    if (
      !allowedHostHeaders(request.socket.localPort ?? 80).has(
        (request.headers.host ?? '').toLowerCase(),
      )
    ) {
      return reply
        .code(403)
        .send(
          errorBody(403, 'Host header must name 127.0.0.1, localhost or [::1], with the port.'),
        );
    }
    // The UI's files are public (no secrets).
    if (deps.uiRoot && request.method === 'GET' && isUiPath(request.url)) return;
    const locked = limiter.lockedFor(clock.now());
    if (locked > 0) {
      const seconds = Math.ceil(locked / 1000);
      return reply
        .code(429)
        .header('retry-after', String(seconds))
        .send(
          errorBody(
            429,
            `Too many requests with a wrong token; Rolecall answers again in ${seconds} s.`,
          ),
        );
    }
    // The one-time code is this request's credential; its route checks it.
    if (uiSessions && request.method === 'POST' && request.url === UI_SESSION_ROUTE) return;
    if (!isAuthorizedFor(request)) {
      return refuseWrongToken(
        reply,
        'Missing or wrong Authorization header. Set AWS_CONTAINER_AUTHORIZATION_TOKEN from `rolecall env`.',
      );
    }
  });

  app.register(ecsRoutes, { broker: deps.broker, clock });
  app.register(controlRoutes, { api: deps.api });
  if (deps.uiRoot && uiSessions) {
    app.register(uiRoutes, { root: deps.uiRoot, broker: deps.broker });
    // The page trades the one-time code from its link for a session token of its own.
    app.post(UI_SESSION_ROUTE, async (request, reply) => {
      const token = uiSessions.exchange((request.body as { code?: unknown } | null)?.code);
      if (!token) {
        return refuseWrongToken(
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

/**
 * Browsers mark their requests (`Origin` on anything but a plain GET, `Sec-Fetch-Site` on all of
 * them in current browsers); AWS SDKs and CLIs send neither. Credentials are never handed to a
 * browser. The only browser requests accepted are the web UI's own: its files and its API calls
 * from its own origin.
 */
function isAllowedBrowserContext(request: FastifyRequest, deps: ServerDeps): boolean {
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (origin === undefined && fetchSite === undefined) return true;
  if (!deps.uiRoot) return false;
  const own = ownOrigin(request, deps);
  if (isUiPath(request.url)) return origin === undefined || origin === own;
  // Same-origin GETs carry no Origin, only Sec-Fetch-Site; older browsers send only Origin.
  const originOk = origin === undefined ? fetchSite === 'same-origin' : origin === own;
  const siteOk = fetchSite === undefined || fetchSite === 'same-origin';
  return (
    (request.url.startsWith('/api/') || request.url === UI_SESSION_ROUTE) && originOk && siteOk
  );
}

export const UI_SESSION_ROUTE = '/ui-session';

/** The web UI's public files. */
function isUiPath(url: string): boolean {
  return url === '/ui' || url.startsWith('/ui/') || url === '/favicon.ico';
}

function ownOrigin(request: FastifyRequest, deps: ServerDeps): string {
  return `${deps.https ? 'https' : 'http'}://${request.headers.host ?? ''}`;
}
