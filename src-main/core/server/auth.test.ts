import { describe, expect, it } from 'vitest';
import { authorizationValue, createAuthorizationCheck } from './auth';

const token = 'Zm9vYmFyLXRva2VuLXdpdGgtNDMtY2hhcmFjdGVycw';

describe('createAuthorizationCheck', () => {
  const check = createAuthorizationCheck(() => token);

  it('accepts exactly the expected header', () => {
    expect(check(authorizationValue(token))).toBe(true);
    expect(check(`Bearer ${token}`)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['scheme only', 'Bearer '],
    ['token without scheme', token],
    ['wrong scheme', `Basic ${token}`],
    ['lower-case scheme', `bearer ${token}`],
    ['half the token', `Bearer ${token.slice(0, 21)}`],
    ['all but the last character', `Bearer ${token.slice(0, -1)}`],
    ['last character changed', `Bearer ${token.slice(0, -1)}x`],
    ['one character more', `Bearer ${token}x`],
    ['a NUL more', `Bearer ${token}\u0000`],
    ['trailing space', `Bearer ${token} `],
    ['very long, starting with the token', `Bearer ${token}${'x'.repeat(8192)}`],
    // Same length in UTF-16 units, and the low bytes of Ł (U+0141) are an "A": a check that
    // copied latin1 would let this through.
    ['non-ASCII look-alike', `Bearer ${token.slice(0, -1)}\u0141`],
    ['multi-byte character at the end', `Bearer ${token.slice(0, -2)}é`],
  ])('refuses %s', (_kind, presented) => {
    expect(check(presented)).toBe(false);
  });

  it('answers the right header after wrong ones of every length (no leftovers in the copy)', () => {
    expect(check(`Bearer ${token}${'y'.repeat(100)}`)).toBe(false);
    expect(check('Bearer ')).toBe(false);
    expect(check(`Bearer ${token.slice(0, -1)}`)).toBe(false);
    expect(check(`Bearer ${token}`)).toBe(true);
  });

  it('refuses a prefix of the header after the full header was checked', () => {
    expect(check(`Bearer ${token}`)).toBe(true);
    expect(check(`Bearer ${token.slice(0, -1)}`)).toBe(false);
  });

  it('checks against the current token after a rotation', () => {
    let current = token;
    const rotating = createAuthorizationCheck(() => current);
    expect(rotating(`Bearer ${token}`)).toBe(true);
    current = 'bmV3LXRva2VuLWFmdGVyLXJvdGF0aW9uLTQzLWNoYXJz';
    expect(rotating(`Bearer ${token}`)).toBe(false);
    expect(rotating(`Bearer ${current}`)).toBe(true);
    current = 'short';
    expect(rotating('Bearer short')).toBe(true);
    expect(rotating(`Bearer ${token}`)).toBe(false);
  });
});
