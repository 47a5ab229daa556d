import { refreshAll } from './actions';
import { rolecallApi } from './rolecall';
import { useSessionsStore, type FollowedSignIn } from './stores';

/** How often to look for the end of a sign-in the user is finishing elsewhere. */
const SIGN_IN_POLL_MS = 1000;

/** Sessions whose sign-in was cancelled here before the core had answered that it started. */
const cancelledWhileStarting = new Set<string>();

function follow(session: string, value: FollowedSignIn | null): void {
  useSessionsStore.setState((state) => {
    const following = { ...state.following };
    if (value) following[session] = value;
    else delete following[session];
    return { following };
  });
}

function showError(session: string, message: string | null): void {
  useSessionsStore.setState((state) => {
    const errors = { ...state.errors };
    if (message) errors[session] = message;
    else delete errors[session];
    return { errors };
  });
}

const following = (session: string) => useSessionsStore.getState().following[session];
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts a sign-in and follows it to its end. The window shows it at once (the buttons give way to
 * Cancel before the core answers), a click while one is starting does nothing, and a sign-in
 * already waiting — started here, in another window or in a terminal — is shown, not an error.
 */
export async function startSignIn(session: string, flow: 'device' | 'pkce'): Promise<void> {
  if (following(session)) return;
  follow(session, { flow, started: null });
  showError(session, null);
  try {
    const started = await rolecallApi().startSignIn({ session, flow });
    if (cancelledWhileStarting.delete(session) || !following(session)) {
      // Cancelled while the core was starting it: cancel what it started, too.
      await rolecallApi().cancelSignIn({ session });
      return;
    }
    follow(session, { flow: started.flow, started });
    await followUntilDone(session);
  } catch (error) {
    const cancelledHere = cancelledWhileStarting.delete(session) || !following(session);
    follow(session, null);
    if (!cancelledHere) showError(session, messageOf(error));
  }
}

/** Looks until the session is no longer signing in, then shows how it ended. */
async function followUntilDone(session: string): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SIGN_IN_POLL_MS));
    // Cancelled here: cancelSignIn already brought the sessions up to date.
    if (!following(session)) return;
    const sessions = await rolecallApi().listSessions();
    useSessionsStore.setState({ sessions });
    const view = sessions.find((candidate) => candidate.name === session);
    if (view?.signingIn) continue;
    follow(session, null);
    if (view?.signInError) showError(session, view.signInError);
    await refreshAll();
    return;
  }
}

/** Cancels the session's waiting sign-in, wherever it was started; the window lets go at once. */
export async function cancelSignIn(session: string): Promise<void> {
  if (following(session)?.started === null) cancelledWhileStarting.add(session);
  follow(session, null);
  showError(session, null);
  try {
    useSessionsStore.setState({ sessions: await rolecallApi().cancelSignIn({ session }) });
  } catch (error) {
    showError(session, messageOf(error));
  }
}

/**
 * Starts a sign-in from elsewhere in the window (a profile that needs one, a question asking for
 * it) and brings the session's sign-in into view, where its link or code is.
 */
export async function startSignInAndShow(
  session: string,
  flow: 'device' | 'pkce' = 'pkce',
): Promise<void> {
  const started = startSignIn(session, flow);
  requestAnimationFrame(() => {
    const box = document.getElementById(signInBoxId(session));
    box?.scrollIntoView({ block: 'nearest' });
    box?.focus();
  });
  await started;
}

/** The id of the element that shows a session's waiting sign-in. */
export function signInBoxId(session: string): string {
  return `sign-in-${encodeURIComponent(session)}`;
}
