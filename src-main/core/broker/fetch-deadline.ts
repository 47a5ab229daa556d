import type { Clock, TimerHandle } from '../clock';

/**
 * The time-out of one fetch, which stops counting while the fetch waits for something with a
 * bound of its own — a person answering a question, a parent's renewal — so a slow person is
 * never mistaken for a source that hangs.
 */
export class FetchDeadline {
  private timer: TimerHandle | null = null;
  private remainingMs: number;
  private armedAt = 0;
  private holds = 0;
  private ended = false;

  constructor(
    private readonly clock: Clock,
    limitMs: number,
    private readonly expire: () => void,
  ) {
    this.remainingMs = limitMs;
    this.arm();
  }

  /** Stops the count until a matching `release` (holds nest). */
  hold(): void {
    if (this.ended) return;
    this.holds += 1;
    if (this.holds > 1 || this.timer === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.remainingMs -= this.clock.now() - this.armedAt;
  }

  release(): void {
    if (this.ended || this.holds === 0) return;
    this.holds -= 1;
    if (this.holds === 0) this.arm();
  }

  /** The fetch ended: nothing more will fire. */
  stop(): void {
    this.ended = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.armedAt = this.clock.now();
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = null;
        this.ended = true;
        this.expire();
      },
      Math.max(0, this.remainingMs),
    );
  }
}
