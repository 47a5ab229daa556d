import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStream } from './standard-input';

describe('readStream', () => {
  const limit = { bytes: 10, expected: 'an MFA code' };

  it('reads everything, and refuses more than the limit', async () => {
    expect(await readStream(Readable.from([Buffer.from('a\n'), Buffer.from('b\n')]), limit)).toBe(
      'a\nb\n',
    );
    await expect(readStream(Readable.from([Buffer.alloc(11)]), limit)).rejects.toThrow(
      'Standard input has more than 10 bytes, far more than an MFA code; pipe in only that.',
    );
  });

  it('joins a character split across two chunks', async () => {
    const bytes = Buffer.from('clé');
    expect(await readStream(Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]), limit)).toBe(
      'clé',
    );
  });

  it('stops reading an endless pipe once it passes the limit', async () => {
    let served = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          served += 1;
          yield Buffer.alloc(4);
        }
      })(),
    );
    await expect(readStream(endless, limit)).rejects.toThrow('more than 10 bytes');
    expect(served).toBeLessThan(10);
  });
});
