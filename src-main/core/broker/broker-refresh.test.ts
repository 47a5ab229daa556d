import { describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { SourceError } from '../sources/source';
import { Broker, type BrokerEvents } from './broker';
import { defaultRefreshPolicy, type RefreshPolicy } from './refresh-policy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Refresh behaviour with a fake clock: every time below is exact, because jitter is pinned to 0
 * unless a test is about jitter.
 */
function setup(options: {
  policy?: Partial<RefreshPolicy>;
  random?: () => number;
  sources: FakeSource[];
}) {
  const clock = new ManualClock();
  const start = clock.now();
  const broker = new Broker({
    clock,
    resolveSource: resolverFor(...options.sources),
    policy: { ...defaultRefreshPolicy, ...options.policy },
    random: options.random ?? (() => 0),
  });
  const events: Array<[keyof BrokerEvents, string, number]> = [];
  for (const name of ['refreshed', 'refresh-failed', 'expiring-soon', 'expired'] as const) {
    broker.on(name, (event: { profile: string }) =>
      events.push([name, event.profile, clock.now() - start]),
    );
  }
  return { clock, broker, start, events };
}

/** A source that hands out credentials living `lifetime` from the moment of each fetch. */
function renewingSource(
  profile: string,
  clock: { now(): number },
  lifetime: number,
  fetchTimes: number[],
) {
  const source = new FakeSource(profile);
  source.fetch = async () => {
    source.calls += 1;
    fetchTimes.push(clock.now());
    return fakeCredentials({ expiresAt: clock.now() + lifetime });
  };
  return source;
}

function failure(profile: string) {
  return new SourceError(
    profile,
    'exit',
    `credential_process for profile ${profile} exited with code 1`,
  );
}

/** `dev` loaded from a source handing out 2-hour credentials, with each fetch time recorded. */
async function loadedTwoHourProfile() {
  const clock = new ManualClock();
  const start = clock.now();
  const times: number[] = [];
  const broker = new Broker({
    clock,
    resolveSource: resolverFor(renewingSource('dev', clock, 2 * HOUR, times)),
    random: () => 0,
  });
  await broker.load('dev');
  return { clock, start, times, broker };
}

describe('Broker refresh', () => {
  it('renews 1-hour credentials every 40 minutes, so what it serves has 20 minutes left', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const times: number[] = [];
    const broker = new Broker({
      clock,
      resolveSource: resolverFor(renewingSource('dev', clock, HOUR, times)),
      random: () => 0,
    });
    await broker.load('dev');
    await clock.advance(12 * HOUR);
    expect(times.map((time) => (time - start) / MINUTE)).toEqual(
      Array.from({ length: 19 }, (_, i) => i * 40),
    );
  });

  it('re-plans loaded profiles when the policy changes', async () => {
    const { clock, start, times, broker } = await loadedTwoHourProfile();
    await clock.advance(10 * MINUTE);
    // Keep 45 minutes instead of 20: the renewal planned for minute 100 moves to minute 75.
    broker.setPolicy({ ...defaultRefreshPolicy, minRemainingMs: 45 * MINUTE });
    expect(broker.snapshot().entries[0]?.nextRefreshAt).toBe(
      new Date(start + 75 * MINUTE).toISOString(),
    );
    await clock.advance(140 * MINUTE);
    expect(times.map((time) => (time - start) / MINUTE)).toEqual([0, 75, 150]);
  });

  it('renews at once when a changed policy says the renewal is overdue', async () => {
    const { clock, start, times, broker } = await loadedTwoHourProfile();
    await clock.advance(90 * MINUTE);
    broker.setPolicy({ ...defaultRefreshPolicy, minRemainingMs: 45 * MINUTE });
    await clock.advance(0);
    expect(times.map((time) => (time - start) / MINUTE)).toEqual([0, 90]);
  });

  it('renews 15-minute credentials at half their lifetime', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const times: number[] = [];
    const broker = new Broker({
      clock,
      resolveSource: resolverFor(renewingSource('s', clock, 15 * MINUTE, times)),
      random: () => 0,
    });
    await broker.load('s');
    await clock.advance(HOUR);
    expect(times.map((time) => (time - start) / SECOND)).toEqual([
      0, 450, 900, 1350, 1800, 2250, 2700, 3150, 3600,
    ]);
    expect(broker.snapshot().entries[0]).toMatchObject({ state: 'fresh', refreshCount: 9 });
  });

  it('shows the planned renewal in the snapshot', async () => {
    const { broker } = setup({
      sources: [
        new FakeSource('dev', fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') })),
      ],
    });
    await broker.load('dev');
    expect(broker.snapshot().entries[0]?.nextRefreshAt).toBe('2026-01-01T00:40:00.000Z');
  });

  it('keeps jitter within its bounds and only ever earlier', async () => {
    for (const random of [0, 0.25, 0.5, 0.999]) {
      const { broker } = setup({
        random: () => random,
        sources: [
          new FakeSource('dev', fakeCredentials({ expiresAt: Date.parse('2026-01-01T12:00:00Z') })),
        ],
      });
      await broker.load('dev');
      const planned = Date.parse(broker.snapshot().entries[0]!.nextRefreshAt!);
      const latest = Date.parse('2026-01-01T11:40:00Z');
      expect(planned).toBeLessThanOrEqual(latest);
      expect(latest - planned).toBe(Math.round(random * 2 * MINUTE));
    }
  });

  it('spreads 1,000 profiles loaded at once over the jitter window', async () => {
    const sources = Array.from(
      { length: 1000 },
      (_, i) =>
        new FakeSource(`p${i}`, fakeCredentials({ expiresAt: Date.parse('2026-01-01T12:00:00Z') })),
    );
    const { broker } = setup({ random: Math.random, sources });
    await Promise.all(sources.map((source) => broker.load(source.profile, { slot: true })));
    const seconds = new Set(
      broker
        .snapshot()
        .entries.map((entry) => Math.floor(Date.parse(entry.nextRefreshAt!) / SECOND)),
    );
    // 120 one-second buckets in the window; with 1,000 profiles nearly all are used.
    expect(seconds.size).toBeGreaterThan(100);
  });

  it('backs off 5 s, 10 s, 20 s ... up to 5 minutes while renewal fails, serving the old credentials (grace)', async () => {
    const creds = fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') });
    const dev = new FakeSource('dev', creds, failure('dev'));
    const { broker, clock, events } = setup({ sources: [dev] });
    await broker.load('dev');
    await clock.advance(HOUR - SECOND);
    const failures = events
      .filter(([name]) => name === 'refresh-failed')
      .map(([, , at]) => (at - 40 * MINUTE) / SECOND);
    expect(failures.slice(0, 9)).toEqual([0, 5, 15, 35, 75, 155, 315, 615, 915]);
    // The source was asked once at load, then once per attempt: no more.
    expect(dev.calls).toBe(1 + failures.length);
    // Still inside the lifetime: the old credentials are served, marked stale.
    expect((await broker.credentialsFor({ kind: 'default' })).credentials).toEqual(creds);
    expect(broker.snapshot().entries[0]).toMatchObject({
      state: 'stale',
      lastError: 'credential_process for profile dev exited with code 1',
    });
  });

  it('announces expiring-soon once when renewal is failing, then expired once, then answers 503', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') }),
      failure('dev'),
    );
    const { broker, clock, events } = setup({ sources: [dev] });
    await broker.load('dev');
    await clock.advance(2 * HOUR);
    const announcements = events.filter(([name]) => name === 'expiring-soon' || name === 'expired');
    expect(announcements).toEqual([
      ['expiring-soon', 'dev', 45 * MINUTE],
      ['expired', 'dev', HOUR],
    ]);
    await expect(broker.credentialsFor({ kind: 'default' })).rejects.toMatchObject({ status: 503 });
  });

  it('does not announce expiring-soon while renewals succeed', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const broker = new Broker({
      clock,
      resolveSource: resolverFor(renewingSource('s', clock, 10 * MINUTE, times)),
      random: () => 0,
    });
    const announced: string[] = [];
    broker.on('expiring-soon', ({ profile }) => announced.push(profile));
    broker.on('expired', ({ profile }) => announced.push(profile));
    await broker.load('s');
    await clock.advance(3 * HOUR);
    expect(announced).toEqual([]);
  });

  it('announces expiry of pushed credentials, which cannot be renewed', async () => {
    const { broker, clock, events } = setup({ sources: [] });
    broker.put('pushed', fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') }));
    await clock.advance(2 * HOUR);
    expect(events.filter(([name]) => name !== 'refreshed')).toEqual([
      ['expiring-soon', 'pushed', 45 * MINUTE],
      ['expired', 'pushed', HOUR],
    ]);
  });

  it('recovers: one success resets the backoff and the state', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') }),
      failure('dev'),
      failure('dev'),
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T02:00:00Z') }),
    );
    const { broker, clock, events } = setup({ sources: [dev] });
    await broker.load('dev');
    await clock.advance(40 * MINUTE + 15 * SECOND);
    expect(events.map(([name, , at]) => `${name}@${at / SECOND}`)).toEqual([
      'refreshed@0',
      'refresh-failed@2400',
      'refresh-failed@2405',
      'refreshed@2415',
    ]);
    expect(broker.snapshot().entries[0]).toMatchObject({
      state: 'fresh',
      lastError: null,
      nextRefreshAt: '2026-01-01T01:40:00.000Z',
    });
  });

  it('renews at least every N seconds with the `every` policy, also for credentials that never expire', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    const { broker, clock, events } = setup({ sources: [dev] });
    await broker.load('dev', { policy: { everyMs: 10 * MINUTE } });
    await clock.advance(HOUR);
    expect(events.filter(([name]) => name === 'refreshed').map(([, , at]) => at / MINUTE)).toEqual([
      0, 10, 20, 30, 40, 50, 60,
    ]);
  });

  it('never renews credentials that never expire without `every`', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    const { broker, clock } = setup({ sources: [dev] });
    await broker.load('dev');
    await clock.advance(48 * HOUR);
    expect(dev.calls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs the source once for 100 concurrent requests during a renewal', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T00:10:00Z') }),
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T02:00:00Z') }),
    );
    const { broker, clock } = setup({ sources: [dev] });
    await broker.load('dev');
    dev.hold();
    // Ten-minute credentials are renewed at half their life: that renewal is now in flight, and
    // every request waits for it.
    await clock.advance(5 * MINUTE);
    expect(dev.calls).toBe(2);
    const requests = Array.from({ length: 100 }, () => broker.credentialsFor({ kind: 'default' }));
    const reload = broker.reload('dev');
    dev.release();
    const answers = await Promise.all(requests);
    await reload;
    expect(dev.calls).toBe(2);
    expect(new Set(answers.map((answer) => answer.credentials.expiresAt))).toEqual(
      new Set([Date.parse('2026-01-01T02:00:00Z')]),
    );
  });

  it('serves what it has when a renewal in flight takes longer than the wait bound', async () => {
    const old = fakeCredentials({ expiresAt: Date.parse('2026-01-01T00:10:00Z') });
    const dev = new FakeSource(
      'dev',
      old,
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T02:00:00Z') }),
    );
    const { broker, clock } = setup({ sources: [dev] });
    await broker.load('dev');
    dev.hold();
    await clock.advance(5 * MINUTE);
    const request = broker.credentialsFor({ kind: 'default' });
    await clock.advance(15 * SECOND);
    expect((await request).credentials).toEqual(old);
    dev.release();
  });

  it('does not hammer a failing source from the request path while backing off', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T00:10:00Z') }),
      failure('dev'),
    );
    const { broker, clock } = setup({ sources: [dev] });
    await broker.load('dev');
    // The planned renewal at half their life fails; then less than 5 minutes are left.
    await clock.advance(5 * MINUTE + SECOND);
    expect(dev.calls).toBe(2);
    for (let i = 0; i < 50; i += 1) await broker.credentialsFor({ kind: 'default' });
    // Every request found the broker backing off, so none added an attempt.
    expect(dev.calls).toBe(2);
  });

  it('runs a source of 30-second credentials as often as the policy says, however often they are asked for', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const times: number[] = [];
    const broker = new Broker({
      clock,
      resolveSource: resolverFor(renewingSource('short', clock, 30 * SECOND, times)),
      random: () => 0,
    });
    await broker.load('short');
    // A client polling every half second for 40 seconds.
    for (let poll = 0; poll < 80; poll += 1) {
      const { credentials } = await broker.credentialsFor({ kind: 'default' });
      expect(credentials.expiresAt!).toBeGreaterThan(clock.now());
      expect(broker.servableNow({ kind: 'default' })?.credentials).toEqual(credentials);
      await clock.advance(SECOND / 2);
    }
    // Renewed at half their life, as planned; requests in between got what the last renewal made.
    expect(times.map((time) => (time - start) / SECOND)).toEqual([0, 15, 30]);
  });

  it('stops renewing a profile once it is unloaded', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const source = renewingSource('dev', clock, HOUR, times);
    const broker = new Broker({ clock, resolveSource: resolverFor(source), random: () => 0 });
    await broker.load('dev');
    broker.unload('dev');
    await clock.advance(5 * HOUR);
    expect(times).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses credentials that are already expired instead of spinning', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2025-12-31T00:00:00Z') }),
    );
    const { broker } = setup({ sources: [dev] });
    await expect(broker.load('dev')).rejects.toThrow(
      'The source of profile dev returned credentials that expired at 2025-12-31T00:00:00.000Z.',
    );
  });

  it('does not retry a first load that failed, and says so in its event', async () => {
    const cause = new SourceError('dev', 'exit', 'kinit: no ticket; run kinit');
    const dev = new FakeSource('dev', cause);
    const { broker, clock } = setup({ sources: [dev] });
    const failed: Array<BrokerEvents['refresh-failed'][0]> = [];
    broker.on('refresh-failed', (event) => failed.push(event));

    await expect(broker.load('dev')).rejects.toBe(cause);
    await clock.advance(HOUR);

    expect(failed).toEqual([
      {
        profile: 'dev',
        error: 'kinit: no ticket; run kinit',
        failures: 1,
        nextAttemptAt: null,
        stillServing: false,
        expiresAt: null,
      },
    ]);
    expect(dev.calls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('says when a failed renewal is retried, and until when the old credentials are served', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') }),
      failure('dev'),
    );
    const { broker, clock } = setup({ sources: [dev] });
    const failed: Array<BrokerEvents['refresh-failed'][0]> = [];
    broker.on('refresh-failed', (event) => failed.push(event));
    await broker.load('dev');
    await clock.advance(40 * MINUTE);

    expect(failed).toEqual([
      {
        profile: 'dev',
        error: 'credential_process for profile dev exited with code 1',
        failures: 1,
        nextAttemptAt: Date.parse('2026-01-01T00:40:05Z'),
        stillServing: true,
        expiresAt: Date.parse('2026-01-01T01:00:00Z'),
      },
    ]);
    await clock.advance(5 * SECOND);
    expect(dev.calls).toBe(3);
  });
});
