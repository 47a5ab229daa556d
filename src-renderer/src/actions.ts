import { rolecallApi } from './rolecall';
import { useErrorStore, useProfilesStore, useSessionsStore, useSnapshotStore } from './stores';

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
    const [snapshot, profiles, sessions] = await Promise.all([
      rolecallApi().getSnapshot(),
      rolecallApi().listProfiles(),
      rolecallApi().listSessions(),
    ]);
    useProfilesStore.setState({ profiles });
    useSessionsStore.setState({ sessions });
    return snapshot;
  });
}

/** How often to look for the end of a sign-in the user is finishing elsewhere. */
const SIGN_IN_POLL_MS = 1500;

export async function startSignIn(session: string, flow: 'device' | 'pkce'): Promise<void> {
  await act(async () => {
    const started = await rolecallApi().startSignIn({ session, flow });
    useSessionsStore.setState({ started });
    // Until the session reports done (signed in, or an error), keep looking.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, SIGN_IN_POLL_MS));
      const sessions = await rolecallApi().listSessions();
      useSessionsStore.setState({ sessions });
      if (!sessions.find((candidate) => candidate.name === session)?.signingIn) break;
    }
    useSessionsStore.setState({ started: null });
    const failed = useSessionsStore
      .getState()
      .sessions.find((candidate) => candidate.name === session)?.signInError;
    if (failed) throw new Error(failed);
    await refreshAll();
    return null;
  });
}

export const signOut = (session: string) =>
  act(async () => {
    const snapshot = await rolecallApi().signOut({ session });
    await refreshAll();
    return snapshot;
  });
