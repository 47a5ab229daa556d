import { refreshAll } from './actions';
import { MOVE_IN_FROM } from './move-in';
import { AddProfileIcon, LockedIcon, RetryIcon, ServerOffIcon, SignInIcon } from './design/icons';
import { teachingFor, type Teaching } from './empty-state';
import { MessageText } from './MessageText';
import { startSignInAndShow } from './sign-in-actions';
import { useErrorStore, useMoveInStore, useProfilesStore, useSessionsStore } from './stores';

const icons: Record<Teaching['kind'], typeof LockedIcon> = {
  'server-off': ServerOffIcon,
  'keychain-locked': LockedIcon,
  'no-sign-in': SignInIcon,
  'no-profiles': AddProfileIcon,
};

/** The state that teaches (empty-state.ts), if the window is in one. */
export function useTeaching(): Teaching | null {
  const error = useErrorStore((state) => state.error);
  const profiles = useProfilesStore((state) => state.profiles);
  const listed = useProfilesStore((state) => state.listed);
  const sessions = useSessionsStore((state) => state.sessions);
  return teachingFor({ error, profiles, sessions, listed });
}

/** What happened, why, and the one button that fixes it. */
export function Teach({ teaching, compact = false }: { teaching: Teaching; compact?: boolean }) {
  const Icon = icons[teaching.kind];
  const { action } = teaching;
  return (
    <section
      className={`teach${compact ? ' compact' : ''}`}
      aria-labelledby="teach-title"
      data-teaching={teaching.kind}
    >
      <h2 id="teach-title" className="teach-title">
        <Icon className="icon" />
        {teaching.title}
      </h2>
      <p>
        <MessageText text={teaching.body} />
      </p>
      {teaching.example && !compact && (
        <pre aria-label="An example profile">
          <code>{teaching.example}</code>
        </pre>
      )}
      <button
        type="button"
        className="primary"
        onClick={() =>
          void (action.kind === 'retry' ? refreshAll() : startSignInAndShow(action.session))
        }
      >
        {action.kind === 'retry' ? <RetryIcon className="icon" /> : <SignInIcon className="icon" />}
        {action.label}
      </button>
      {teaching.moveIn && !compact && (
        <div className="row move-in-buttons" role="group" aria-label="Move in from another tool">
          {MOVE_IN_FROM.map(({ from, tool }) => (
            <button key={from} type="button" onClick={() => useMoveInStore.setState({ from })}>
              Move in from {tool}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
