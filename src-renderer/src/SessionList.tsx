import type { PendingSignIn, SsoSessionView } from '../../src-shared/sso-session';
import { signOut } from './actions';
import { Chip } from './design/Chip';
import { MessageText } from './MessageText';
import { cancelSignIn, signInBoxId, startSignIn } from './sign-in-actions';
import { useSessionsStore, type FollowedSignIn } from './stores';

/**
 * IAM Identity Center sessions: signed in until when, sign in (with a code or in the browser),
 * follow or cancel a sign-in that waits (whoever started it), sign out.
 */
export function SessionList() {
  const sessions = useSessionsStore((state) => state.sessions);
  const following = useSessionsStore((state) => state.following);
  const errors = useSessionsStore((state) => state.errors);
  if (sessions.length === 0) return null;
  return (
    <section aria-labelledby="sessions-heading" className="sessions">
      <h2 id="sessions-heading">IAM Identity Center</h2>
      <ul className="list card">
        {sessions.map((session) => {
          const followed = following[session.name];
          const waiting =
            followed ??
            (session.signIn ? { flow: session.signIn.flow, started: session.signIn } : null);
          const error = errors[session.name] ?? session.signInError;
          return (
            <li key={session.name} className="session">
              <div className="session-row">
                <span>
                  <strong>{session.name}</strong>{' '}
                  <Chip
                    tone={waiting ? 'refreshing' : session.signedIn ? 'fresh' : 'neutral'}
                    className="session-state"
                  >
                    {stateWords(session, waiting)}
                  </Chip>
                </span>
                <span className="buttons">
                  {waiting ? (
                    <button type="button" onClick={() => void cancelSignIn(session.name)}>
                      Cancel the sign-in to {session.name}
                    </button>
                  ) : session.signedIn ? (
                    <button type="button" onClick={() => void signOut(session.name)}>
                      Sign out of {session.name}
                    </button>
                  ) : (
                    <>
                      <button
                        type="button"
                        onClick={() => void startSignIn(session.name, 'device')}
                      >
                        Sign in to {session.name} with a code
                      </button>
                      <button type="button" onClick={() => void startSignIn(session.name, 'pkce')}>
                        Sign in to {session.name} in the browser
                      </button>
                    </>
                  )}
                </span>
              </div>
              {waiting && <WaitingSignIn session={session.name} waiting={waiting} />}
              {error && !waiting && (
                <p className="error-detail">
                  <MessageText text={error} />
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function stateWords(session: SsoSessionView, waiting: FollowedSignIn | null): string {
  if (waiting) return waiting.started ? 'signing in…' : 'starting the sign-in…';
  if (session.signedIn)
    return `signed in${session.expiresAt ? ` until ${new Date(session.expiresAt).toLocaleString()}` : ''}`;
  return 'not signed in';
}

/** What the user does to finish a sign-in that waits, and who started it when it was not here. */
export function WaitingSignIn({ session, waiting }: { session: string; waiting: FollowedSignIn }) {
  const started: PendingSignIn | null = waiting.started;
  return (
    <div className="sign-in" role="status" id={signInBoxId(session)} tabIndex={-1}>
      {!started ? (
        <p>Starting the sign-in to {session}…</p>
      ) : started.userCode ? (
        <p>
          Open{' '}
          <a href={started.url ?? started.verificationUri} target="_blank" rel="noreferrer">
            {started.verificationUri}
          </a>{' '}
          and confirm the code <code className="user-code">{started.userCode}</code>.
        </p>
      ) : started.url ? (
        <p>
          Finish in your browser:{' '}
          <a href={started.url} target="_blank" rel="noreferrer">
            continue signing in to {session}
          </a>
          .
        </p>
      ) : (
        <p>A sign-in to {session} is waiting in the browser.</p>
      )}
      {started?.startedBy === 'terminal' && (
        <p className="muted">
          It was started with <code>rolecall login</code> in a terminal; finish it there, or cancel
          it here.
        </p>
      )}
    </div>
  );
}

/**
 * Only the sign-ins that wait, each with its link or code and Cancel: for the popover, which has
 * no room for every session but must show where a sign-in it started is finished.
 */
export function WaitingSignIns() {
  const sessions = useSessionsStore((state) => state.sessions);
  const following = useSessionsStore((state) => state.following);
  const waiting = sessions.flatMap((session) => {
    const followed =
      following[session.name] ??
      (session.signIn ? { flow: session.signIn.flow, started: session.signIn } : null);
    return followed ? [{ session: session.name, followed }] : [];
  });
  if (waiting.length === 0) return null;
  return (
    <section aria-label="Signing in" className="popover-section">
      {waiting.map(({ session, followed }) => (
        <div key={session}>
          <WaitingSignIn session={session} waiting={followed} />
          <button type="button" className="ghost" onClick={() => void cancelSignIn(session)}>
            Cancel the sign-in to {session}
          </button>
        </div>
      ))}
    </section>
  );
}
