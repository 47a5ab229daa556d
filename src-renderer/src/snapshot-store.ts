import { create } from 'zustand';
import { emptySnapshot, type Snapshot } from '../../src-shared/snapshot';

interface SnapshotState {
  snapshot: Snapshot;
  error: string | null;
}

/** What the core last reported; written from outside React when the API answers. */
export const useSnapshotStore = create<SnapshotState>(() => ({
  snapshot: emptySnapshot,
  error: null,
}));
