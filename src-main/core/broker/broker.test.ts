import { describe, expect, it, vi } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { SourceError } from '../sources/source';
import { Broker } from './broker';

const HOUR = 3_600_000;

function setup(...sources: FakeSource[]) {
  const clock = new ManualClock();
  const broker = new Broker({ clock, resolveSource: resolverFor(...sources) });
  return { clock, broker };
}

describe('Broker', () => {
  it('loads a profile into the default slot and serves its credentials', async () => {
    const creds = fakeCredentials();
    const { broker } = setup(new FakeSource('dev', creds));
    await broker.load('dev');
    const snapshot = broker.snapshot();
    expect(snapshot.defaultProfile).toBe('dev');
    expect(snapshot.slots).toEqual([]);
    expect(await broker.credentialsFor({ kind: 'default' })).toEqual({
      profile: 'dev',
      credentials: creds,
    });
  });

  it('loads into a named slot without touching the default slot', async () => {
    const { broker } = setup(
      new FakeSource('dev', fakeCredentials()),
      new FakeSource('prod', fakeCredentials()),
    );
    await broker.load('dev');
    await broker.load('prod', { slot: true });
    const snapshot = broker.snapshot();
    expect(snapshot.defaultProfile).toBe('dev');
    expect(snapshot.slots).toEqual(['prod']);
    expect((await broker.credentialsFor({ kind: 'named', profile: 'prod' })).profile).toBe('prod');
  });

  it('keeps one entry for a profile in two slots and runs its source once per load', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    const { broker } = setup(dev);
    await broker.load('dev');
    await broker.load('dev', { slot: true });
    const snapshot = broker.snapshot();
    expect(snapshot.entries.map((entry) => entry.profile)).toEqual(['dev']);
    expect(snapshot.defaultProfile).toBe('dev');
    expect(snapshot.slots).toEqual(['dev']);
    expect(dev.calls).toBe(2);
  });

  it('answers 404 for an empty default slot and an unloaded named slot', async () => {
    const { broker } = setup();
    await expect(broker.credentialsFor({ kind: 'default' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('rolecall load <profile>'),
    });
    await expect(broker.credentialsFor({ kind: 'named', profile: 'x' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('rolecall load x --slot'),
    });
  });

  it('answers 503 with a way out once credentials have expired and renewal fails', async () => {
    const { broker, clock } = setup(
      new FakeSource(
        'dev',
        fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') }),
        new SourceError('dev', 'exit', 'credential_process for profile dev exited with code 1'),
      ),
    );
    await broker.load('dev');
    await clock.advance(HOUR);
    await expect(broker.credentialsFor({ kind: 'default' })).rejects.toMatchObject({
      status: 503,
      message:
        'The credentials for profile dev expired at 2026-01-01T01:00:00.000Z. Renewing them failed: credential_process for profile dev exited with code 1. Fix the cause, then run `rolecall load dev`.',
    });
    expect(broker.snapshot().entries[0]?.state).toBe('expired');
  });

  it('does not fill a slot when the source fails, and reports the error', async () => {
    const failure = new SourceError(
      'dev',
      'exit',
      'credential_process for profile dev exited with code 1',
    );
    const { broker } = setup(new FakeSource('dev', failure));
    await expect(broker.load('dev')).rejects.toBe(failure);
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('keeps serving what it has when a reload fails, and shows the entry as stale', async () => {
    const creds = fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') });
    const dev = new FakeSource('dev', creds).andThen(new SourceError('dev', 'exit', 'boom'));
    const { broker } = setup(dev);
    await broker.load('dev');
    await expect(broker.load('dev')).rejects.toThrow('boom');
    expect((await broker.credentialsFor({ kind: 'default' })).credentials).toEqual(creds);
    expect(broker.snapshot().entries[0]).toMatchObject({ state: 'stale', lastError: 'boom' });
  });

  it('shares one source call between concurrent loads of the same profile', async () => {
    const dev = new FakeSource('dev', fakeCredentials());
    dev.hold();
    const { broker } = setup(dev);
    const loads = Array.from({ length: 10 }, (_, index) =>
      broker.load('dev', { slot: index % 2 === 0 }),
    );
    await vi.waitFor(() => expect(broker.snapshot().entries[0]?.state).toBe('refreshing'));
    dev.release();
    await Promise.all(loads);
    expect(dev.calls).toBe(1);
  });

  it('replacing the default profile forgets the old one unless it has a slot', async () => {
    const { broker } = setup(
      new FakeSource('a', fakeCredentials()),
      new FakeSource('b', fakeCredentials()),
      new FakeSource('c', fakeCredentials()),
    );
    await broker.load('a');
    await broker.load('b', { slot: true });
    await broker.load('b');
    expect(broker.snapshot().entries.map((entry) => entry.profile)).toEqual(['b']);
    await broker.load('c');
    expect(broker.snapshot()).toMatchObject({ defaultProfile: 'c', slots: ['b'] });
    expect(broker.snapshot().entries.map((entry) => entry.profile)).toEqual(['b', 'c']);
  });

  it('empties single slots, all named slots, or everything', async () => {
    const { broker } = setup(
      new FakeSource('a', fakeCredentials()),
      new FakeSource('b', fakeCredentials()),
    );
    await broker.load('a');
    await broker.load('a', { slot: true });
    await broker.load('b', { slot: true });
    expect(broker.emptySlot({ kind: 'default' })).toBe('a');
    expect(broker.snapshot()).toMatchObject({ defaultProfile: null, slots: ['a', 'b'] });
    expect(broker.emptySlot({ kind: 'default' })).toBeNull();
    expect(broker.clearNamed()).toBe(2);
    expect(broker.snapshot().entries).toEqual([]);
    await broker.load('a');
    expect(broker.unload('a')).toBe(true);
    expect(broker.unload('a')).toBe(false);
  });

  it('stores credentials pushed over the API as not refreshable', () => {
    const { broker } = setup();
    broker.put('pushed', fakeCredentials(), { slot: true });
    expect(broker.snapshot().entries[0]).toMatchObject({
      profile: 'pushed',
      refreshable: false,
      state: 'fresh',
    });
  });

  it('emits a snapshot after changes', async () => {
    const { broker } = setup(new FakeSource('dev', fakeCredentials()));
    const seen: string[] = [];
    broker.on('changed', (snapshot) =>
      seen.push(
        `${snapshot.defaultProfile}:${snapshot.entries.map((entry) => entry.state).join()}`,
      ),
    );
    await broker.load('dev');
    broker.unload('dev');
    broker.unload('dev');
    await new Promise((resolve) => setImmediate(resolve));
    // Changes in one tick coalesce into one event carrying the final state.
    expect(seen).toEqual(['null:refreshing', 'dev:fresh', 'null:']);
  });

  it('never puts a secret in a snapshot', async () => {
    const creds = fakeCredentials();
    const { broker } = setup(new FakeSource('dev', creds));
    await broker.load('dev');
    const text = JSON.stringify(broker.snapshot());
    expect(text).not.toContain(creds.secretAccessKey);
    expect(text).not.toContain(creds.sessionToken);
    expect(text).not.toContain(creds.accessKeyId);
  });
});
