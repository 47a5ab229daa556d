import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { Announcer, SnapshotPublisher, type BrokerEvents } from './announcements';
import { newEntry } from './entry';
import { defaultRefreshPolicy } from './refresh-policy';

const MINUTE = 60_000;

function setup() {
  const clock = new ManualClock();
  const events = new EventEmitter<BrokerEvents>();
  const heard: string[] = [];
  events.on('expiring-soon', ({ profile }) => heard.push(`expiring-soon ${profile}`));
  events.on('expired', ({ profile }) => heard.push(`expired ${profile}`));
  const entry = newEntry('dev', new FakeSource('dev'), defaultRefreshPolicy);
  entry.credentials = fakeCredentials({ expiresAt: clock.now() + 60 * MINUTE });
  return { clock, announcer: new Announcer(clock, events), entry, heard };
}

describe('Announcer', () => {
  it('warns once inside the window when no renewal will save the credentials, then says once they expired', async () => {
    const { clock, announcer, entry, heard } = setup();
    entry.failures = 1;
    expect(announcer.nextAnnouncementAt(entry)).toBe(clock.now() + 45 * MINUTE);
    await clock.advance(45 * MINUTE);
    expect(announcer.announceExpiry(entry)).toBe(true);
    expect(announcer.announceExpiry(entry)).toBe(false);
    expect(announcer.nextAnnouncementAt(entry)).toBe(clock.now() + 15 * MINUTE);
    await clock.advance(15 * MINUTE);
    expect(announcer.announceExpiry(entry)).toBe(true);
    expect(announcer.nextAnnouncementAt(entry)).toBeNull();
    expect(heard).toEqual(['expiring-soon dev', 'expired dev']);
  });

  it('does not warn while a renewal is planned before the expiry', async () => {
    const { clock, announcer, entry, heard } = setup();
    entry.nextRefreshAt = clock.now() + 50 * MINUTE;
    await clock.advance(46 * MINUTE);
    expect(announcer.announceExpiry(entry)).toBe(false);
    expect(heard).toEqual([]);
  });
});

describe('SnapshotPublisher', () => {
  it('sends one change for a burst, and none without listeners', async () => {
    let sent = 0;
    let listening = true;
    const publisher = new SnapshotPublisher(
      () => listening,
      () => (sent += 1),
    );
    for (let i = 0; i < 1000; i += 1) publisher.publish();
    await Promise.resolve();
    expect(sent).toBe(1);
    listening = false;
    publisher.publish();
    await Promise.resolve();
    expect(sent).toBe(1);
  });
});
