import { describe, expect, it } from 'vitest';
import {
  accessKeyIdProblem,
  keysProblem,
  maskAccessKeyId,
  secretAccessKeyProblem,
} from './access-key-format';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('access key format', () => {
  it('takes AKIA key IDs of 16 to 128 capital letters and digits', () => {
    expect(accessKeyIdProblem('AKIAIOSFODNN7EXAMPLE')).toBeNull();
    expect(accessKeyIdProblem(`AKIA${'A'.repeat(12)}`)).toBeNull();
    expect(accessKeyIdProblem(`AKIA${'9'.repeat(124)}`)).toBeNull();
    for (const wrong of [
      `AKIA${'A'.repeat(11)}`,
      `AKIA${'A'.repeat(125)}`,
      'akiaiosfodnn7example',
      'AKIAIOSFODNN7EXAMPL_',
      ' AKIAIOSFODNN7EXAMPLE',
      '"AKIAIOSFODNN7EXAMPLE"',
      'AIDAIOSFODNN7EXAMPLE',
    ]) {
      expect(accessKeyIdProblem(wrong), wrong).toBe(
        'is not a long-lived AWS access key ID, which starts with AKIA and has 16 to 128 capital letters and digits in all',
      );
    }
    expect(accessKeyIdProblem('')).toBe('is empty');
    expect(accessKeyIdProblem('ASIAIOSFODNN7EXAMPLE')).toContain('temporary session credentials');
  });

  it('takes secrets of printable ASCII without spaces, and catches a swapped pair', () => {
    expect(secretAccessKeyProblem(SECRET)).toBeNull();
    expect(secretAccessKeyProblem('')).toBe('is empty');
    expect(secretAccessKeyProblem(`${SECRET.slice(0, 20)} ${SECRET.slice(21)}`)).toContain(
      'contains spaces',
    );
    expect(secretAccessKeyProblem(`${SECRET}é`)).toContain('outside ASCII');
    expect(secretAccessKeyProblem('short')).toBe(
      'is 5 characters long; AWS secret access keys have 40',
    );
    expect(secretAccessKeyProblem('x'.repeat(257))).toContain('is 257 characters long');
    expect(secretAccessKeyProblem('AKIAIOSFODNN7EXAMPLE')).toContain('looks like an access key ID');
    expect(keysProblem({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: '' })).toEqual({
      field: 'secretAccessKey',
      problem: 'is empty',
    });
  });

  it('masks a key ID as `aws configure list` does', () => {
    expect(maskAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('****************MPLE');
  });
});
