import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RolecallApi } from '../../src-shared/api';
import { emptySnapshot, type Snapshot } from '../../src-shared/snapshot';
import { refreshAll } from './actions';
import { useErrorStore, useProfilesStore, useSnapshotStore } from './stores';

const loaded: Snapshot = { ...emptySnapshot, defaultProfile: 'dev' };
const serverInfo = {
  url: 'http://127.0.0.1:4144/',
  host: '127.0.0.1',
  port: 4144,
  tls: false,
  pid: 1,
  version: '0.1.0',
  startedAt: '2026-11-30T00:00:00.000Z',
};
const refusal =
  '/home/me/.aws/config line 3: `[profile broken` is not a section header (it has no closing `]`).';

function withApi(api: Partial<RolecallApi>): void {
  vi.stubGlobal('window', { rolecall: api });
}

afterEach(() => {
  vi.unstubAllGlobals();
  useSnapshotStore.setState({ snapshot: emptySnapshot });
  useProfilesStore.setState({ profiles: [] });
  useErrorStore.setState({ error: null });
});

describe('refreshAll', () => {
  it('shows what is loaded, and the refusal, when the AWS config cannot be listed', async () => {
    useProfilesStore.setState({ profiles: [{ name: 'old', kind: 'static', loadable: false }] });
    withApi({
      getSnapshot: async () => loaded,
      listProfiles: async () => {
        throw new Error(refusal);
      },
      listSessions: async () => [],
      getServerInfo: async () => serverInfo,
    });
    await refreshAll();
    expect(useSnapshotStore.getState().snapshot).toEqual(loaded);
    expect(useProfilesStore.getState().profiles).toEqual([]);
    expect(useErrorStore.getState().error).toBe(refusal);
  });

  it('clears the error once the profiles list again', async () => {
    useErrorStore.setState({ error: refusal });
    const profiles = [{ name: 'dev', kind: 'credential_process' as const, loadable: true }];
    withApi({
      getSnapshot: async () => loaded,
      listProfiles: async () => profiles,
      listSessions: async () => [],
      getServerInfo: async () => serverInfo,
    });
    await refreshAll();
    expect(useProfilesStore.getState().profiles).toEqual(profiles);
    expect(useErrorStore.getState().error).toBeNull();
  });
});
