import type { LoadingView, SlotKind } from '../../../src-shared/snapshot';

/**
 * One `load` call that has not finished: it fills its slot when its source answers, unless it is
 * cancelled first (its caller left, or the profile or slot was emptied meanwhile: the later
 * command wins).
 */
export class LoadTicket {
  private failWith: ((error: Error) => void) | null = null;
  private readonly cancellation: Promise<never>;
  private reason: Error | null = null;
  private completed = false;

  constructor(
    readonly profile: string,
    readonly slot: SlotKind,
    readonly startedAt: number,
  ) {
    this.cancellation = new Promise<never>((_, reject) => {
      this.failWith = reject;
    });
    // Only ever observed through `race`; a ticket cancelled between two races must not be
    // reported as an unhandled rejection.
    this.cancellation.catch(() => {});
  }

  get cancelled(): Error | null {
    return this.reason;
  }

  /** Cancels the load, unless it has already completed. */
  cancel(reason: Error): void {
    if (this.reason || this.completed) return;
    this.reason = reason;
    this.failWith?.(reason);
  }

  /** Marks the load done (its slot filled), so nothing can cancel it any more; false when cancelled. */
  complete(): boolean {
    if (this.reason) return false;
    this.completed = true;
    return true;
  }

  /** `work`'s outcome, unless the ticket is cancelled before the caller gets to use it. */
  async race<T>(work: Promise<T>): Promise<T> {
    const value = await Promise.race([work, this.cancellation]);
    if (this.reason) throw this.reason;
    return value;
  }
}

/** Every load still running, by profile: what `status` shows and what an unload cancels. */
export class LoadsInFlight {
  private readonly byProfile = new Map<string, Set<LoadTicket>>();

  start(profile: string, slot: SlotKind, now: number): LoadTicket {
    const ticket = new LoadTicket(profile, slot, now);
    let tickets = this.byProfile.get(profile);
    if (!tickets) this.byProfile.set(profile, (tickets = new Set()));
    tickets.add(ticket);
    return ticket;
  }

  /** Forgets a ticket whose load has ended, however it ended. */
  finish(ticket: LoadTicket): void {
    const tickets = this.byProfile.get(ticket.profile);
    if (!tickets?.delete(ticket)) return;
    if (tickets.size === 0) this.byProfile.delete(ticket.profile);
  }

  has(profile: string): boolean {
    return this.byProfile.has(profile);
  }

  /**
   * Cancels (and forgets) the loads of `profile` — only those into `slot` when one is given, or
   * every load of every profile when `profile` is null. Returns the profiles it cancelled.
   */
  cancel(
    profile: string | null,
    slot: SlotKind | null,
    reason: (profile: string) => Error,
  ): string[] {
    const cancelled = new Set<string>();
    const profiles = profile === null ? [...this.byProfile.keys()] : [profile];
    for (const name of profiles) {
      for (const ticket of this.byProfile.get(name) ?? []) {
        if (slot !== null && ticket.slot !== slot) continue;
        this.finish(ticket);
        ticket.cancel(reason(name));
        cancelled.add(name);
      }
    }
    return [...cancelled];
  }

  /** One row per profile and slot, with the earliest start, oldest first. */
  views(): LoadingView[] {
    const earliest = new Map<string, { profile: string; slot: SlotKind; startedAt: number }>();
    for (const tickets of this.byProfile.values()) {
      for (const ticket of tickets) {
        const key = `${ticket.slot}:${ticket.profile}`;
        const seen = earliest.get(key);
        if (!seen || ticket.startedAt < seen.startedAt) earliest.set(key, ticket);
      }
    }
    return [...earliest.values()]
      .sort(
        (a, b) =>
          a.startedAt - b.startedAt ||
          compareText(a.profile, b.profile) ||
          compareText(a.slot, b.slot),
      )
      .map(({ profile, slot, startedAt }) => ({
        profile,
        slot,
        startedAt: new Date(startedAt).toISOString(),
      }));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
