import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, defaultRefreshPolicy as policy, plannedRefreshAt } from './refresh-policy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const t0 = Date.parse('2026-01-01T00:00:00Z');
const noJitter = () => 0;
const fullJitter = () => 0.999_999;

describe('plannedRefreshAt', () => {
  it('renews a 1-hour credential 20 minutes before it expires', () => {
    expect(plannedRefreshAt(t0, t0 + HOUR, policy, noJitter)).toBe(t0 + 40 * MINUTE);
  });

  it('renews a 12-hour credential 20 minutes before it expires', () => {
    expect(plannedRefreshAt(t0, t0 + 12 * HOUR, policy, noJitter)).toBe(
      t0 + 12 * HOUR - 20 * MINUTE,
    );
  });

  it('renews a 15-minute credential at half its lifetime', () => {
    expect(plannedRefreshAt(t0, t0 + 15 * MINUTE, policy, noJitter)).toBe(t0 + 7.5 * MINUTE);
  });

  it('renews a 30-minute credential at half its lifetime (20 minutes ahead would be too early)', () => {
    expect(plannedRefreshAt(t0, t0 + 30 * MINUTE, policy, noJitter)).toBe(t0 + 15 * MINUTE);
  });

  it('plans nothing for credentials that never expire, unless `every` asks', () => {
    expect(plannedRefreshAt(t0, undefined, policy, noJitter)).toBeNull();
    expect(plannedRefreshAt(t0, undefined, { ...policy, everyMs: 10 * MINUTE }, noJitter)).toBe(
      t0 + 10 * MINUTE,
    );
  });

  it('lets `every` bring a renewal earlier than expiry would', () => {
    expect(plannedRefreshAt(t0, t0 + HOUR, { ...policy, everyMs: 5 * MINUTE }, noJitter)).toBe(
      t0 + 5 * MINUTE,
    );
  });

  it('jitters only earlier, by at most 2 minutes and 10% of the wait', () => {
    expect(plannedRefreshAt(t0, t0 + 12 * HOUR, policy, fullJitter)).toBe(
      t0 + 12 * HOUR - 22 * MINUTE,
    );
    expect(plannedRefreshAt(t0, t0 + 15 * MINUTE, policy, fullJitter)).toBe(
      t0 + 7.5 * MINUTE - 45_000,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 48 * 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (lifetimeMinutes, random) => {
          const expiresAt = t0 + lifetimeMinutes * MINUTE;
          const planned = plannedRefreshAt(t0, expiresAt, policy, noJitter)!;
          const jittered = plannedRefreshAt(t0, expiresAt, policy, () => random)!;
          expect(jittered).toBeLessThanOrEqual(planned);
          expect(planned - jittered).toBeLessThanOrEqual(
            Math.min(2 * MINUTE, (planned - t0) * 0.1) + 1,
          );
          // Whatever the jitter, a renewal happens before expiry and not before it was obtained.
          expect(jittered).toBeGreaterThanOrEqual(t0);
          expect(jittered).toBeLessThan(expiresAt);
        },
      ),
    );
  });
});

describe('backoffDelayMs', () => {
  it('doubles from 5 seconds and stops at 5 minutes', () => {
    const delays = Array.from(
      { length: 9 },
      (_, index) => backoffDelayMs(index + 1, policy) / 1000,
    );
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(backoffDelayMs(10_000, policy)).toBe(5 * MINUTE);
  });
});
