/**
 * Spaces calls out, shared by every worker, so throttling is mostly avoided rather than only
 * answered with retries — which is what keeps a large discovery near the floor the service's
 * rate limit sets. The portal's limit is not published, so the pace adapts (AIMD, as TCP does):
 * each success raises the rate a little, each throttled answer cuts it by a fifth.
 */
export class Pacer {
  private next = 0;
  private rate: number;
  private lastCutAt = -Infinity;

  constructor(
    options: { initialPerSecond: number; fixed?: boolean; minPerSecond?: number },
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = options.initialPerSecond;
    this.fixed = options.fixed ?? false;
    this.min = options.minPerSecond ?? 1;
  }

  private readonly fixed: boolean;
  private readonly min: number;

  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.rate;
    if (at > now) await this.sleep(at - now);
  }

  succeeded(): void {
    // +1 call/s for every second's worth of successes.
    if (!this.fixed) this.rate += 1 / this.rate;
  }

  throttled(): void {
    if (this.fixed) return;
    const now = this.now();
    // Answers to calls already in flight report the same overload: cut once per interval.
    if (now - this.lastCutAt < 1000) return;
    this.lastCutAt = now;
    this.rate = Math.max(this.min, this.rate * 0.8);
    this.next = Math.max(this.next, now + 1000 / this.rate);
  }
}
