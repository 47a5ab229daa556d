import { questionsFor } from '../../src-shared/questions';
import { formatTimeLeft } from '../../src-shared/time';
import { openConsole } from './actions';
import { Chip } from './design/Chip';
import { ConsoleIcon, CopyIcon, SlotIcon, SwitchIcon, WindowIcon } from './design/icons';
import { TimeBar } from './design/TimeBar';
import { Toasts } from './design/Toasts';
import { MessageText } from './MessageText';
import { QuickPicks } from './ProfileList';
import { QuestionDialog, QuestionList } from './QuestionDialog';
import { addressOf } from './route';
import { copyDefaultExports } from './run-command';
import { WaitingSignIns } from './SessionList';
import { slotRows } from './slot-rows';
import { useErrorStore, useServerStore, useSnapshotStore } from './stores';
import { Teach, useTeaching } from './Teach';
import { cannotRenewBecause, timeLeft } from './time-left';
import { useLiveRolecall } from './use-live';
import { useNow } from './use-now';

/**
 * The tray's popover: what is loaded with its time left, the pinned and recent profiles to
 * switch the default slot in one click, Open console and Copy exports for the default slot, and
 * any question waiting (its dialog opens here too). Everything else is in the full window.
 */
export function Popover() {
  const error = useErrorStore((state) => state.error);
  const defaultProfile = useSnapshotStore((state) => state.snapshot.defaultProfile);
  const teaching = useTeaching();
  useLiveRolecall();
  const errorTaught = teaching?.kind === 'server-off' || teaching?.kind === 'keychain-locked';
  return (
    <main className="popover">
      <header className="popover-header">
        <h1>
          <span className="brand-mark" aria-hidden="true" />
          Rolecall
        </h1>
        {!window.rolecall && (
          <a className="header-link" href={addressOf('window', window.location.pathname)}>
            <WindowIcon className="icon" />
            Full window
          </a>
        )}
      </header>
      {error && !errorTaught && (
        <p role="alert" className="alert">
          <MessageText text={error} />
        </p>
      )}
      {teaching && <Teach teaching={teaching} compact />}
      <QuestionList compact />
      <WaitingSignIns />
      <section aria-labelledby="popover-loaded" className="popover-section">
        <h2 id="popover-loaded">Loaded</h2>
        <LoadedSlots />
      </section>
      <section aria-labelledby="popover-switch" className="popover-section">
        <h2 id="popover-switch">Switch the default slot</h2>
        <QuickPicks />
        <p className="muted hint-line">Pin profiles in the full window to keep them here.</p>
      </section>
      <div className="popover-actions">
        <button
          type="button"
          disabled={!defaultProfile}
          onClick={() => defaultProfile && void openConsole(defaultProfile)}
          aria-label={defaultProfile ? `Open console as ${defaultProfile}` : 'Open console'}
        >
          <ConsoleIcon className="icon" />
          Open console
        </button>
        <button type="button" disabled={!defaultProfile} onClick={() => void copyDefaultExports()}>
          <CopyIcon className="icon" />
          Copy exports
        </button>
      </div>
      <QuestionDialog onSignIn={() => undefined} />
      <Toasts />
    </main>
  );
}

/** Each filled slot: its name, profile, state, and the bar of its time left with the words. */
function LoadedSlots() {
  const serverUrl = useServerStore((state) => state.info?.url ?? null);
  const snapshot = useSnapshotStore((state) => state.snapshot);
  const now = useNow();
  const rows = slotRows(snapshot, serverUrl);
  if (rows.length === 0) return <p className="empty">Nothing is loaded.</p>;
  return (
    <ul className="list card popover-slots">
      {rows.map(({ kind, name, profile }) => {
        const entry = snapshot.entries.find((candidate) => candidate.profile === profile);
        const [question] = questionsFor(snapshot, profile);
        const shown = entry
          ? timeLeft(entry, now, question ? cannotRenewBecause(question.kind) : null)
          : null;
        return (
          <li key={`${kind}:${profile}`} className="popover-slot" data-state={entry?.state}>
            <span className="popover-slot-head">
              {kind === 'default' ? <SwitchIcon className="icon" /> : <SlotIcon className="icon" />}
              <span className="profile-name">{profile}</span>
              <span className="muted">
                {kind === 'default' ? 'default slot' : name && 'own slot'}
              </span>
              {entry?.expiresAt && (
                <span className="countdown">
                  {formatTimeLeft(Date.parse(entry.expiresAt) - now)}
                </span>
              )}
            </span>
            {shown && <TimeBar {...shown} />}
            {shown && (
              <span className="time-words">
                {entry && entry.state !== 'fresh' && (
                  <Chip tone={entry.state} className="state">
                    {entry.state === 'needs-input' ? 'waiting for you' : entry.state}
                  </Chip>
                )}
                {shown.words}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
