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
  return message.split('\n')[0]!.trim();
}
