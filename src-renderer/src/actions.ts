import { rolecallApi } from './rolecall';
import { useErrorStore, useProfilesStore, useSnapshotStore } from './stores';

/** Runs an API call, putting its snapshot in the store and its error, in words, on screen. */
async function act(run: () => Promise<unknown>): Promise<void> {
  try {
    const result = await run();
    if (result && typeof result === 'object' && 'entries' in result) {
      useSnapshotStore.setState({ snapshot: result as never });
    }
    useErrorStore.setState({ error: null });
  } catch (error) {
    useErrorStore.setState({ error: error instanceof Error ? error.message : String(error) });
  }
}

export const loadProfile = (profile: string, slot: boolean) =>
  act(() => rolecallApi().loadProfile({ profile, slot }));
export const unloadProfile = (profile: string) =>
  act(() => rolecallApi().unloadProfile({ profile }));

export async function refreshAll(): Promise<void> {
  await act(async () => {
    const [snapshot, profiles] = await Promise.all([
      rolecallApi().getSnapshot(),
      rolecallApi().listProfiles(),
    ]);
    useProfilesStore.setState({ profiles });
    return snapshot;
  });
}
