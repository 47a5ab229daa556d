import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { exitStatusOf } from './run-command';

describe('exitStatusOf', () => {
  it('is the exit code of a command that exited', () => {
    expect(exitStatusOf(0, null)).toBe(0);
    expect(exitStatusOf(3, null)).toBe(3);
  });

  it('is 128 + n for a command a signal ended, as shells say it', () => {
    expect(exitStatusOf(null, 'SIGTERM')).toBe(128 + constants.signals.SIGTERM);
    expect(exitStatusOf(null, 'SIGINT')).toBe(130);
    expect(exitStatusOf(null, 'SIGKILL')).toBe(137);
  });
});
