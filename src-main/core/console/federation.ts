import { errorMessage, RolecallError } from '../errors';

/**
 * The AWS federation endpoint's two actions (IAM User Guide, "Enable custom identity broker
 * access to the AWS console"): `getSigninToken` trades credentials for a sign-in token, and
 * `login` is the URL a browser opens with it. The token and the URL sign anyone in for 15
 * minutes, so neither is ever logged, and errors name the endpoint only by its host and path.
 */

/** What the endpoint takes: the three parts of temporary credentials. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The endpoint's bounds for `SessionDuration`: 15 minutes to 12 hours. */
export const SESSION_DURATION_SECONDS = { min: 900, max: 43_200 } as const;

/** How long a sign-in URL works, as AWS documents it. */
export const SIGN_IN_URL_LIFETIME_MS = 15 * 60_000;

/** Long enough for a slow network, short enough that a stuck endpoint is said in words. */
const DEFAULT_TIMEOUT_MS = 15_000;
/** A sign-in token is a few hundred bytes; anything much larger is not the endpoint's answer. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface SigninTokenRequest {
  /** The federation endpoint, without a query. */
  signInUrl: string;
  credentials: SessionCredentials;
  /** Seconds the console session may last beyond the credentials; only for some credentials. */
  sessionDurationSeconds?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The endpoint answered, but not with a token: its status, for the caller to explain. */
export class SignInRefused extends RolecallError {
  constructor(
    readonly httpStatus: number,
    readonly endpoint: string,
  ) {
    super('console-sign-in-refused', `${endpoint} answered HTTP ${httpStatus}.`, 502);
    this.name = 'SignInRefused';
  }
}

/**
 * `GET <endpoint>?Action=getSigninToken[&SessionDuration=…]&Session=<JSON>`, as the endpoint
 * takes it; answers the `SigninToken`. Redirects are refused rather than followed, so the
 * credentials in the query go nowhere but the endpoint named.
 */
export async function requestSigninToken(request: SigninTokenRequest): Promise<string> {
  const url = new URL(request.signInUrl);
  const endpoint = describeEndpoint(url);
  url.searchParams.set('Action', 'getSigninToken');
  if (request.sessionDurationSeconds !== undefined)
    url.searchParams.set('SessionDuration', String(request.sessionDurationSeconds));
  url.searchParams.set(
    'Session',
    JSON.stringify({
      sessionId: request.credentials.accessKeyId,
      sessionKey: request.credentials.secretAccessKey,
      sessionToken: request.credentials.sessionToken,
    }),
  );
  const timeout = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (request.signal?.aborted)
      throw new RolecallError('cancelled', 'Opening the console was cancelled.', 499);
    if (timeout.aborted) {
      const ms = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      throw new RolecallError(
        'console-sign-in-timeout',
        `${endpoint} did not answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}; check the network and try again.`,
        504,
        { cause: error },
      );
    }
    throw new RolecallError(
      'console-sign-in-unreachable',
      `Could not reach ${endpoint}: ${connectionWords(error)}. Check the network and try again.`,
      502,
      { cause: error },
    );
  }
  const body = await readCapped(response, signal).catch(() => null);
  if (response.status !== 200) throw new SignInRefused(response.status, endpoint);
  const token = signinTokenIn(body);
  if (token === null) {
    throw new RolecallError(
      'console-sign-in-bad-answer',
      `${endpoint} answered without a sign-in token${body === null ? '' : ` (${describeBody(response, body)})`}; a proxy or captive portal may be in the way.`,
      502,
    );
  }
  return token;
}

/** `<endpoint>?Action=login&Issuer=…&Destination=…&SigninToken=…`: opened by the browser. */
export function loginUrl(options: {
  signInUrl: string;
  issuer: string;
  destination: string;
  signinToken: string;
}): string {
  const url = new URL(options.signInUrl);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', options.issuer);
  url.searchParams.set('Destination', options.destination);
  url.searchParams.set('SigninToken', options.signinToken);
  return url.toString();
}

/** `signin.aws.amazon.com/federation`: enough to name the endpoint, nothing of a query. */
export function describeEndpoint(url: URL): string {
  return `the AWS sign-in endpoint (${url.host}${url.pathname})`;
}

function signinTokenIn(body: string | null): string | null {
  if (body === null) return null;
  try {
    const parsed = JSON.parse(body) as unknown;
    const token = (parsed as { SigninToken?: unknown } | null)?.SigninToken;
    return typeof token === 'string' && token.length > 0 && token.length <= 16_384 ? token : null;
  } catch {
    return null;
  }
}

function describeBody(response: Response, body: string): string {
  const type = response.headers.get('content-type') ?? 'no content type';
  return body.trim() === '' ? 'an empty answer' : `HTTP 200 with ${type.split(';')[0]}`;
}

async function readCapped(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error('answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch says only "fetch failed"; its cause says what (ECONNREFUSED, ENOTFOUND, a TLS error). */
function connectionWords(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const words = errorMessage(cause ?? error);
  return typeof code === 'string' && !words.includes(code) ? `${words} (${code})` : words;
}
