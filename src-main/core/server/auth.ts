import { hash, timingSafeEqual } from 'node:crypto';

/** The header value clients must send: what `AWS_CONTAINER_AUTHORIZATION_TOKEN` holds. */
export function authorizationValue(token: string): string {
  return `Bearer ${token}`;
}

/**
 * Compares a presented Authorization header with the expected one in constant time. Both are
 * hashed first so the comparison takes the same time whatever the presented length is.
 * `token` is asked on every request, so a rotated token takes effect at once.
 */
export function createAuthorizationCheck(
  token: () => string,
): (presented: string | undefined) => boolean {
  let memo: { token: string; expected: Buffer } | null = null;
  const expectedDigest = () => {
    const current = token();
    if (memo?.token !== current) {
      memo = { token: current, expected: digest(authorizationValue(current)) };
    }
    return memo.expected;
  };
  return (presented) => {
    const expected = expectedDigest();
    if (typeof presented !== 'string') {
      // Still hash something, so a missing header costs the same as a wrong one.
      timingSafeEqual(digest(''), expected);
      return false;
    }
    return timingSafeEqual(digest(presented), expected);
  };
}

// The one-shot hash, not createHash: no Hash object per request (half the time of the check).
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
