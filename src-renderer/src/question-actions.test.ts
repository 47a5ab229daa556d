import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RolecallApi } from '../../src-shared/api';
import type { InputRequestView } from '../../src-shared/input-request';
import { emptySnapshot, type Snapshot } from '../../src-shared/snapshot';
import { answerQuestion } from './question-actions';
import { showPushedSnapshot, useSnapshotStore } from './stores';

const question: InputRequestView = {
  key: 'mfa:arn:aws:iam::111122223333:mfa/alice',
  kind: 'mfa-code',
  prompt: 'Enter the MFA code of arn:aws:iam::111122223333:mfa/alice',
  mfaSerial: 'arn:aws:iam::111122223333:mfa/alice',
  waiting: ['admin'],
  since: '2026-12-01T00:00:00.000Z',
};

/** The load as the answer saw it: still running. */
const stillLoading: Snapshot = {
  ...emptySnapshot,
  loading: [{ profile: 'admin', slot: 'default', startedAt: '2026-12-01T00:00:00.000Z' }],
  revision: 7,
};
/** The load as the push after it says: done, and served. */
const loaded: Snapshot = { ...emptySnapshot, defaultProfile: 'admin', revision: 9 };

afterEach(() => {
  vi.unstubAllGlobals();
  useSnapshotStore.setState({ snapshot: emptySnapshot });
});

describe('answering a question while pushes arrive', () => {
  it('keeps the pushed state when the answer to the call arrives after it', async () => {
    let answer!: (snapshot: Snapshot) => void;
    const api: Partial<RolecallApi> = {
      answerInput: () => new Promise<Snapshot>((resolve) => (answer = resolve)),
    };
    vi.stubGlobal('window', { rolecall: api });

    const sent = answerQuestion(question, '123456');
    showPushedSnapshot(loaded);
    answer(stillLoading);
    await sent;

    expect(useSnapshotStore.getState().snapshot).toEqual(loaded);
  });

  it('shows the answer when it is the latest state', async () => {
    vi.stubGlobal('window', {
      rolecall: { answerInput: async () => ({ ...loaded, revision: 10 }) },
    });
    showPushedSnapshot(stillLoading);
    await answerQuestion(question, '123456');
    expect(useSnapshotStore.getState().snapshot.revision).toBe(10);
  });

  it('takes every push, even one that counts from zero again (a restarted core)', () => {
    showPushedSnapshot(loaded);
    showPushedSnapshot({ ...emptySnapshot, revision: 0 });
    expect(useSnapshotStore.getState().snapshot.revision).toBe(0);
  });
});
