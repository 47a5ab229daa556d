import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseMfaCode } from './api-options';
import { parseDurationSeconds, parsePort, explicitPort } from './options';

describe('CLI option parsing', () => {
  it('reads ports and refuses anything else', () => {
    expect(parsePort('4144')).toBe(4144);
    expect(parsePort('0')).toBe(0);
    for (const bad of ['', '-1', '65536', '12ab', '1e3'])
      expect(() => parsePort(bad)).toThrow('is not a port number');
  });

  it('takes --port over ROLECALL_PORT, and leaves the rest to the settings', () => {
    expect(explicitPort(5000, { ROLECALL_PORT: '6000' })).toBe(5000);
    expect(explicitPort(undefined, { ROLECALL_PORT: '6000' })).toBe(6000);
    expect(explicitPort(undefined, {})).toBeUndefined();
    expect(() => explicitPort(undefined, { ROLECALL_PORT: 'http' })).toThrow(
      'ROLECALL_PORT="http" is not a port number',
    );
  });

  it('reads durations', () => {
    expect(parseDurationSeconds('90')).toBe(90);
    expect(parseDurationSeconds('90s')).toBe(90);
    expect(parseDurationSeconds('15m')).toBe(900);
    expect(parseDurationSeconds('2h')).toBe(7200);
    expect(parseDurationSeconds('1d')).toBe(86_400);
    expect(() => parseDurationSeconds('soon')).toThrow(
      '"soon" is not a duration like 90s, 15m, 2h or 1d.',
    );
  });
});

describe('parseMfaCode', () => {
  it('takes an MFA code as the core does, and refuses anything else in a sentence', () => {
    expect(parseMfaCode('123456')).toBe('123456');
    expect(() => parseMfaCode('12345')).toThrow(
      'MFA code must be the 6 digits your MFA device shows.',
    );
    expect(() => parseMfaCode('12 3456')).toThrow(InvalidArgumentError);
  });
});
