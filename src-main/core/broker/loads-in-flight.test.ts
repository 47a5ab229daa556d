import { describe, expect, it } from 'vitest';
import { LoadsInFlight } from './loads-in-flight';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const reason = (profile: string) => new Error(`${profile} was unloaded`);

describe('LoadsInFlight', () => {
  it('shows one row per profile and slot, with the earliest start, oldest first', () => {
    const loads = new LoadsInFlight();
    loads.start('b', 'named', T0 + 5_000);
    loads.start('a', 'default', T0 + 1_000);
    loads.start('b', 'named', T0 + 2_000);
    expect(loads.views()).toEqual([
      { profile: 'a', slot: 'default', startedAt: '2026-01-01T00:00:01.000Z' },
      { profile: 'b', slot: 'named', startedAt: '2026-01-01T00:00:02.000Z' },
    ]);
  });

  it('cancels by profile, by slot, or all, and forgets what it cancelled', async () => {
    const loads = new LoadsInFlight();
    const intoDefault = loads.start('a', 'default', T0);
    const intoNamed = loads.start('a', 'named', T0);
    const other = loads.start('b', 'default', T0);
    const racing = intoDefault.race(new Promise(() => {}));

    expect(loads.cancel(null, 'default', reason)).toEqual(['a', 'b']);
    await expect(racing).rejects.toThrow('a was unloaded');
    expect(other.cancelled?.message).toBe('b was unloaded');
    expect(intoNamed.cancelled).toBeNull();
    expect(loads.has('a')).toBe(true);
    expect(loads.cancel('a', null, reason)).toEqual(['a']);
    expect(loads.has('a')).toBe(false);
    expect(loads.cancel(null, null, reason)).toEqual([]);
  });

  it('lets nothing cancel a load once it has completed', async () => {
    const loads = new LoadsInFlight();
    const ticket = loads.start('a', 'named', T0);
    expect(ticket.complete()).toBe(true);
    ticket.cancel(reason('a'));
    expect(ticket.cancelled).toBeNull();
    await expect(ticket.race(Promise.resolve('done'))).resolves.toBe('done');
  });

  it('fails a race that its work won but whose ticket was cancelled before the caller saw it', async () => {
    const loads = new LoadsInFlight();
    const ticket = loads.start('a', 'named', T0);
    const work = Promise.resolve('fetched');
    const racing = ticket.race(work);
    ticket.cancel(reason('a'));
    await expect(racing).rejects.toThrow('a was unloaded');
    expect(ticket.complete()).toBe(false);
  });
});
