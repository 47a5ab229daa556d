import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
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
import { isHealthcheckRequest } from './healthcheck';
import { allowedHostHeaders } from './loopback';
import type { UiSessions } from './ui-sessions';
import { isConsoleLinkPath, type ConsoleLinks } from './console-links';

export interface RequestGateOptions {
  token: () => string;
  clock: Clock;
  logger?: Logger;
  https?: unknown;
  uiRoot?: string;
  /** Given only with a web UI: its sessions may call the control API. */
  uiSessions?: UiSessions;
  failedAuthLimit?: FailedAuthLimitOptions;
  /** Given where console links are served: a browser may open one, by its code alone. */
  consoleLinks?: ConsoleLinks;
  /** Whether a request came over the Unix socket (`rolecall serve --socket`), not the port. */
  isUnixSocket?: (socket: object) => boolean;
}

/** What the gate reads of a request: node's own request or fastify's, alike. */
export interface GateRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
  socket: { localPort?: number | undefined };
}

/** Let through, or refused with this status and message (and, for 429, when to come back). */
export type GateVerdict =
  | { admit: true }
  | {
      admit: false;
      status: 401 | 403 | 429;
      message: string;
      retryAfterSeconds?: number;
    };

export interface RequestGate {
  /** What the gate says of a request. Counts nothing: only `admit` counts wrong tokens. */
  judge(request: GateRequest): GateVerdict;
  /** Lets a request through (true), or answers it with 403/429/401 (false). */
  admit(request: FastifyRequest, reply: FastifyReply): boolean;
  /** Answers 401 and counts the failure towards the lock. */
  refuseWrongToken(reply: FastifyReply, message: string): FastifyReply;
}

const ADMIT: GateVerdict = { admit: true };
const FROM_A_BROWSER: GateVerdict = {
  admit: false,
  status: 403,
  message: 'Requests from web pages are refused: Rolecall answers only local programs.',
};
const WRONG_HOST: GateVerdict = {
  admit: false,
  status: 403,
  message: "Host header must name 127.0.0.1, localhost or [::1] (with this server's port, if any).",
};
/** What `WWW-Authenticate` says with every refused token: send a bearer token. */
export const WWW_AUTHENTICATE = 'Bearer realm="rolecall"';

const WRONG_TOKEN: GateVerdict = {
  admit: false,
  status: 401,
  message:
    'Missing or wrong Authorization header. Set AWS_CONTAINER_AUTHORIZATION_TOKEN from `rolecall env`.',
};

/**
 * What every request passes before any route, in this order: not from a browser (except the
 * web UI's own calls), a loopback Host with our port (DNS rebinding), not during a lock after
 * too many wrong tokens, and the bearer token (or, for the control API only, a web UI session).
 * The web UI's files and `/healthcheck` need no token, so no lock either.
 */
export function createRequestGate(options: RequestGateOptions): RequestGate {
  const isBearer = createAuthorizationCheck(options.token);
  const limiter = new FailedAuthLimiter(options.failedAuthLimit ?? defaultFailedAuthLimit);
  const uiSessions = options.uiSessions;
  const isAuthorized = (request: GateRequest, url: string) =>
    isBearer(request.headers.authorization) ||
    (uiSessions !== undefined &&
      url.startsWith('/api/') &&
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
    // The challenge HTTP asks of every 401; it also tells a client (the web UI) that its own
    // token was refused, not something behind the call (an Identity Center session, say).
    return reply
      .code(401)
      .header('www-authenticate', WWW_AUTHENTICATE)
      .send(errorBody(401, message));
  };

  const judge = (request: GateRequest): GateVerdict => {
    const url = request.url ?? '';
    if (!isAllowedBrowserContext(request, url, options)) return FROM_A_BROWSER;
    const host = (request.headers.host ?? '').toLowerCase();
    // A Unix socket has no port: a client there may name any (curl with the TCP URL), but only
    // a loopback name, as on TCP. A TCP connection always has its port, so it never asks.
    const port = request.socket.localPort;
    const allowed =
      port === undefined && options.isUnixSocket?.(request.socket)
        ? isLoopbackHostHeader(host)
        : hostsFor(port ?? 80).has(host);
    if (!allowed) return WRONG_HOST;
    // The UI's files are public (no secrets), and so is the health check.
    if (options.uiRoot && request.method === 'GET' && isUiPath(url)) return ADMIT;
    if (isHealthcheckRequest(request.method, url)) return ADMIT;
    const locked = limiter.lockedFor(options.clock.now());
    if (locked > 0) {
      const seconds = Math.ceil(locked / 1000);
      return {
        admit: false,
        status: 429,
        message: `Too many requests with a wrong token; Rolecall answers again in ${seconds} s.`,
        retryAfterSeconds: seconds,
      };
    }
    // The one-time code is this request's credential; its route checks it.
    if (uiSessions && request.method === 'POST' && url === UI_SESSION_ROUTE) return ADMIT;
    if (isConsoleLink(request, url, options)) return ADMIT;
    return isAuthorized(request, url) ? ADMIT : WRONG_TOKEN;
  };

  return {
    judge,
    refuseWrongToken,
    admit(request, reply) {
      const verdict = judge(request);
      if (verdict.admit) return true;
      if (verdict.status === 401) {
        void refuseWrongToken(reply, verdict.message);
        return false;
      }
      if (verdict.retryAfterSeconds !== undefined) {
        reply.header('retry-after', String(verdict.retryAfterSeconds));
      }
      void reply.code(verdict.status).send(errorBody(verdict.status, verdict.message));
      return false;
    },
  };
}

/**
 * Browsers mark their requests (`Origin` on anything but a plain GET, `Sec-Fetch-Site` on all of
 * them in current browsers); AWS SDKs and CLIs send neither. Credentials are never handed to a
 * browser. The only browser requests accepted are the web UI's own: its files and its API calls
 * from its own origin.
 */
function isAllowedBrowserContext(
  request: GateRequest,
  url: string,
  deps: RequestGateOptions,
): boolean {
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (origin === undefined && fetchSite === undefined) return true;
  // Opened by the browser itself (xdg-open, the window's tab), from wherever it was asked.
  if (isConsoleLink(request, url, deps)) return true;
  if (!deps.uiRoot) return false;
  const own = ownOrigin(request, deps);
  if (isUiPath(url)) return origin === undefined || origin === own;
  // Same-origin GETs carry no Origin, only Sec-Fetch-Site; older browsers send only Origin.
  const originOk = origin === undefined ? fetchSite === 'same-origin' : origin === own;
  const siteOk = fetchSite === undefined || fetchSite === 'same-origin';
  return (url.startsWith('/api/') || url === UI_SESSION_ROUTE) && originOk && siteOk;
}

/**
 * A console link: `GET /console/<code>`, where console links are served. Its code — 256 random
 * bits, good once for two minutes — is its credential, checked by its route; it answers only a
 * redirect to AWS's sign-in page, never credentials, so any page may send a browser there.
 * Wrong codes are not counted towards the lock: a spent link opened again is a browser reloading.
 */
function isConsoleLink(request: GateRequest, url: string, deps: RequestGateOptions): boolean {
  return deps.consoleLinks !== undefined && request.method === 'GET' && isConsoleLinkPath(url);
}

const LOOPBACK_HOST_HEADER = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

function isLoopbackHostHeader(host: string): boolean {
  return LOOPBACK_HOST_HEADER.test(host);
}

/** The web UI's public files. */
function isUiPath(url: string): boolean {
  return url === '/ui' || url.startsWith('/ui/') || url === '/favicon.ico';
}

function ownOrigin(request: GateRequest, deps: RequestGateOptions): string {
  return `${deps.https ? 'https' : 'http'}://${request.headers.host ?? ''}`;
}
