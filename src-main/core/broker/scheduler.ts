import type { Clock, TimerHandle } from '../clock';
import { MAX_TIMER_DELAY_MS } from '../clock';
import { MinHeap } from './min-heap';

/**
 * Runs `task(key)` at each key's planned time, with one timer for all keys: the planned times sit
 * in a min-heap and the timer is armed for the earliest. Rescheduling is O(log n); superseded heap
 * items are skipped when they surface and compacted away when they pile up.
 */
export class RefreshScheduler {
  private readonly heap = new MinHeap<{ key: string; version: number }>();
  private readonly planned = new Map<string, { at: number; version: number }>();
  private version = 0;
  private timer: TimerHandle | null = null;
  private timerAt: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly task: (key: string) => void,
  ) {}

  get size(): number {
    return this.planned.size;
  }

  /** Plans `key` for `at` (epoch ms), replacing any earlier plan for it. */
  schedule(key: string, at: number): void {
    this.version += 1;
    this.planned.set(key, { at, version: this.version });
    this.heap.push(at, { key, version: this.version });
    this.compactIfBloated();
    this.arm();
  }

  cancel(key: string): void {
    if (this.planned.delete(key)) this.arm();
  }

  plannedAt(key: string): number | undefined {
    return this.planned.get(key)?.at;
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
    this.planned.clear();
    this.heap.clear();
  }

  private arm(): void {
    const next = this.earliest();
    if (next === this.timerAt) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === null) return;
    const delay = Math.min(Math.max(0, next - this.clock.now()), MAX_TIMER_DELAY_MS);
    this.timer = this.clock.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = null;
    const now = this.clock.now();
    const due: string[] = [];
    for (let top = this.liveTop(); top && top.key <= now; top = this.liveTop()) {
      this.heap.pop();
      this.planned.delete(top.value.key);
      due.push(top.value.key);
    }
    this.arm();
    for (const key of due) this.task(key);
  }

  /** The earliest live plan, discarding superseded heap items on the way. */
  private liveTop() {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (this.planned.get(top.value.key)?.version === top.value.version) return top;
      this.heap.pop();
    }
    return undefined;
  }

  private earliest(): number | null {
    return this.liveTop()?.key ?? null;
  }

  /** Rebuilds the heap when superseded items outnumber live ones, bounding memory. */
  private compactIfBloated(): void {
    if (this.heap.size <= 2 * this.planned.size + 64) return;
    this.heap.clear();
    for (const [key, plan] of this.planned) this.heap.push(plan.at, { key, version: plan.version });
  }
}
