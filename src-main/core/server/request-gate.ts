import type { FastifyReply, FastifyRequest } from 'fastify';
import { UI_SESSION_ROUTE } from '../../../src-shared/api';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { createAuthorizationCheck } from './auth';
import { errorBody } from './errors';
import {
  FailedAuthLimiter,
  defaultFailedAuthLimit,
  type FailedAuthLimitOptions,
} from './failed-auth-limit';
import { allowedHostHeaders } from './loopback';
import type { UiSessions } from './ui-sessions';

export interface RequestGateOptions {
  token: () => string;
  clock: Clock;
  logger?: Logger;
  https?: unknown;
  uiRoot?: string;
  /** Given only with a web UI: its sessions may call the control API. */
  uiSessions?: UiSessions;
  failedAuthLimit?: FailedAuthLimitOptions;
}

export interface RequestGate {
  /** Lets a request through (true), or answers it with 403/429/401 (false). */
  admit(request: FastifyRequest, reply: FastifyReply): boolean;
  /** Answers 401 and counts the failure towards the lock. */
  refuseWrongToken(reply: FastifyReply, message: string): FastifyReply;
}

/**
 * What every request passes before any route, in this order: not from a browser (except the
 * web UI's own calls), a loopback Host with our port (DNS rebinding), not during a lock after
 * too many wrong tokens, and the bearer token (or, for the control API only, a web UI session).
 */
export function createRequestGate(options: RequestGateOptions): RequestGate {
  const isBearer = createAuthorizationCheck(options.token);
  const limiter = new FailedAuthLimiter(options.failedAuthLimit ?? defaultFailedAuthLimit);
  const uiSessions = options.uiSessions;
  const isAuthorized = (request: FastifyRequest) =>
    isBearer(request.headers.authorization) ||
    (uiSessions !== undefined &&
      request.url.startsWith('/api/') &&
      uiSessions.isSession(request.headers.authorization));

  // One set per listening port, built once rather than per request.
  const hostSets = new Map<number, Set<string>>();
  const hostsFor = (port: number) => {
    let hosts = hostSets.get(port);
    if (!hosts) hostSets.set(port, (hosts = allowedHostHeaders(port)));
    return hosts;
  };

  const refuseWrongToken = (reply: FastifyReply, message: string) => {
    const lockMs = limiter.recordFailure(options.clock.now());
    if (lockMs !== null) {
      options.logger?.warn(
        `Too many requests with a wrong token; refusing every request for ${lockMs / 1000} s.`,
      );
    }
    return reply.code(401).send(errorBody(401, message));
  };

  const refuse = (reply: FastifyReply, status: number, message: string) => {
    void reply.code(status).send(errorBody(status, message));
    return false;
  };

  return {
    refuseWrongToken,
    admit(request, reply) {
      if (!isAllowedBrowserContext(request, options)) {
        return refuse(
          reply,
          403,
          'Requests from web pages are refused: Rolecall answers only local programs.',
        );
      }
      const host = (request.headers.host ?? '').toLowerCase();
      if (!hostsFor(request.socket.localPort ?? 80).has(host)) {
        return refuse(
          reply,
          403,
          'Host header must name 127.0.0.1, localhost or [::1], with the port.',
        );
      }
      // The UI's files are public (no secrets).
      if (options.uiRoot && request.method === 'GET' && isUiPath(request.url)) return true;
      const locked = limiter.lockedFor(options.clock.now());
      if (locked > 0) {
        const seconds = Math.ceil(locked / 1000);
        reply.header('retry-after', String(seconds));
        return refuse(
          reply,
          429,
          `Too many requests with a wrong token; Rolecall answers again in ${seconds} s.`,
        );
      }
      // The one-time code is this request's credential; its route checks it.
      if (uiSessions && request.method === 'POST' && request.url === UI_SESSION_ROUTE) return true;
      if (!isAuthorized(request)) {
        void refuseWrongToken(
          reply,
          'Missing or wrong Authorization header. Set AWS_CONTAINER_AUTHORIZATION_TOKEN from `rolecall env`.',
        );
        return false;
      }
      return true;
    },
  };
}

/**
 * Browsers mark their requests (`Origin` on anything but a plain GET, `Sec-Fetch-Site` on all of
 * them in current browsers); AWS SDKs and CLIs send neither. Credentials are never handed to a
 * browser. The only browser requests accepted are the web UI's own: its files and its API calls
 * from its own origin.
 */
function isAllowedBrowserContext(request: FastifyRequest, deps: RequestGateOptions): boolean {
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

/** The web UI's public files. */
function isUiPath(url: string): boolean {
  return url === '/ui' || url.startsWith('/ui/') || url === '/favicon.ico';
}

function ownOrigin(request: FastifyRequest, deps: RequestGateOptions): string {
  return `${deps.https ? 'https' : 'http'}://${request.headers.host ?? ''}`;
}
