import { describe, expect, it } from 'vitest';
import { parseProcessOutput } from './process-output';
import { SourceError } from './source';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const valid = {
  Version: 1,
  AccessKeyId: 'ASIAEXAMPLEKEY',
  SecretAccessKey: 'example-secret-access-key',
  SessionToken: 'example-session-token',
  Expiration: '2030-01-01T01:00:00Z',
};

const parse = (output: unknown) =>
  parseProcessOutput('dev', typeof output === 'string' ? output : JSON.stringify(output), NOW);

/** The SourceError `parse` throws; fails the test when it doesn't throw one. */
function failure(output: unknown): SourceError {
  try {
    parse(output);
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected parseProcessOutput to fail');
}

describe('parseProcessOutput', () => {
  it('maps the documented fields to credentials', () => {
    expect(parse(valid)).toEqual({
      accessKeyId: 'ASIAEXAMPLEKEY',
      secretAccessKey: 'example-secret-access-key',
      sessionToken: 'example-session-token',
      expiresAt: Date.parse('2030-01-01T01:00:00Z'),
    });
  });

  it('accepts long-lived output: no SessionToken, no Expiration', () => {
    expect(parse({ Version: 1, AccessKeyId: 'AKIA1', SecretAccessKey: 's' })).toEqual({
      accessKeyId: 'AKIA1',
      secretAccessKey: 's',
    });
  });

  it('treats null or empty optional fields as absent, like the AWS SDKs', () => {
    expect(parse({ ...valid, SessionToken: null, Expiration: null, AccountId: null })).toEqual({
      accessKeyId: 'ASIAEXAMPLEKEY',
      secretAccessKey: 'example-secret-access-key',
    });
    expect(parse({ ...valid, SessionToken: '', Expiration: '' })).toEqual({
      accessKeyId: 'ASIAEXAMPLEKEY',
      secretAccessKey: 'example-secret-access-key',
    });
  });

  it('reads the non-standard AccountId, and ignores it when it is not a string', () => {
    expect(parse({ ...valid, AccountId: '123456789012' }).accountId).toBe('123456789012');
    expect(parse({ ...valid, AccountId: 123456789012 })).not.toHaveProperty('accountId');
  });

  it('ignores unknown fields, surrounding whitespace and a byte-order mark', () => {
    const text = `\uFEFF\n  ${JSON.stringify({ ...valid, CredentialScope: 'x', Extra: { a: 1 } }, null, 2)}\n\n`;
    expect(parse(text).accessKeyId).toBe('ASIAEXAMPLEKEY');
  });

  it('reads Expiration with an offset and fractional seconds', () => {
    expect(parse({ ...valid, Expiration: '2030-01-01T02:00:00.250+01:00' }).expiresAt).toBe(
      Date.parse('2030-01-01T01:00:00.250Z'),
    );
  });

  it('fails on empty output', () => {
    for (const output of ['', '  \n\t', '\uFEFF']) {
      const error = failure(output);
      expect(error.failure).toBe('bad-output');
      expect(error.message).toMatch(
        /^credential_process for profile dev printed nothing on stdout\. It must print credential_process JSON \(Version 1\) on stdout: https:\/\/docs\.aws\.amazon\.com\//,
      );
    }
  });

  it('fails on output that is not JSON, or not a JSON object', () => {
    expect(failure('AccessKeyId=AKIA').message).toContain('printed something that is not JSON');
    expect(failure('{"Version": 1,').message).toContain('printed something that is not JSON');
    for (const output of ['null', '[1]', '"text"', '1']) {
      expect(failure(output).message).toContain('printed JSON that is not an object');
    }
  });

  it('fails on a wrong or missing Version', () => {
    for (const Version of ['1', 2, 1.5, null, true]) {
      expect(failure({ ...valid, Version }).message).toContain(
        'printed JSON that is not valid credentials: Version must be the number 1.',
      );
    }
    const { Version: _omitted, ...withoutVersion } = valid;
    expect(failure(withoutVersion).message).toContain(': Version is missing.');
  });

  it('fails on missing, empty or non-string keys, naming each', () => {
    expect(failure({ Version: 1 }).message).toContain(
      ': AccessKeyId is missing; SecretAccessKey is missing.',
    );
    expect(failure({ ...valid, AccessKeyId: '', SecretAccessKey: 42 }).message).toContain(
      ': AccessKeyId is empty; SecretAccessKey must be a string.',
    );
    expect(failure({ ...valid, SessionToken: 7 }).message).toContain(
      ': SessionToken must be a string.',
    );
  });

  it('fails on an Expiration that is not an RFC 3339 date-time', () => {
    for (const Expiration of [
      'tomorrow',
      '2030-02-30T00:00:00Z',
      '2030-01-01T01:00:00',
      1893459600,
    ]) {
      expect(failure({ ...valid, Expiration }).message, String(Expiration)).toMatch(
        /: Expiration must be (an RFC 3339 date-time such as 2030-01-31T12:00:00Z|a string)\./,
      );
    }
  });

  it('fails on credentials that have already expired, saying when', () => {
    for (const Expiration of ['2029-12-31T23:00:00Z', '2030-01-01T00:00:00Z']) {
      const error = failure({ ...valid, Expiration });
      expect(error.failure).toBe('bad-output');
      expect(error.message).toBe(
        `credential_process for profile dev returned credentials that expired at ${new Date(Expiration).toISOString()}. Make it return fresh credentials (a cache it keeps may be stale), then load the profile again.`,
      );
    }
  });

  it('never repeats the output in its message, nor keeps it as a cause', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
    const outputs = [
      secret,
      `{"SecretAccessKey": "${secret}"`,
      `{"Version": "${secret}", "AccessKeyId": "${secret}", "SecretAccessKey": ["${secret}"]}`,
      JSON.stringify({ ...valid, SecretAccessKey: secret, Expiration: secret }),
      JSON.stringify({ ...valid, SecretAccessKey: secret, Version: secret }),
      JSON.stringify({ ...valid, SecretAccessKey: { [secret]: secret } }),
      JSON.stringify([secret]),
    ];
    for (const output of outputs) {
      const error = failure(output);
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain('wJalr');
      expect(error.cause).toBeUndefined();
    }
  });
});
