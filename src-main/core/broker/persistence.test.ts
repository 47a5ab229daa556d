import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { createMemoryStore } from '../secrets/memory-store';
import type { SecretStore } from '../secrets/secret-store';
import { Broker } from './broker';
import { createBrokerStore, credentialsAccount, LAYOUT_FILE } from './persistence';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let home: string;
let secrets: SecretStore;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'rolecall-persist-'));
  secrets = createMemoryStore();
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function brokerWith(clock: ManualClock, ...sources: FakeSource[]) {
  const store = createBrokerStore({ home, secrets });
  return {
    store,
    broker: new Broker({ clock, store, resolveSource: resolverFor(...sources), random: () => 0 }),
  };
}

describe('broker persistence', () => {
  it('keeps the layout in a 0600 file and the credentials only in the keychain', async () => {
    const clock = new ManualClock();
    const creds = fakeCredentials({ expiresAt: clock.now() + HOUR });
    const { broker, store } = brokerWith(
      clock,
      new FakeSource('dev', creds),
      new FakeSource('prod', fakeCredentials()),
    );
    await broker.load('dev');
    await broker.load('prod', { slot: true, policy: { everyMs: 10 * MINUTE } });
    await store.flush();

    const layoutPath = join(home, LAYOUT_FILE);
    const layout = await readFile(layoutPath, 'utf8');
    expect(JSON.parse(layout)).toEqual({
      version: 2,
      defaultProfile: 'dev',
      slots: ['prod'],
      profiles: {
        dev: { refreshable: true },
        prod: { refreshable: true, policy: { everyMs: 600_000 } },
      },
    });
    expect(layout).not.toContain(creds.secretAccessKey);
    expect((await stat(layoutPath)).mode & 0o777).toBe(0o600);
    expect(JSON.parse((await secrets.get(credentialsAccount('dev')))!)).toMatchObject({
      credentials: creds,
      obtainedAt: clock.now(),
      refreshCount: 1,
    });
  });

  it('restores valid credentials without calling the source, and renews them on schedule', async () => {
    const clock = new ManualClock();
    const creds = fakeCredentials({ expiresAt: clock.now() + HOUR });
    const first = brokerWith(clock, new FakeSource('dev', creds));
    await first.broker.load('dev');
    await first.store.flush();
    first.broker.stop();

    await clock.advance(10 * MINUTE);
    const dev = new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR }));
    const second = brokerWith(clock, dev);
    await second.broker.restore();
    expect((await second.broker.credentialsFor({ kind: 'default' })).credentials).toEqual(creds);
    expect(dev.calls).toBe(0);
    expect(second.broker.snapshot().entries[0]).toMatchObject({
      state: 'fresh',
      nextRefreshAt: '2026-01-01T00:40:00.000Z',
    });
    await clock.advance(30 * MINUTE);
    expect(dev.calls).toBe(1);
  });

  it('renews expired credentials before serving them after a restart', async () => {
    const clock = new ManualClock();
    const first = brokerWith(
      clock,
      new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR })),
    );
    await first.broker.load('dev', { slot: true });
    await first.store.flush();
    first.broker.stop();

    await clock.advance(2 * HOUR);
    const fresh = fakeCredentials({ expiresAt: clock.now() + HOUR });
    const dev = new FakeSource('dev', fresh);
    const second = brokerWith(clock, dev);
    await second.broker.restore();
    expect(
      (await second.broker.credentialsFor({ kind: 'named', profile: 'dev' })).credentials,
    ).toEqual(fresh);
    expect(dev.calls).toBe(1);
  });

  it('keeps serving restored credentials of a profile that left the config, and says why it cannot renew', async () => {
    const clock = new ManualClock();
    const creds = fakeCredentials({ expiresAt: clock.now() + HOUR });
    const first = brokerWith(clock, new FakeSource('gone', creds));
    await first.broker.load('gone');
    await first.store.flush();

    const second = brokerWith(clock);
    await second.broker.restore();
    expect((await second.broker.credentialsFor({ kind: 'default' })).credentials).toEqual(creds);
    expect(second.broker.snapshot().entries[0]?.lastError).toBe(
      'Profile gone is not in the AWS config.',
    );
  });

  it('removes credentials from the keychain when a profile is unloaded', async () => {
    const clock = new ManualClock();
    const { broker, store } = brokerWith(clock, new FakeSource('dev', fakeCredentials()));
    await broker.load('dev');
    broker.unload('dev');
    await store.flush();
    expect(await secrets.get(credentialsAccount('dev'))).toBeNull();
    expect(JSON.parse(await readFile(join(home, LAYOUT_FILE), 'utf8'))).toMatchObject({
      defaultProfile: null,
      profiles: {},
    });
  });

  it('says in the snapshot when the slots could not be saved, until a later save succeeds', async () => {
    const clock = new ManualClock();
    const { broker } = brokerWith(
      clock,
      new FakeSource('dev', fakeCredentials()),
      new FakeSource('prod', fakeCredentials()),
    );
    const layoutPath = join(home, LAYOUT_FILE);
    // A directory where the file goes fails the write for every user, root included.
    await mkdir(join(layoutPath, 'in-the-way'), { recursive: true });
    const notSaved = `Rolecall could not save which profiles are loaded to ${layoutPath} (a directory is in the way), so the slots as they are now will not survive a restart of Rolecall. Make ${home} writable; the next load or unload then saves them.`;

    await broker.load('dev');
    expect(broker.snapshot().notSaved).toBe(notSaved);
    broker.unload('dev');
    await broker.layoutWritten();
    expect(broker.snapshot().notSaved).toBe(notSaved);

    await rm(layoutPath, { recursive: true });
    await broker.load('prod', { slot: true });
    expect(broker.snapshot().notSaved).toBeUndefined();
    expect(JSON.parse(await readFile(layoutPath, 'utf8'))).toMatchObject({ slots: ['prod'] });
  });

  it('starts empty, without failing, from a corrupt or foreign layout file', async () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as never;
    for (const content of ['{ broken', '{"version": 9}', '[]']) {
      await writeFile(join(home, LAYOUT_FILE), content);
      const store = createBrokerStore({ home, secrets, logger });
      const broker = new Broker({ clock: new ManualClock(), store, resolveSource: resolverFor() });
      await broker.restore();
      expect(broker.snapshot()).toEqual({
        defaultProfile: null,
        slots: [],
        entries: [],
        revision: expect.any(Number),
      });
    }
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe(
      `Ignoring ${join(home, LAYOUT_FILE)}: it is not valid JSON. Slots start empty.`,
    );
  });

  it('restores a layout file written before profiles had parents (version 1)', async () => {
    const clock = new ManualClock();
    const creds = fakeCredentials({ expiresAt: clock.now() + HOUR });
    await writeFile(
      join(home, LAYOUT_FILE),
      JSON.stringify({
        version: 1,
        defaultProfile: 'dev',
        slots: ['prod'],
        profiles: { dev: { refreshable: true }, prod: { refreshable: true } },
      }),
    );
    await secrets.set(
      credentialsAccount('dev'),
      JSON.stringify({ credentials: creds, obtainedAt: clock.now(), refreshCount: 1 }),
    );
    const dev = new FakeSource('dev', fakeCredentials());
    const prod = new FakeSource('prod', fakeCredentials({ expiresAt: clock.now() + HOUR }));
    const { broker, store } = brokerWith(clock, dev, prod);
    await broker.restore();
    expect((await broker.credentialsFor({ kind: 'default' })).credentials).toEqual(creds);
    await broker.credentialsFor({ kind: 'named', profile: 'prod' });
    expect([dev.calls, prod.calls]).toEqual([0, 1]);
    // The next write is in the current format.
    broker.unload('prod');
    await store.flush();
    expect(JSON.parse(await readFile(join(home, LAYOUT_FILE), 'utf8'))).toEqual({
      version: 2,
      defaultProfile: 'dev',
      slots: [],
      profiles: { dev: { refreshable: true } },
    });
  });

  it('ignores a keychain item that is not Rolecall credentials, and renews instead', async () => {
    const clock = new ManualClock();
    const first = brokerWith(
      clock,
      new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR })),
    );
    await first.broker.load('dev');
    await first.store.flush();
    await secrets.set(credentialsAccount('dev'), 'garbage');
    const dev = new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR }));
    const second = brokerWith(clock, dev);
    await second.broker.restore();
    await second.broker.credentialsFor({ kind: 'default' });
    expect(dev.calls).toBe(1);
  });
});
