/**
 * The HTTP status behind an AWS SDK error. Keyed on by status because some portal answers (its
 * 403) have no modelled exception class to test with instanceof.
 */
export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * An SDK failure in words a user can act on. The SDK's own text for an answer that is not JSON
 * (a proxy's or captive portal's HTML page) tells developers to inspect a hidden field; say what
 * came back instead. Only the first line of other messages is kept.
 */
export function awsFailureInWords(error: unknown): string {
  const response = (
    error as { $response?: { statusCode?: number; headers?: Record<string, string> } } | null
  )?.$response;
  const message = error instanceof Error ? error.message : String(error);
  if (response && /Deserialization error|not valid JSON|Unexpected token/.test(message)) {
    const type = response.headers?.['content-type'] ?? 'no content type';
    return `it answered HTTP ${response.statusCode ?? '?'} with ${type} instead of JSON; a proxy or captive portal may be in the way`;
  }
  return message.split('\n')[0]!.trim() || emptyMessageInWords(error);
}

/**
 * A connection refused over both IPv4 and IPv6 is an AggregateError whose own message is empty;
 * its parts, or at least its system error code, say what happened.
 */
function emptyMessageInWords(error: unknown): string {
  const parts = (error as { errors?: unknown[] } | null)?.errors;
  const words = Array.isArray(parts)
    ? [...new Set(parts.map((part) => (part instanceof Error ? part.message : String(part))))]
        .filter(Boolean)
        .join('; ')
    : '';
  return (
    words ||
    (error as { code?: string } | null)?.code ||
    (error instanceof Error ? error.name : '') ||
    'no answer and no reason given'
  );
}

/** System error codes that mean nothing could be reached at all, as opposed to a dropped answer. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** The request never reached a server: refused, no such host, no route. */
export function isConnectFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECT_FAILURES.has(code)) return true;
  const parts = (error as { errors?: unknown[] } | null)?.errors;
  return Array.isArray(parts) && parts.length > 0 && parts.every(isConnectFailure);
}
