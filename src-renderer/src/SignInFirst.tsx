import { startSignInAndShow } from './sign-in-actions';
import { useSessionsStore } from './stores';

/**
 * Instead of Load, for a profile whose IAM Identity Center session is signed out: say so, and
 * offer the sign-in (in the browser; the session's own row also offers a code).
 */
export function SignInFirst({ session, profile }: { session: string; profile: string }) {
  const waiting = useSessionsStore(
    (state) =>
      Boolean(state.following[session]) ||
      Boolean(state.sessions.find((candidate) => candidate.name === session)?.signIn),
  );
  return (
    <span className="buttons sign-in-first">
      <span className="not-loadable">Sign in to {session} first.</span>
      <button
        type="button"
        disabled={waiting}
        aria-label={`Sign in to ${session} to load ${profile}`}
        onClick={() => void startSignInAndShow(session)}
      >
        {waiting ? 'Signing in…' : 'Sign in'}
      </button>
    </span>
  );
}
