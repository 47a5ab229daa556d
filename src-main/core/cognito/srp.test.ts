import { describe, expect, it } from 'vitest';
import vectors from './srp-vectors.json';
import {
  modPow,
  padHex,
  passwordAuthenticationKey,
  passwordClaimSignature,
  secretHash,
  SRP_G,
  SRP_N,
  srpEphemeral,
  srpPoolName,
  srpTimestamp,
} from './srp';

describe('Cognito SRP, held to the values AWS Amplify computes', () => {
  it.each(vectors.vectors)('matches A, the password key and the signature for $pool', (vector) => {
    const ephemeral = srpEphemeral(BigInt(`0x${vector.a}`));
    expect(ephemeral.public.toString(16)).toBe(vector.A);
    const poolName = srpPoolName(vector.pool);
    const key = passwordAuthenticationKey(
      poolName,
      ephemeral,
      { userIdForSrp: vector.user, srpB: vector.B, salt: vector.salt },
      vector.password,
    );
    expect(key.toString('hex')).toBe(vector.key);
    expect(passwordClaimSignature(key, poolName, vector.user, vector.secretBlock, vector.ts)).toBe(
      vector.signature,
    );
  });

  it('gives another key for another password', () => {
    const vector = vectors.vectors[0]!;
    const key = passwordAuthenticationKey(
      srpPoolName(vector.pool),
      srpEphemeral(BigInt(`0x${vector.a}`)),
      { userIdForSrp: vector.user, srpB: vector.B, salt: vector.salt },
      `${vector.password}!`,
    );
    expect(key.toString('hex')).not.toBe(vector.key);
  });

  it('refuses a B of 0 mod N, which would prove nothing', () => {
    const challenge = { userIdForSrp: 'alice', srpB: SRP_N.toString(16), salt: '01' };
    expect(() => passwordAuthenticationKey('X', srpEphemeral(), challenge, 'pw')).toThrow(/SRP_B/);
  });

  it('draws a fresh a each time', () => {
    expect(srpEphemeral().secret).not.toBe(srpEphemeral().secret);
    const { secret, public: A } = srpEphemeral();
    expect(modPow(SRP_G, secret, SRP_N)).toBe(A);
  });
});

describe('padHex', () => {
  it('writes an even number of digits, with 00 before a set top bit', () => {
    expect(padHex(0x1n)).toBe('01');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0xabcn)).toBe('0abc');
  });
});

describe('srpTimestamp', () => {
  it('writes the day of the month without a leading zero and the time with them', () => {
    expect(srpTimestamp(new Date('2026-12-01T01:03:09Z'))).toBe('Tue Dec 1 01:03:09 UTC 2026');
    expect(srpTimestamp(new Date('2025-02-19T23:59:59Z'))).toBe('Wed Feb 19 23:59:59 UTC 2025');
  });
});

describe('secretHash', () => {
  it('is the HMAC-SHA256 of username and client ID under the client secret (as openssl computes it)', () => {
    expect(secretHash('client-secret-xyz', 'alice1', 'example-client-id')).toBe(
      'I7emzU+020b/q2nRtxGR7+BwpS1yYw0/KDlbyw10Fjs=',
    );
  });
});
