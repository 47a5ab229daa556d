import type { Clock, TimerHandle } from '../src-main/core/clock';

/** A virtual clock: timers fire in order when `advance` moves time; promises settle in between. */
export class VirtualClock implements Clock {
  time = Date.parse('2026-01-01T00:00:00Z');
  armed = 0;
  private timers = new Map<object, { at: number; callback: () => void }>();
  now = () => this.time;
  setTimeout = (callback: () => void, delayMs: number): TimerHandle => {
    const handle = {};
    this.armed += 1;
    this.timers.set(handle, { at: this.time + delayMs, callback });
    return handle;
  };
  clearTimeout = (handle: TimerHandle) => {
    this.timers.delete(handle as object);
  };
  async advance(milliseconds: number): Promise<number> {
    const target = this.time + milliseconds;
    let fired = 0;
    for (;;) {
      let next: [object, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (!next || entry[1].at < next[1].at) next = entry;
      if (!next || next[1].at > target) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].callback();
      fired += 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.time = target;
    return fired;
  }
}
