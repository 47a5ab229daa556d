import { describe, expect, it } from 'vitest';
import { ParentedSource, memoryBrokerStore } from '../../../test/helpers/chain-sources';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock, settle } from '../../../test/helpers/manual-clock';
import type { CredentialSource } from '../sources/source';
import { SourceError } from '../sources/source';
import { Broker } from './broker';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function setup(
  sources: (clock: ManualClock) => CredentialSource[],
  options: { store?: ReturnType<typeof memoryBrokerStore>; clock?: ManualClock } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const all = sources(clock);
  const broker = new Broker({
    clock,
    resolveSource: resolverFor(...all),
    random: () => 0,
    ...(options.store ? { store: options.store.store } : {}),
  });
  return { clock, broker, start: clock.now() };
}

/** A source of credentials living `lifetime` from each fetch, counting its calls. */
function renewing(profile: string, clock: { now(): number }, lifetime: number) {
  const source = new FakeSource(profile);
  source.fetch = async () => {
    source.calls += 1;
    return fakeCredentials({ expiresAt: clock.now() + lifetime });
  };
  return source;
}

describe('Broker parents', () => {
  it('loads a chain of depth 3 as an entry per profile, each fetched once, the parents in no slot', async () => {
    let admin!: ParentedSource, ops!: ParentedSource, base!: FakeSource;
    const { broker } = setup((clock) => [
      (admin = new ParentedSource('admin', ['ops'], clock)),
      (ops = new ParentedSource('ops', ['base'], clock)),
      (base = renewing('base', clock, 12 * HOUR)),
    ]);

    await broker.load('admin');

    expect([admin.calls, ops.calls, base.calls]).toEqual([1, 1, 1]);
    const snapshot = broker.snapshot();
    expect(snapshot.defaultProfile).toBe('admin');
    expect(snapshot.slots).toEqual([]);
    expect(
      snapshot.entries.map(({ profile, state, parents }) => ({ profile, state, parents })),
    ).toEqual([
      { profile: 'admin', state: 'fresh', parents: ['ops'] },
      { profile: 'base', state: 'fresh', parents: undefined },
      { profile: 'ops', state: 'fresh', parents: ['base'] },
    ]);
    // Each was made from its parent's credentials, as the broker holds them.
    expect(ops.given[0]).toEqual([broker.peek('base')]);
    expect(admin.given[0]).toEqual([broker.peek('ops')]);
  });

  it('refuses a chain that loops, naming the loop, before fetching anything', async () => {
    const sources: ParentedSource[] = [];
    const { broker } = setup((clock) => {
      sources.push(
        new ParentedSource('a', ['b'], clock),
        new ParentedSource('b', ['c'], clock),
        new ParentedSource('c', ['a'], clock),
        new ParentedSource('self', ['self'], clock),
      );
      return sources;
    });

    await expect(broker.load('a')).rejects.toThrow(
      'Profiles depend on each other in a loop: a → b → c → a. Change one of their source_profile settings so the chain ends.',
    );
    await expect(broker.load('self')).rejects.toThrow('in a loop: self → self.');
    expect(sources.map((source) => source.calls)).toEqual([0, 0, 0, 0]);
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('refuses a loop closed through profiles already loaded, leaving them as they were', async () => {
    let base!: ParentedSource;
    const { broker } = setup((clock) => [
      new ParentedSource('admin', ['ops'], clock),
      new ParentedSource('ops', ['base'], clock),
      (base = new ParentedSource('base', [], clock)),
    ]);
    await broker.load('admin');
    // The config changes: base is now made from admin.
    base.parents.push('admin');

    await expect(broker.load('base', { slot: true })).rejects.toThrow(
      'in a loop: base → admin → ops → base.',
    );
    expect(base.calls).toBe(1);
    expect(broker.snapshot().entries.map((entry) => [entry.profile, entry.parents])).toEqual([
      ['admin', ['ops']],
      ['base', undefined],
      ['ops', ['base']],
    ]);
  });

  it('renews a child from its still-valid parent, which renews on its own schedule', async () => {
    let admin!: ParentedSource, base!: FakeSource;
    const { broker, clock } = setup((clock) => [
      (admin = new ParentedSource('admin', ['base'], clock, HOUR)),
      (base = renewing('base', clock, 12 * HOUR)),
    ]);
    await broker.load('admin', { slot: true });
    const firstBase = broker.peek('base');

    // admin renews every 40 minutes; base, 12-hour credentials, at 11 h 40.
    await clock.advance(11 * HOUR + 30 * MINUTE);
    expect(admin.calls).toBe(18);
    expect(base.calls).toBe(1);
    expect(new Set(admin.given.map(([given]) => given))).toEqual(new Set([firstBase]));

    await clock.advance(HOUR);
    expect(base.calls).toBe(2);
    expect(admin.given.at(-1)).toEqual([broker.peek('base')]);
  });

  it('shares a parent renewal between its own timer and the children that need it', async () => {
    let base!: FakeSource;
    const children: ParentedSource[] = [];
    const { broker, clock } = setup((clock) => {
      base = new FakeSource(
        'base',
        fakeCredentials({ expiresAt: clock.now() + 10 * MINUTE }),
        fakeCredentials({ expiresAt: clock.now() + 12 * HOUR }),
      );
      for (const name of ['admin', 'audit'])
        children.push(new ParentedSource(name, ['base'], clock));
      return [base, ...children];
    });
    await broker.load('admin', { slot: true });
    await broker.load('audit', { slot: true });
    expect(base.calls).toBe(1);

    // base's own renewal (at half its 10 minutes) is in flight when both children reload.
    base.hold();
    await clock.advance(5 * MINUTE);
    const reloads = [broker.reload('admin'), broker.reload('audit')];
    await settle();
    base.release();
    await Promise.all(reloads);
    expect(base.calls).toBe(2);
  });

  it('fails a load whose parent fails with the parent’s failure, naming it, and keeps nothing', async () => {
    const { broker } = setup((clock) => [
      new ParentedSource('admin', ['base'], clock),
      new FakeSource(
        'base',
        new SourceError('base', 'exit', 'credential_process for profile base exited with code 1'),
      ),
    ]);
    await expect(broker.load('admin')).rejects.toThrow(
      'Could not renew base, which admin is made from: credential_process for profile base exited with code 1.',
    );
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('says when a parent cannot be loaded at all', async () => {
    const { broker } = setup((clock) => [new ParentedSource('admin', ['gone'], clock)]);
    await expect(broker.load('admin')).rejects.toThrow(
      'Profile admin is made from gone, which cannot be loaded: Profile gone is not in the AWS config.',
    );
  });

  it('keeps serving a child while its failing parent backs off, then tells why once both are dead', async () => {
    let base!: FakeSource;
    const { broker, clock } = setup((clock) => [
      new ParentedSource('admin', ['base'], clock, HOUR),
      (base = new FakeSource(
        'base',
        fakeCredentials({ expiresAt: clock.now() + HOUR }),
        new SourceError('base', 'exit', 'the keys were revoked'),
      )),
    ]);
    await broker.load('admin');
    // base fails from 40 minutes on; admin renews from base's credentials while they last.
    await clock.advance(55 * MINUTE);
    expect(broker.snapshot().entries.find((entry) => entry.profile === 'admin')?.state).toBe(
      'fresh',
    );
    await clock.advance(2 * HOUR);
    await expect(broker.credentialsFor({ kind: 'default' })).rejects.toThrow(
      'The credentials for profile admin expired at 2026-01-01T01:40:00.000Z. Renewing them failed: Could not renew base, which admin is made from: the keys were revoked.',
    );
    expect(base.calls).toBeGreaterThan(2);
  });

  it('keeps a parent while any child needs it, shown in no slot, and forgets it with the last', async () => {
    const { broker } = setup((clock) => [
      new ParentedSource('admin', ['base'], clock),
      new ParentedSource('audit', ['base'], clock),
      renewing('base', clock, 12 * HOUR),
    ]);
    await broker.load('admin', { slot: true });
    await broker.load('audit', { slot: true });
    broker.unload('admin');
    expect(broker.snapshot().entries.map((entry) => entry.profile)).toEqual(['audit', 'base']);
    expect(broker.dependentsOf('base')).toEqual(['audit']);
    broker.unload('audit');
    expect(broker.snapshot().entries).toEqual([]);
  });

  it('keeps a profile that leaves its slot as a parent while another is made from it', async () => {
    let base!: FakeSource;
    const { broker } = setup((clock) => [
      new ParentedSource('admin', ['base'], clock),
      (base = renewing('base', clock, 12 * HOUR)),
    ]);
    await broker.load('base');
    await broker.load('admin', { slot: true });
    // base was already held: admin reused it.
    expect(base.calls).toBe(1);
    broker.emptySlot({ kind: 'default' });
    expect(broker.snapshot()).toMatchObject({
      defaultProfile: null,
      slots: ['admin'],
      entries: [{ profile: 'admin' }, { profile: 'base', state: 'fresh' }],
    });
  });

  it('survives a restart with its parents: nothing is fetched again while it is valid', async () => {
    const kept = memoryBrokerStore();
    const clock = new ManualClock();
    const first = setup(
      (clock) => [
        new ParentedSource('admin', ['ops'], clock, HOUR),
        new ParentedSource('ops', ['base'], clock, HOUR),
        renewing('base', clock, 12 * HOUR),
      ],
      { store: kept, clock },
    );
    await first.broker.load('admin', { slot: true });
    first.broker.stop();
    expect(kept.layout?.profiles).toEqual({
      admin: { refreshable: true, parents: ['ops'] },
      ops: { refreshable: true, parents: ['base'] },
      base: { refreshable: true },
    });

    await clock.advance(10 * MINUTE);
    let admin!: ParentedSource, ops!: ParentedSource, base!: FakeSource;
    const second = setup(
      (clock) => [
        (admin = new ParentedSource('admin', ['ops'], clock, HOUR)),
        (ops = new ParentedSource('ops', ['base'], clock, HOUR)),
        (base = renewing('base', clock, 12 * HOUR)),
      ],
      { store: kept, clock },
    );
    await second.broker.restore();
    expect(
      second.broker.snapshot().entries.map((entry) => [entry.profile, entry.state, entry.parents]),
    ).toEqual([
      ['admin', 'fresh', ['ops']],
      ['base', 'fresh', undefined],
      ['ops', 'fresh', ['base']],
    ]);
    await second.broker.credentialsFor({ kind: 'named', profile: 'admin' });
    expect([admin.calls, ops.calls, base.calls]).toEqual([0, 0, 0]);

    // On schedule: admin and ops at 40 minutes, from the restored base.
    await clock.advance(30 * MINUTE);
    expect([admin.calls, ops.calls, base.calls]).toEqual([1, 1, 0]);
  });
});
