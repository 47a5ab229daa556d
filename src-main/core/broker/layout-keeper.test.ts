import { describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../../test/helpers/fake-source';
import { newEntry } from './entry';
import { LayoutKeeper, layoutOf } from './layout-keeper';
import type { BrokerStore, PersistedLayout } from './persistence';
import { defaultRefreshPolicy } from './refresh-policy';
import { SlotTable } from './slot-table';

/** A store whose layout writes succeed or fail as scripted, in order. */
function scriptedStore(outcomes: Array<string | null>) {
  const written: PersistedLayout[] = [];
  const store: BrokerStore = {
    loadLayout: async () => null,
    saveLayout: async (layout) => {
      written.push(layout);
      return outcomes.shift() ?? null;
    },
    loadCredentials: async () => null,
    saveCredentials: () => {},
    deleteCredentials: () => {},
    flush: async () => {},
  };
  return { store, written };
}

const empty = (): PersistedLayout => ({
  version: 2,
  defaultProfile: null,
  slots: [],
  profiles: {},
});

describe('LayoutKeeper', () => {
  it('remembers why the last write failed until one succeeds, and says when that changes', async () => {
    const { store } = scriptedStore(['cannot save', 'cannot save', null]);
    let changes = 0;
    const keeper = new LayoutKeeper(store, () => (changes += 1));

    await keeper.save(empty);
    expect([keeper.notSaved, changes]).toEqual(['cannot save', 1]);
    await keeper.save(empty);
    expect([keeper.notSaved, changes]).toEqual(['cannot save', 1]);
    void keeper.save(empty);
    await keeper.written();
    expect([keeper.notSaved, changes]).toEqual([null, 2]);
  });

  it('builds no layout and writes nothing without a store', async () => {
    const keeper = new LayoutKeeper(null, () => {});
    await keeper.save(() => {
      throw new Error('no layout should be built');
    });
    expect(keeper.notSaved).toBeNull();
  });
});

describe('layoutOf', () => {
  it('names slots and per-profile policy, and leaves out what has nothing to restore', () => {
    const slots = new SlotTable();
    slots.fill('dev', 'default');
    slots.fill('prod', 'named');
    const dev = newEntry(
      'dev',
      { profile: 'dev', fetch: async () => fakeCredentials() },
      defaultRefreshPolicy,
    );
    dev.overrides = { everyMs: 600_000 };
    const pushed = newEntry('prod', null, defaultRefreshPolicy);
    pushed.credentials = fakeCredentials();
    const loading = newEntry('new', null, defaultRefreshPolicy);
    const base = newEntry(
      'base',
      { profile: 'base', fetch: async () => fakeCredentials() },
      defaultRefreshPolicy,
    );
    const parents = new Map([['dev', ['base']]]);
    expect(
      layoutOf([dev, pushed, loading, base], slots, (profile) => parents.get(profile) ?? []),
    ).toEqual({
      version: 2,
      defaultProfile: 'dev',
      slots: ['prod'],
      profiles: {
        dev: { refreshable: true, policy: { everyMs: 600_000 }, parents: ['base'] },
        prod: { refreshable: false },
        // In no slot, but dev is made from it.
        base: { refreshable: true },
      },
    });
  });
});
