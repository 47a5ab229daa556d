import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { RefreshScheduler } from './scheduler';

function setup() {
  const clock = new ManualClock();
  const fired: Array<[string, number]> = [];
  const scheduler = new RefreshScheduler(clock, (key) => fired.push([key, clock.now() - start]));
  const start = clock.now();
  return { clock, scheduler, fired, start };
}

describe('RefreshScheduler', () => {
  it('runs each key once, at its time, in time order', async () => {
    const { clock, scheduler, fired, start } = setup();
    scheduler.schedule('c', start + 3000);
    scheduler.schedule('a', start + 1000);
    scheduler.schedule('b', start + 2000);
    await clock.advance(10_000);
    expect(fired).toEqual([
      ['a', 1000],
      ['b', 2000],
      ['c', 3000],
    ]);
    expect(scheduler.size).toBe(0);
  });

  it('keeps a single timer armed however many keys are planned', async () => {
    const { clock, scheduler, start } = setup();
    for (let index = 0; index < 1000; index += 1)
      scheduler.schedule(`k${index}`, start + 10_000 + index);
    expect(clock.pendingTimers).toBe(1);
    // Planning later keys never re-arms the timer; only a new earliest one does.
    expect(clock.armed).toBe(1);
    scheduler.schedule('early', start + 5);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.armed).toBe(2);
  });

  it('replaces a plan when a key is scheduled again, and forgets cancelled keys', async () => {
    const { clock, scheduler, fired, start } = setup();
    scheduler.schedule('a', start + 1000);
    scheduler.schedule('a', start + 5000);
    scheduler.schedule('b', start + 2000);
    scheduler.cancel('b');
    expect(scheduler.plannedAt('a')).toBe(start + 5000);
    expect(scheduler.plannedAt('b')).toBeUndefined();
    await clock.advance(10_000);
    expect(fired).toEqual([['a', 5000]]);
  });

  it('runs a plan in the past at once', async () => {
    const { clock, scheduler, fired, start } = setup();
    scheduler.schedule('late', start - 1000);
    await clock.advance(0);
    expect(fired).toEqual([['late', 0]]);
  });

  it('lets a task reschedule its own key', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const times: number[] = [];
    const scheduler: RefreshScheduler = new RefreshScheduler(clock, (key) => {
      times.push(clock.now() - start);
      if (times.length < 3) scheduler.schedule(key, clock.now() + 1000);
    });
    scheduler.schedule('x', start + 1000);
    await clock.advance(10_000);
    expect(times).toEqual([1000, 2000, 3000]);
  });

  it('keeps its heap bounded when keys are rescheduled many times', () => {
    const { scheduler, start } = setup();
    for (let round = 0; round < 1000; round += 1) scheduler.schedule('same', start + round);
    const heapSize = (scheduler as unknown as { heap: { size: number } }).heap.size;
    expect(heapSize).toBeLessThanOrEqual(2 * 1 + 64 + 1);
  });

  it('stops everything', async () => {
    const { clock, scheduler, fired, start } = setup();
    scheduler.schedule('a', start + 1000);
    scheduler.stop();
    await clock.advance(5000);
    expect(fired).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});
