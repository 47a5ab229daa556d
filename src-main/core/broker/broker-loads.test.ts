import { describe, expect, it, vi } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock, settle } from '../../../test/helpers/manual-clock';
import { Broker } from './broker';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function setup(...sources: FakeSource[]) {
  const clock = new ManualClock();
  const broker = new Broker({ clock, resolveSource: resolverFor(...sources), random: () => 0 });
  return { clock, broker };
}

/** What a load settled with: its outcome, or its error's code. */
function outcomeOf(load: Promise<unknown>) {
  return load.then(
    (value) => ({ value }),
    (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
  );
}

/** Every slot the snapshot names must be backed by an entry that can serve it. */
function slotsWithoutEntry(broker: Broker): string[] {
  const snapshot = broker.snapshot();
  const held = new Set(snapshot.entries.map((entry) => entry.profile));
  return [...(snapshot.defaultProfile ? [snapshot.defaultProfile] : []), ...snapshot.slots].filter(
    (profile) => !held.has(profile),
  );
}

describe('Broker loads in flight', () => {
  it('lets an unload during a first load win: the finished fetch fills nothing', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    dev.hold();
    const { broker } = setup(dev);
    const load = outcomeOf(broker.load('dev', { slot: true }));
    await vi.waitFor(() => expect(broker.snapshot().entries[0]?.state).toBe('refreshing'));

    expect(broker.unload('dev')).toBe(true);
    dev.release();

    expect(await load).toEqual({
      code: 'unloaded-while-loading',
      message:
        'Profile dev was unloaded while it was loading, so it is not served. Load it again if you still need it.',
    });
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
    await expect(broker.credentialsFor({ kind: 'named', profile: 'dev' })).rejects.toMatchObject({
      status: 404,
    });
    // Nobody wants that fetch any more, so it was told to stop.
    expect(dev.signals[0]?.aborted).toBe(true);
  });

  it('lets an unload win over a reload into another slot, leaving no slot without credentials', async () => {
    const dev = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') }),
    );
    const { broker } = setup(dev);
    await broker.load('dev');
    dev.hold();
    const reload = outcomeOf(broker.load('dev', { slot: true }));
    await vi.waitFor(() => expect(broker.snapshot().loading).toHaveLength(1));

    broker.unload('dev');
    dev.release();

    expect(await reload).toMatchObject({ code: 'unloaded-while-loading' });
    expect(slotsWithoutEntry(broker)).toEqual([]);
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('lets emptying the default slot win over a load into it', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    dev.hold();
    const { broker } = setup(dev);
    const load = outcomeOf(broker.load('dev'));
    await vi.waitFor(() => expect(broker.snapshot().loading).toHaveLength(1));

    expect(broker.emptySlot({ kind: 'default' })).toBe('dev');
    dev.release();

    expect(await load).toMatchObject({ code: 'unloaded-while-loading' });
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('cancels a load whose caller left, stops its fetch and leaves nothing behind', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    dev.hold();
    const { broker } = setup(dev);
    const caller = new AbortController();
    const load = outcomeOf(broker.load('dev', { slot: true, signal: caller.signal }));
    await vi.waitFor(() => expect(dev.calls).toBe(1));

    caller.abort();

    expect(await load).toEqual({ code: 'load-cancelled', message: 'Loading dev was cancelled.' });
    expect(dev.signals[0]?.aborted).toBe(true);
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
    dev.release();
    await settle();
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('keeps a fetch shared by two loads going when one caller leaves', async () => {
    const creds = fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') });
    const dev = new FakeSource('dev', creds);
    dev.hold();
    const { broker } = setup(dev);
    const leaving = new AbortController();
    const left = outcomeOf(broker.load('dev', { slot: true, signal: leaving.signal }));
    const staying = broker.load('dev', { slot: true });
    await vi.waitFor(() => expect(dev.calls).toBe(1));

    leaving.abort();
    expect(await left).toMatchObject({ code: 'load-cancelled' });
    expect(dev.signals[0]?.aborted).toBe(false);
    dev.release();

    expect(await staying).toEqual({
      profile: 'dev',
      slot: 'named',
      expiresAt: Date.parse('2026-01-01T01:00:00Z'),
    });
    expect(dev.calls).toBe(1);
    expect((await broker.credentialsFor({ kind: 'named', profile: 'dev' })).credentials).toEqual(
      creds,
    );
  });

  it('ignores a caller that leaves after its load has filled the slot', async () => {
    const { broker } = setup(new FakeSource('dev', fakeCredentials()));
    const caller = new AbortController();
    await broker.load('dev', { signal: caller.signal });
    caller.abort();
    expect(broker.snapshot().defaultProfile).toBe('dev');
  });

  it('shows each load in progress, with when it started, until it ends', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    dev.hold();
    const { broker, clock } = setup(dev);
    const first = broker.load('dev', { slot: true });
    await clock.advance(12 * SECOND);
    const second = broker.load('dev', { slot: true });
    const intoDefault = broker.load('dev');
    await settle();

    expect(broker.snapshot().loading).toEqual([
      { profile: 'dev', slot: 'named', startedAt: '2026-01-01T00:00:00.000Z' },
      { profile: 'dev', slot: 'default', startedAt: '2026-01-01T00:00:12.000Z' },
    ]);
    dev.release();
    await Promise.all([first, second, intoDefault]);
    expect(broker.snapshot().loading).toBeUndefined();
  });

  it('answers each load with what it produced while 25 loads race 25 unloads', async () => {
    const clock = new ManualClock();
    let random = 7;
    const nextRandom = () => {
      random = (random * 48271) % 2147483647;
      return random / 2147483647;
    };
    const ticks = async (count: number) => {
      for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
    };
    const source = new FakeSource('p');
    source.fetch = async () => {
      source.calls += 1;
      await ticks(Math.floor(nextRandom() * 6));
      return fakeCredentials({ expiresAt: clock.now() + HOUR });
    };
    const broker = new Broker({ clock, resolveSource: resolverFor(source), random: () => 0 });

    const loads = Array.from({ length: 25 }, async () => {
      await ticks(Math.floor(nextRandom() * 10));
      return outcomeOf(broker.load('p', { slot: true }));
    });
    const unloads = Array.from({ length: 25 }, async () => {
      await ticks(Math.floor(nextRandom() * 10));
      broker.unload('p');
      expect(slotsWithoutEntry(broker)).toEqual([]);
    });
    const [settled] = await Promise.all([Promise.all(loads), Promise.all(unloads)]);

    for (const outcome of settled) {
      if ('value' in outcome) {
        expect(outcome.value).toEqual({
          profile: 'p',
          slot: 'named',
          expiresAt: clock.now() + HOUR,
        });
      } else {
        expect(outcome.code).toBe('unloaded-while-loading');
      }
    }
    // The race really raced: some loads won, some were overruled.
    expect(settled.filter((outcome) => 'value' in outcome).length).toBeGreaterThan(0);
    expect(settled.filter((outcome) => 'code' in outcome).length).toBeGreaterThan(0);
    expect(slotsWithoutEntry(broker)).toEqual([]);
  });
});

describe('Broker loads that reuse what a slot holds', () => {
  const inAnHour = () => Date.parse('2026-01-01T01:00:00Z');

  it('fills the own slot from the default slot without running the source again', async () => {
    const dev = new FakeSource('dev', fakeCredentials({ expiresAt: inAnHour() }));
    const { broker } = setup(dev);
    await broker.load('dev');
    expect(dev.calls).toBe(1);

    const loads = await Promise.all(
      Array.from({ length: 30 }, () => broker.load('dev', { slot: true, reuseHeld: true })),
    );

    expect(dev.calls).toBe(1);
    expect(loads[0]).toEqual({ profile: 'dev', slot: 'named', expiresAt: inAnHour() });
    expect(broker.snapshot()).toMatchObject({ defaultProfile: 'dev', slots: ['dev'] });
    const served = await broker.credentialsFor({ kind: 'named', profile: 'dev' });
    expect(served.credentials).toBe(broker.peek('dev'));
  });

  it('runs the source when what is held is due for renewal, or when not asked to reuse', async () => {
    const dev = new FakeSource('dev', fakeCredentials({ expiresAt: inAnHour() }));
    const { clock, broker } = setup(dev);
    await broker.load('dev');
    await broker.load('dev', { slot: true });
    expect(dev.calls).toBe(2);

    // Moved without firing the renewal timer: what is held is now due, and not reused.
    clock.time += 59 * MINUTE;
    await broker.load('dev', { slot: true, reuseHeld: true });
    expect(dev.calls).toBe(3);
  });

  it('runs the source for a profile no slot holds', async () => {
    const dev = new FakeSource('dev', fakeCredentials({ expiresAt: inAnHour() }));
    const { broker } = setup(dev);
    await broker.load('dev', { slot: true, reuseHeld: true });
    expect(dev.calls).toBe(1);
  });
});

describe('what a window watching the broker sees of a load', () => {
  it.each([
    ['into the default slot', false],
    ['into its own slot', true],
  ])(
    'the last snapshot of a finished load %s shows it served, with no load in flight',
    async (_, slot) => {
      const dev = new FakeSource('dev', fakeCredentials());
      dev.hold();
      const { broker } = setup(dev);
      const seen: ReturnType<Broker['snapshot']>[] = [];
      broker.on('changed', (snapshot: ReturnType<Broker['snapshot']>) => seen.push(snapshot));
      const load = broker.load('dev', { slot });
      await vi.waitFor(() => expect(seen.at(-1)?.loading).toHaveLength(1));

      dev.release();
      await load;
      await settle();

      const last = seen.at(-1)!;
      expect(last.loading).toBeUndefined();
      expect(slot ? last.slots : [last.defaultProfile]).toEqual(['dev']);
      expect(last.entries.map((entry) => [entry.profile, entry.state])).toEqual([['dev', 'fresh']]);
      // Each snapshot pushed describes a later state than the one before it.
      const revisions = seen.map((snapshot) => snapshot.revision!);
      expect(
        revisions.every((revision, index) => index === 0 || revision > revisions[index - 1]!),
      ).toBe(true);
      expect(broker.snapshot().revision).toBe(last.revision);
    },
  );
});
