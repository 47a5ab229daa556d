import { describe, expect, it } from 'vitest';
import { asSentence } from './errors';

describe('asSentence', () => {
  it('ends a message with a full stop unless it already ends a sentence', () => {
    expect(asSentence('run kinit')).toBe('run kinit.');
    expect(asSentence('run `kinit`')).toBe('run `kinit`.');
    expect(asSentence('Sign in again.  ')).toBe('Sign in again.');
    expect(asSentence('Sign in again with `rolecall login`.')).toBe(
      'Sign in again with `rolecall login`.',
    );
    expect(asSentence('Is it running?')).toBe('Is it running?');
    expect(asSentence('(see the log.)')).toBe('(see the log.)');
  });
});
