/**
 * The HTTP status behind an AWS SDK error. Keyed on by status because some portal answers (its
 * 403) have no modelled exception class to test with instanceof.
 */
export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
