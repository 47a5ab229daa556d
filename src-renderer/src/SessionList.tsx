import { signOut, startSignIn } from './actions';
import { useSessionsStore } from './stores';

/** IAM Identity Center sessions: signed in until when, sign in (device code or browser), sign out. */
export function SessionList() {
  const sessions = useSessionsStore((state) => state.sessions);
  const started = useSessionsStore((state) => state.started);
  if (sessions.length === 0) return null;
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">IAM Identity Center</h2>
      <ul>
        {sessions.map((session) => (
          <li key={session.name}>
            <span>
              <strong>{session.name}</strong>{' '}
              <span className="muted">
                {session.signingIn
                  ? 'waiting for you to finish signing in…'
                  : session.signedIn
                    ? `signed in${session.expiresAt ? ` until ${new Date(session.expiresAt).toLocaleString()}` : ''}`
                    : 'not signed in'}
              </span>
              {session.signInError && <span className="error-detail"> {session.signInError}</span>}
            </span>
            <span className="buttons">
              {session.signedIn ? (
                <button type="button" onClick={() => void signOut(session.name)}>
                  Sign out of {session.name}
                </button>
              ) : (
                <>
                  <button
                    type="button"
                    disabled={session.signingIn}
                    onClick={() => void startSignIn(session.name, 'device')}
                  >
                    Sign in to {session.name} with a code
                  </button>
                  <button
                    type="button"
                    disabled={session.signingIn}
                    onClick={() => void startSignIn(session.name, 'pkce')}
                  >
                    Sign in with the browser
                  </button>
                </>
              )}
            </span>
          </li>
        ))}
      </ul>
      {started && (
        <div className="sign-in" role="status">
          {started.userCode ? (
            <p>
              Open{' '}
              <a href={started.url} target="_blank" rel="noreferrer">
                {started.verificationUri}
              </a>{' '}
              and confirm the code <code className="user-code">{started.userCode}</code>.
            </p>
          ) : (
            <p>
              Finish in your browser:{' '}
              <a href={started.url} target="_blank" rel="noreferrer">
                continue signing in to {started.session}
              </a>
              .
            </p>
          )}
        </div>
      )}
    </section>
  );
}
