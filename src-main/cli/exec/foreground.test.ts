import { describe, expect, it } from 'vitest';
import { foregroundFromProcStat } from './foreground';

describe('foregroundFromProcStat', () => {
  it('is true when the process group is the terminal’s foreground group', () => {
    expect(foregroundFromProcStat('4242 (node) S 4200 4242 4100 34816 4242 4194304 0')).toBe(true);
  });

  it('is false for a background job', () => {
    expect(foregroundFromProcStat('4242 (node) S 4200 4242 4100 34816 4300 4194304 0')).toBe(false);
  });

  it('is false without a controlling terminal (tpgid -1)', () => {
    expect(foregroundFromProcStat('4242 (node) S 1 4242 4242 0 -1 4194304 0')).toBe(false);
  });

  it('counts fields after the last parenthesis, whatever the command name holds', () => {
    expect(foregroundFromProcStat('4242 (a) b (c d) S 4200 4242 4100 34816 4242 0')).toBe(true);
    expect(foregroundFromProcStat('4242 (a) b (c d) S 4200 4242 4100 34816 1 0')).toBe(false);
  });

  it('is false for what it cannot read', () => {
    expect(foregroundFromProcStat('')).toBe(false);
  });
});
