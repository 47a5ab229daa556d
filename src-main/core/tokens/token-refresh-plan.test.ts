import { describe, expect, it } from 'vitest';
import { plannedTokenRefreshAt, type TokenRefreshStrategy } from './token-refresh-plan';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const s = 1000;
const noJitter = () => 0;
const plan = (
  lifetimeS: number | undefined,
  strategy: Partial<TokenRefreshStrategy> = {},
  random = noJitter,
) =>
  (plannedTokenRefreshAt(
    t0,
    lifetimeS === undefined ? undefined : t0 + lifetimeS * s,
    { beforeExpiryMs: null, everyMs: null, lazy: false, ...strategy },
    random,
  ) -
    t0) /
  s;

describe('plannedTokenRefreshAt', () => {
  it('renews 10 % ahead of a long lifetime and 30 s ahead of a short one', () => {
    expect(plan(3600)).toBe(3240);
    expect(plan(120)).toBe(90);
  });

  it('never renews more than half the lifetime ahead', () => {
    expect(plan(40)).toBe(20);
    expect(plan(300, { beforeExpiryMs: 600 * s })).toBe(150);
  });

  it('renews the given number of seconds ahead', () => {
    expect(plan(3600, { beforeExpiryMs: 60 * s })).toBe(3540);
  });

  it('renews every 300 s by default when the token names no lifetime, or every N s when told', () => {
    expect(plan(undefined)).toBe(300);
    expect(plan(undefined, { everyMs: 45 * s })).toBe(45);
  });

  it('with every and an expiry, takes whichever comes first', () => {
    expect(plan(3600, { everyMs: 600 * s })).toBe(600);
    expect(plan(3600, { everyMs: 7200 * s })).toBe(3240);
    expect(plan(3600, { everyMs: 7200 * s, beforeExpiryMs: 100 * s })).toBe(3500);
  });

  it('never plans sooner than a second after the last renewal', () => {
    expect(plan(1)).toBe(1);
    expect(plan(undefined, { everyMs: 0 })).toBe(1);
  });

  it('moves a renewal earlier by at most 5 % of the wait and 30 s, never later', () => {
    expect(plan(3600, {}, () => 0.999999)).toBeCloseTo(3240 - 30, 0);
    expect(plan(100, {}, () => 0.999999)).toBeCloseTo(70 - 3.5, 0);
  });
});
