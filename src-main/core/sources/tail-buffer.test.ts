import { describe, expect, it } from 'vitest';
import { TailBuffer } from './tail-buffer';

describe('TailBuffer', () => {
  it('keeps everything while under its limit, trimmed', () => {
    const tail = new TailBuffer(100);
    tail.append(Buffer.from('  first\n'));
    tail.append(Buffer.from('second\n\n'));
    expect(tail.text()).toBe('first\nsecond');
  });

  it('keeps only the last bytes, across and within chunks, and marks the cut', () => {
    const tail = new TailBuffer(10);
    tail.append(Buffer.from('0123456789'));
    tail.append(Buffer.from('abcd'));
    expect(tail.text()).toBe('…456789abcd');
    tail.append(Buffer.from('this chunk alone is longer than ten'));
    expect(tail.text()).toBe('…r than ten');
  });

  it('drops a UTF-8 character cut in half at the start', () => {
    const tail = new TailBuffer(5);
    tail.append(Buffer.from('xé€!')); // x, é (2 bytes), € (3 bytes), !
    expect(tail.text()).toBe('…€!');
  });

  it('is empty when nothing (or only whitespace) was written', () => {
    const tail = new TailBuffer(5);
    expect(tail.text()).toBe('');
    tail.append(Buffer.from('\n\n\n\n\n\n\n'));
    expect(tail.text()).toBe('');
  });
});
