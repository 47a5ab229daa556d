import { createHash, timingSafeEqual } from 'node:crypto';

/** The header value clients must send: what `AWS_CONTAINER_AUTHORIZATION_TOKEN` holds. */
export function authorizationValue(token: string): string {
  return `Bearer ${token}`;
}

/**
 * Compares a presented Authorization header with the expected one in constant time. Both are
 * hashed first so the comparison takes the same time whatever the presented length is.
 */
export function createAuthorizationCheck(
  token: string,
): (presented: string | undefined) => boolean {
  const expected = digest(authorizationValue(token));
  return (presented) => {
    if (typeof presented !== 'string') {
      // Still hash something, so a missing header costs the same as a wrong one.
      timingSafeEqual(digest(''), expected);
      return false;
    }
    return timingSafeEqual(digest(presented), expected);
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
