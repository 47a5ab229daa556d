import type { TokenSet } from '../tokens/token-source';

/** What a token endpoint's answer means, before anyone decides what to do about it. */
export type TokenAnswer =
  | { kind: 'token'; token: TokenSet; refreshToken?: string }
  | {
      /** An OAuth2 error answer (RFC 6749 §5.2), or an HTTP status that says "later". */
      kind: 'error';
      status: number;
      /** The OAuth2 error code (`invalid_grant`, ...), or null when the answer had none. */
      error: string | null;
      /** In words, for a person: the status, the code and the issuer's description. */
      message: string;
      retryAfterMs?: number;
    }
  | { kind: 'garbage'; status: number; message: string };

/** Descriptions are the issuer's text shown to a person; longer ones are cut here. */
const MAX_DESCRIPTION_CHARS = 200;
/** A Retry-After longer than this is taken as this: a token must not sit unrenewed for days. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Reads a token endpoint's answer (RFC 6749 §5.1/§5.2). Never throws, whatever the body: a
 * token only from a 2xx JSON object with a non-empty `access_token`; an OAuth2 error with its
 * code; anything else is garbage, said in words that never repeat the body itself (it may hold
 * a token), only its kind.
 */
export function readTokenAnswer(
  status: number,
  headers: { contentType?: string | null; retryAfter?: string | null },
  body: string,
  now: number,
): TokenAnswer {
  const json = parseObject(body);
  const retryAfterMs = parseRetryAfter(headers.retryAfter ?? null, now);
  if (status >= 200 && status < 300) {
    if (!json) return { kind: 'garbage', status, message: notJson(status, headers, body) };
    return readToken(status, json, now);
  }
  const error = json && typeof json.error === 'string' ? clean(json.error, 64) : null;
  const description =
    json && typeof json.error_description === 'string'
      ? clean(json.error_description, MAX_DESCRIPTION_CHARS)
      : '';
  if (error === null && !json && !laterStatus(status)) {
    return { kind: 'garbage', status, message: notJson(status, headers, body) };
  }
  const said = [error, description].filter((part) => part).join(': ');
  return {
    kind: 'error',
    status,
    error,
    message: `HTTP ${status}${said ? ` (${said})` : ''}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

function readToken(status: number, json: Record<string, unknown>, now: number): TokenAnswer {
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    return {
      kind: 'garbage',
      status,
      message: `HTTP ${status} with JSON that holds no access_token`,
    };
  }
  const expiresIn = readExpiresIn(json.expires_in);
  if (expiresIn === 'bad') {
    return {
      kind: 'garbage',
      status,
      message: `HTTP ${status} with an expires_in that is not a number of seconds`,
    };
  }
  const tokenType =
    typeof json.token_type === 'string' && json.token_type ? json.token_type : 'Bearer';
  const token: TokenSet = {
    accessToken,
    tokenType: clean(tokenType, 32),
    ...(expiresIn === undefined ? {} : { expiresAt: now + expiresIn * 1000 }),
    ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
    ...(typeof json.id_token === 'string' && json.id_token ? { idToken: json.id_token } : {}),
  };
  const refreshToken =
    typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : undefined;
  return { kind: 'token', token, ...(refreshToken ? { refreshToken } : {}) };
}

/** Seconds, as a number or (some issuers) a numeric string; undefined when absent. */
function readExpiresIn(value: unknown): number | undefined | 'bad' {
  if (value === undefined || value === null) return undefined;
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  // Ten years is far beyond any token; more is a broken issuer, and would overflow a date.
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= 315_360_000 ? seconds : 'bad';
}

function parseObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Statuses that say "not now" even without a JSON body. */
function laterStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

function notJson(status: number, headers: { contentType?: string | null }, body: string): string {
  const type = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const looksHtml = type === 'text/html' || /^\s*<(!doctype|html)/i.test(body);
  const what = looksHtml
    ? 'an HTML page'
    : body.trim() === ''
      ? 'an empty body'
      : 'something that is not JSON';
  return `HTTP ${status} with ${what} instead of a JSON token answer`;
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now, capped. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
    ms = date - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** The issuer's text, safe to put in a sentence: no control characters, bounded. */
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
