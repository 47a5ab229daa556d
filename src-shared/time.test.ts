import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from './time';

describe('formatTimeLeft', () => {
  it.each([
    [-1, 'expired'],
    [0, 'expired'],
    [999, '0s'],
    [12_000, '12s'],
    [4 * 60_000 + 9_000, '4m 09s'],
    [3_600_000 + 5 * 60_000, '1h 05m'],
    [26 * 3_600_000, '1d 2h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });
});
