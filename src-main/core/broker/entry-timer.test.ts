import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { Announcer, type BrokerEvents } from './announcements';
import { newEntry } from './entry';
import { EntryTimer } from './entry-timer';
import { defaultRefreshPolicy } from './refresh-policy';

const MINUTE = 60_000;

function setup() {
  const clock = new ManualClock();
  const woken: Array<[string, number]> = [];
  const timer = new EntryTimer(
    clock,
    new Announcer(clock, new EventEmitter<BrokerEvents>()),
    (profile) => woken.push([profile, (clock.now() - start) / MINUTE]),
  );
  const start = clock.now();
  const entry = newEntry('dev', new FakeSource('dev'), defaultRefreshPolicy);
  entry.credentials = fakeCredentials({ expiresAt: start + 60 * MINUTE });
  entry.announced = { expiringSoon: true, expired: false };
  return { clock, timer, entry, woken, start };
}

describe('EntryTimer', () => {
  it('wakes an entry at its planned renewal, or at its next announcement if that is sooner', async () => {
    const { clock, timer, entry, woken, start } = setup();
    entry.nextRefreshAt = start + 40 * MINUTE;
    timer.plan(entry);
    entry.nextRefreshAt = start + 90 * MINUTE;
    await clock.advance(40 * MINUTE);
    timer.plan(entry);
    await clock.advance(30 * MINUTE);
    expect(woken).toEqual([
      ['dev', 40],
      ['dev', 60],
    ]);
  });

  it('leaves the renewal to a fetch in flight, and plans nothing when nothing is due', async () => {
    const { clock, timer, entry, woken, start } = setup();
    entry.nextRefreshAt = start + 10 * MINUTE;
    entry.inflight = new Promise(() => {});
    entry.announced = { expiringSoon: true, expired: true };
    timer.plan(entry);
    await clock.advance(2 * 60 * MINUTE);
    expect(woken).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});
