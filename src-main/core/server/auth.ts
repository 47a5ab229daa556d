import { timingSafeEqual } from 'node:crypto';
import { authorizationValue } from './authorization-value';

export { authorizationValue } from './authorization-value';

/**
 * Compares a presented Authorization header with the expected one in constant time: every byte
 * of the expected header is compared whatever was sent, so how much of it a guess gets right
 * never shows in the time taken. `token` is asked on every request, so a rotated token takes
 * effect at once.
 *
 * The presented header is copied into a zero-filled buffer the size of the expected one
 * (a longer header is cut at that size, a shorter one ends in zeros, which the expected header
 * never holds) and compared with `timingSafeEqual`; then its length must match too. UTF-8 is
 * self-synchronising and the expected header is ASCII, so equal bytes and equal length mean
 * equal strings. The only time that depends on the input is copying it, which tells a sender
 * the length of what they sent. Hashing both sides instead did the same in twelve times the
 * time, and this runs on every request.
 */
export function createAuthorizationCheck(
  token: () => string,
): (presented: string | undefined) => boolean {
  let memo: { token: string; expected: Buffer; length: number; copy: Buffer } | null = null;
  const current = () => {
    const value = token();
    if (memo?.token !== value) {
      const header = authorizationValue(value);
      // Buffer.alloc, not Buffer.from: the token stays out of Buffer's shared pool.
      const expected = Buffer.alloc(Buffer.byteLength(header));
      expected.write(header);
      memo = { token: value, expected, length: header.length, copy: Buffer.alloc(expected.length) };
    }
    return memo;
  };
  return (presented) => {
    const { expected, length, copy } = current();
    const value = typeof presented === 'string' ? presented : '';
    copy.write(value, 'utf8');
    const sameBytes = timingSafeEqual(copy, expected);
    // Zeroed again at once: the copy must end in zeros for the next, shorter header, and should
    // not hold what was presented any longer than needed.
    copy.fill(0);
    return sameBytes && value.length === length;
  };
}
