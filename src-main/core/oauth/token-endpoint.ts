import { readTokenAnswer, type TokenAnswer } from './token-response';

export type ClientAuth = 'basic' | 'post';

/** One request to a token endpoint: the grant's form fields and how the client proves itself. */
export interface TokenRequest {
  tokenUrl: string;
  clientId: string;
  /** Absent for a public client (a refresh token issued to an app without a secret). */
  clientSecret?: string;
  auth: ClientAuth;
  form: Record<string, string>;
}

/**
 * What became of the request: the endpoint's answer, or no answer. `maybeDelivered` says whether
 * the endpoint may have received (and acted on) the request: false only when no connection was
 * ever made, which matters for a single-use refresh token.
 */
export type ExchangeOutcome =
  | { kind: 'answer'; answer: TokenAnswer }
  | { kind: 'no-answer'; maybeDelivered: boolean; message: string };

/** Token endpoints answer in well under a second; a slow one is given this long. */
export const EXCHANGE_TIMEOUT_MS = 30_000;
/** A token answer is a few kilobytes; a body past this is not one. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** Errors that mean no connection was made, so nothing reached the endpoint. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Posts the form to the token endpoint (RFC 6749 §3.2), the client authenticated with HTTP Basic
 * (`client_secret_basic`, the id and secret form-encoded first, §2.3.1) or in the form
 * (`client_secret_post`). Never throws; secrets go only into the request.
 */
export async function exchangeToken(
  request: TokenRequest,
  options: { fetch?: typeof fetch; now: () => number; signal?: AbortSignal; timeoutMs?: number },
): Promise<ExchangeOutcome> {
  const form = new URLSearchParams(request.form);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (request.clientSecret !== undefined && request.auth === 'basic') {
    const pair = `${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', request.clientId);
    if (request.clientSecret !== undefined) form.set('client_secret', request.clientSecret);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? EXCHANGE_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(request.tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'error',
      signal,
    });
  } catch (error) {
    return noAnswer(error, request.tokenUrl, timeout.aborted);
  }
  let body: string;
  try {
    body = await readBounded(response);
  } catch (error) {
    return noAnswer(error, request.tokenUrl, timeout.aborted, true);
  }
  return {
    kind: 'answer',
    answer: readTokenAnswer(
      response.status,
      {
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
      },
      body,
      options.now(),
    ),
  };
}

function noAnswer(
  error: unknown,
  url: string,
  timedOut: boolean,
  connected = false,
): ExchangeOutcome {
  const code = errorCode(error);
  const maybeDelivered = connected || code === null || !NOT_CONNECTED.has(code);
  const origin = safeOrigin(url);
  const message = timedOut
    ? `${origin} did not answer within ${EXCHANGE_TIMEOUT_MS / 1000} s`
    : code !== null && !maybeDelivered
      ? `could not reach ${origin} (${code})`
      : `the connection to ${origin} failed (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return { kind: 'no-answer', maybeDelivered, message };
}

async function readBounded(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return '';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The error's system code (fetch wraps it in `cause`), or null. */
function errorCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The URL without path, query or credentials, for messages. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the token URL';
  }
}

/** application/x-www-form-urlencoded, as §2.3.1 asks for the id and secret before Base64. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
