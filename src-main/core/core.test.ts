import { describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MfaSource, ParentedSource } from '../../test/helpers/chain-sources';
import { FakeSource, fakeCredentials, resolverFor } from '../../test/helpers/fake-source';
import { ManualClock } from '../../test/helpers/manual-clock';
import type { BrokerStore, PersistedLayout } from './broker/persistence';
import { createCore } from './core';
import { createMemoryStore } from './secrets/memory-store';

/** A store whose layout writes finish when the test says, with the outcome the test gives. */
function heldStore(outcome: string | null = null) {
  const waiting: Array<() => void> = [];
  const written: PersistedLayout[] = [];
  const store: BrokerStore = {
    loadLayout: async () => null,
    saveLayout: (layout) =>
      new Promise((resolve) => {
        waiting.push(() => {
          written.push(layout);
          resolve(outcome);
        });
      }),
    loadCredentials: async () => null,
    saveCredentials: () => {},
    deleteCredentials: () => {},
    flush: async () => {},
  };
  return {
    store,
    written,
    get pending() {
      return waiting.length;
    },
    finishWrites: () => {
      for (const finish of waiting.splice(0)) finish();
    },
  };
}

describe('createCore', () => {
  it('answers a load with what that load produced, even when the profile is unloaded before the answer', async () => {
    const clock = new ManualClock();
    const expiresAt = clock.now() + 3_600_000;
    const held = heldStore();
    const core = createCore({
      secrets: createMemoryStore(),
      clock,
      store: held.store,
      resolveSource: resolverFor(new FakeSource('p', fakeCredentials({ expiresAt }))),
    });

    const answer = core.api.loadProfile({ profile: 'p', slot: true });
    await vi.waitFor(() => expect(held.pending).toBe(1));
    core.broker.unload('p');
    held.finishWrites();

    expect(await answer).toMatchObject({
      loaded: { profile: 'p', slot: 'named', expiresAt: new Date(expiresAt).toISOString() },
      slots: [],
      entries: [],
    });
  });

  it('answers an unload once its layout write has ended, saying when it was not saved', async () => {
    const clock = new ManualClock();
    const notSaved = 'Rolecall could not save which profiles are loaded (test).';
    const held = heldStore(notSaved);
    const core = createCore({
      secrets: createMemoryStore(),
      clock,
      store: held.store,
      resolveSource: resolverFor(new FakeSource('p', fakeCredentials())),
    });
    const loaded = core.api.loadProfile({ profile: 'p' });
    await vi.waitFor(() => expect(held.pending).toBe(1));
    held.finishWrites();
    expect((await loaded).notSaved).toBe(notSaved);

    let answered = false;
    const unloaded = core.api.unloadProfile({ profile: 'p' }).finally(() => (answered = true));
    await vi.waitFor(() => expect(held.pending).toBe(1));
    expect(answered).toBe(false);
    held.finishWrites();
    expect(await unloaded).toMatchObject({ defaultProfile: null, notSaved });
    expect(held.written.at(-1)).toMatchObject({ defaultProfile: null, profiles: {} });
  });

  it('answers and dismisses questions through the API, and a load’s MFA code answers its own', async () => {
    const clock = new ManualClock();
    const core = createCore({
      secrets: createMemoryStore(),
      clock,
      resolveSource: resolverFor(
        new MfaSource('keys', clock),
        new ParentedSource('admin', ['keys'], clock),
        new MfaSource('other', clock, { serial: 'arn:aws:iam::123456789012:mfa/bob' }),
      ),
    });
    const loading = core.api.loadProfile({ profile: 'admin', slot: true });
    const key = 'mfa:arn:aws:iam::123456789012:mfa/alice';
    await vi.waitFor(async () =>
      expect((await core.api.getSnapshot(undefined)).inputRequests?.map((r) => r.key)).toEqual([
        key,
      ]),
    );
    await core.api.answerInput({ key, answer: '123456' });
    expect((await loading).loaded).toMatchObject({ profile: 'admin', slot: 'named' });

    const other = core.api.loadProfile({ profile: 'other' }).catch((error: Error) => error);
    const otherKey = 'mfa:arn:aws:iam::123456789012:mfa/bob';
    await vi.waitFor(async () =>
      expect((await core.api.getSnapshot(undefined)).inputRequests?.map((r) => r.key)).toEqual([
        otherKey,
      ]),
    );
    expect((await core.api.dismissInput({ key: otherKey })).inputRequests).toBeUndefined();
    expect(await other).toMatchObject({ code: 'input-dismissed' });
    await expect(core.api.dismissInput({ key: otherKey })).rejects.toMatchObject({ status: 404 });

    const answered = await core.api.loadProfile({ profile: 'other', mfaCode: '123456' });
    expect(answered.inputRequests).toBeUndefined();
    expect(answered.defaultProfile).toBe('other');
  });

  it('refuses to unload a profile that is only loaded as the parent of another, saying which', async () => {
    const clock = new ManualClock();
    const core = createCore({
      secrets: createMemoryStore(),
      clock,
      resolveSource: resolverFor(
        new ParentedSource('admin', ['base'], clock),
        new ParentedSource('base', [], clock),
      ),
    });
    await core.api.loadProfile({ profile: 'admin', slot: true });
    await expect(core.api.unloadProfile({ profile: 'base' })).rejects.toMatchObject({
      status: 409,
      message:
        'Profile base is in no slot; it stays loaded because admin is made from it. Unload admin to unload it too.',
    });
    await core.api.unloadProfile({ profile: 'admin' });
    expect((await core.api.getSnapshot(undefined)).entries).toEqual([]);
  });
});

describe("the AWS files' [default] profile", () => {
  async function coreWith(config: string | null, credentials = '') {
    const dir = await mkdtemp(join(tmpdir(), 'rolecall-core-default-'));
    const configFile = join(dir, 'config');
    const credentialsFile = join(dir, 'credentials');
    if (config !== null) await writeFile(configFile, config);
    await writeFile(credentialsFile, credentials);
    const core = createCore({
      secrets: createMemoryStore(),
      clock: new ManualClock(),
      resolveSource: resolverFor(),
      profileFiles: { configFile, credentialsFile },
    });
    return { core, done: () => rm(dir, { recursive: true, force: true }) };
  }

  it('is what an SDK would find first: keys in the credentials file, a credential_process', async () => {
    const keys = await coreWith(
      '',
      '[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n',
    );
    expect(await keys.core.api.awsDefaultProfile(undefined)).toMatchObject({
      name: 'default',
      kind: 'static',
      keysIn: 'credentials-file',
    });
    await keys.done();
    const helper = await coreWith('[default]\ncredential_process = /bin/true\n');
    expect(await helper.core.api.awsDefaultProfile(undefined)).toMatchObject({
      name: 'default',
      kind: 'credential_process',
    });
    await helper.done();
  });

  it('is null without one, and when the files cannot be read as the AWS CLI reads them', async () => {
    for (const config of ['[profile dev]\nregion = eu-west-1\n', null, '[profile broken\n']) {
      const { core, done } = await coreWith(config);
      expect(await core.api.awsDefaultProfile(undefined), String(config)).toBeNull();
      await done();
    }
  });
});
