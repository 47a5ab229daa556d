import type { Clock, TimerHandle } from '../../src-main/core/clock';

interface PendingTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock a test moves by hand. `advance` fires due timers in time order, setting the time to
 * each timer's moment first, and lets promises settle between timers so async work started by
 * one timer finishes before the next fires.
 */
export class ManualClock implements Clock {
  private timers = new Map<object, PendingTimer>();
  private seq = 0;
  /** How many timers have ever been armed; the scheduler should arm few. */
  armed = 0;

  constructor(public time = Date.parse('2026-01-01T00:00:00Z')) {}

  now = (): number => this.time;

  setTimeout = (callback: () => void, delayMs: number): TimerHandle => {
    const handle = {};
    this.seq += 1;
    this.armed += 1;
    this.timers.set(handle, { at: this.time + Math.max(0, delayMs), seq: this.seq, callback });
    return handle;
  };

  clearTimeout = (handle: TimerHandle): void => {
    this.timers.delete(handle as object);
  };

  get pendingTimers(): number {
    return this.timers.size;
  }

  async advance(milliseconds: number): Promise<void> {
    await this.advanceTo(this.time + milliseconds);
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.nextTimer();
      if (!next || next[1].at > target) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].callback();
    }
    this.time = Math.max(this.time, target);
    await settle();
  }

  private nextTimer(): [object, PendingTimer] | undefined {
    let best: [object, PendingTimer] | undefined;
    for (const entry of this.timers) {
      if (
        !best ||
        entry[1].at < best[1].at ||
        (entry[1].at === best[1].at && entry[1].seq < best[1].seq)
      )
        best = entry;
    }
    return best;
  }
}

/** Lets pending promise callbacks run (several rounds, for chains of awaits). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 20; round += 1)
    await new Promise<void>((resolve) => setImmediate(resolve));
}
