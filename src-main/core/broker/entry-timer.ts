import type { Clock } from '../clock';
import type { Announcer } from './announcements';
import type { Entry } from './entry';
import { RefreshScheduler } from './scheduler';

/**
 * The broker's one timer: each entry is woken at the next moment it needs attention — its
 * planned renewal, or an expiry announcement — whichever comes first.
 */
export class EntryTimer {
  private readonly scheduler: RefreshScheduler;

  constructor(
    clock: Clock,
    private readonly announcer: Announcer,
    wake: (profile: string) => void,
  ) {
    this.scheduler = new RefreshScheduler(clock, wake);
  }

  /** Plans the entry's next wake-up, or none when nothing about it is ever due. */
  plan(entry: Entry): void {
    // While a fetch runs, its own end plans the next renewal.
    const renewing = entry.inflight !== null || entry.run !== null;
    const renewal = entry.nextRefreshAt !== null && !renewing ? entry.nextRefreshAt : null;
    const announcement = this.announcer.nextAnnouncementAt(entry);
    const next =
      renewal === null
        ? announcement
        : announcement === null
          ? renewal
          : Math.min(renewal, announcement);
    if (next === null) this.scheduler.cancel(entry.profile);
    else this.scheduler.schedule(entry.profile, next);
  }

  cancel(profile: string): void {
    this.scheduler.cancel(profile);
  }

  stop(): void {
    this.scheduler.stop();
  }
}
