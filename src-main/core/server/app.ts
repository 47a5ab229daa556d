import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiHandlers } from '../../../src-shared/api';
import type { Broker } from '../broker/broker';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { createAuthorizationCheck } from './auth';
import { controlRoutes } from './control-routes';
import { ecsRoutes } from './ecs-routes';
import { uiRoutes } from './ui-routes';
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

  // Order matters: refuse browsers and rebinding before even looking at the token.
  app.addHook('onRequest', async (request, reply) => {
    const ownOrigin = `${deps.https ? 'https' : 'http'}://${request.headers.host ?? ''}`;
    // Only the UI this server itself serves may call it from a browser; any other page is refused.
    const foreignOrigin =
      request.headers.origin !== undefined &&
      !(deps.uiRoot && request.headers.origin === ownOrigin);
    if (foreignOrigin) {
      return reply
        .code(403)
        .send(
          errorBody(
            403,
            'Requests from web pages are refused: Rolecall answers only local programs.',
          ),
        );
    }
    if (!isAllowedHost(request.headers.host, request.socket.localPort)) {
      return reply
        .code(403)
        .send(errorBody(403, 'Host header must name 127.0.0.1, localhost or [::1].'));
    }
    // The UI's files are public (no secrets); the token reaches the page in the URL fragment.
    if (
      deps.uiRoot &&
      request.method === 'GET' &&
      (request.url === '/ui' || request.url.startsWith('/ui/') || request.url === '/favicon.ico')
    )
      return;
    if (!isAuthorized(request.headers.authorization)) {
      return reply
        .code(401)
        .send(
          errorBody(
            401,
            'Missing or wrong Authorization header. Set AWS_CONTAINER_AUTHORIZATION_TOKEN from `rolecall env`.',
          ),
        );
    }
  });

  const clock = deps.clock ?? systemClock;
  app.register(ecsRoutes, { broker: deps.broker, clock });
  app.register(controlRoutes, { api: deps.api });
  if (deps.uiRoot) {
    app.register(uiRoutes, { root: deps.uiRoot, broker: deps.broker });
    app.get('/ui', (_request, reply) => reply.redirect('/ui/'));
    // Browsers ask for it on every page; answer without a body rather than a 401 in their console.
    app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  }
  return app;
}

function isAllowedHost(host: string | undefined, localPort: number | undefined): boolean {
  if (!host) return false;
  if (localPort === undefined) {
    // inject() has no socket port; accept any port but still check the name.
    const name = host.replace(/:\d+$/, '');
    return allowedHostHeaders(0).has(name);
  }
  return allowedHostHeaders(localPort).has(host.toLowerCase());
}
