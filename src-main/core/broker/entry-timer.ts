import type { Clock } from '../clock';
import type { Announcer } from './announcements';
import type { Entry } from './entry';
import { RefreshScheduler } from './scheduler';

/**
 * Keys of the timer that are tokens, not profiles: no profile name can hold a NUL (the AWS
 * config and every door refuse control characters), so the two never meet.
 */
const TOKEN_KEY_PREFIX = '\u0000token/';

/**
 * The broker's one timer: each entry is woken at the next moment it needs attention — its
 * planned renewal, or an expiry announcement — whichever comes first. Token entries (OAuth2 and
 * other bearer tokens) share it under keys of their own.
 */
export class EntryTimer {
  private readonly scheduler: RefreshScheduler;

  constructor(
    clock: Clock,
    private readonly announcer: Announcer,
    wake: (profile: string) => void,
    wakeToken: (name: string) => void = () => {},
  ) {
    this.scheduler = new RefreshScheduler(clock, (key) => {
      if (key.startsWith(TOKEN_KEY_PREFIX)) wakeToken(key.slice(TOKEN_KEY_PREFIX.length));
      else wake(key);
    });
  }

  /** Plans a token's next wake-up at `at`, or none. */
  planToken(name: string, at: number | null): void {
    if (at === null) this.scheduler.cancel(TOKEN_KEY_PREFIX + name);
    else this.scheduler.schedule(TOKEN_KEY_PREFIX + name, at);
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
