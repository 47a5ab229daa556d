import type { Entry } from './entry';
import type { BrokerStore, PersistedLayout } from './persistence';
import type { SlotTable } from './slot-table';

/**
 * Keeps `layout.json` in step with the slots, and remembers whether the last write failed, so
 * the user can be told that the slots as they are will not survive a restart.
 */
export class LayoutKeeper {
  private problem: string | null = null;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: BrokerStore | null,
    private readonly onProblemChanged: () => void,
  ) {}

  /** Writes the layout `current()` returns; resolves once written (or not: see `notSaved`). */
  save(current: () => PersistedLayout): Promise<void> {
    if (!this.store) return this.lastWrite;
    // Writes finish in the order they were issued, so the last to finish tells the truth.
    const write = this.store.saveLayout(current()).then((problem) => {
      if (problem === this.problem) return;
      this.problem = problem;
      this.onProblemChanged();
    });
    this.lastWrite = write;
    return write;
  }

  /** Resolves once every write issued so far has ended. */
  written(): Promise<void> {
    return this.lastWrite;
  }

  /** Why the slots as they are now will not survive a restart; null when they will. */
  get notSaved(): string | null {
    return this.problem;
  }
}

/**
 * Which profile is in which slot, per-profile policy, and what each is made from: what a restart
 * needs, no secrets.
 */
export function layoutOf(
  entries: Iterable<Entry>,
  slots: SlotTable,
  parentsOf: (profile: string) => string[],
): PersistedLayout {
  const profiles: PersistedLayout['profiles'] = {};
  for (const entry of entries) {
    if (!entry.credentials && !entry.source) continue;
    const parents = parentsOf(entry.profile);
    profiles[entry.profile] = {
      refreshable: entry.source !== null || entry.sourceError !== null,
      ...(Object.keys(entry.overrides).length ? { policy: entry.overrides } : {}),
      ...(parents.length ? { parents } : {}),
    };
  }
  return {
    version: 2,
    defaultProfile: slots.defaultSlot,
    slots: slots.namedSlots(),
    profiles,
  };
}
