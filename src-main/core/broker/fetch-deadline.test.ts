import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { FetchDeadline } from './fetch-deadline';

const MINUTE = 60_000;

describe('FetchDeadline', () => {
  it('counts only the time the fetch is not waiting for a person or a parent', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    let expiredAt: number | null = null;
    const deadline = new FetchDeadline(clock, 2 * MINUTE, () => (expiredAt = clock.now() - start));

    await clock.advance(MINUTE);
    deadline.hold();
    // Holds nest: a question asked while a parent is awaited.
    deadline.hold();
    await clock.advance(10 * MINUTE);
    deadline.release();
    await clock.advance(10 * MINUTE);
    expect(expiredAt).toBeNull();
    deadline.release();
    await clock.advance(MINUTE - 1);
    expect(expiredAt).toBeNull();
    await clock.advance(1);
    expect(expiredAt).toBe(22 * MINUTE);
  });

  it('fires nothing once stopped, and ignores holds after it fired', async () => {
    const clock = new ManualClock();
    let fired = 0;
    const stopped = new FetchDeadline(clock, MINUTE, () => (fired += 1));
    stopped.stop();
    const expiring = new FetchDeadline(clock, MINUTE, () => (fired += 1));
    await clock.advance(2 * MINUTE);
    expiring.hold();
    expiring.release();
    await clock.advance(2 * MINUTE);
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});
