import { questionsFor, waitingForWords } from '../../src-shared/questions';
import type { EntryView } from '../../src-shared/snapshot';
import { formatElapsed, formatTimeLeft } from '../../src-shared/time';
import { unloadProfile } from './actions';
import { slotRows } from './slot-rows';
import { useServerStore, useSnapshotStore } from './stores';
import { useNow } from './use-now';
import { MessageText } from './MessageText';
import { Chip } from './design/Chip';
import { SlotIcon, SwitchIcon, UnloadIcon } from './design/icons';
import { TimeBar } from './design/TimeBar';
import { cannotRenewBecause, timeLeft } from './time-left';

const stateWords: Record<EntryView['state'], string> = {
  fresh: 'fresh',
  refreshing: 'renewing…',
  stale: 'renewal failing',
  expired: 'expired',
  failed: 'failed',
  'needs-input': 'waiting for you',
};

/**
 * Loaded slots, then loads still waiting for their source, and a note when the slots will not
 * survive a restart.
 */
export function SlotList() {
  const notSaved = useSnapshotStore((state) => state.snapshot.notSaved);
  return (
    <>
      {notSaved && (
        <p className="alert" role="status">
          <MessageText text={notSaved} />
        </p>
      )}
      <SlotTable />
    </>
  );
}

/**
 * Each slot's name and the URL AWS tools fetch it from, its profile, its state, its time left as
 * a bar with the renewal point marked and words beside it, and, when something is wrong, why;
 * each load in progress and how long it has waited. In a narrow window each row is stacked
 * (styles.css); the labels that the column headers give in a wide one are then shown.
 */
function SlotTable() {
  const serverUrl = useServerStore((state) => state.info?.url ?? null);
  const snapshot = useSnapshotStore((state) => state.snapshot);
  const rows = slotRows(snapshot, serverUrl);
  const entries = snapshot.entries;
  const loading = snapshot.loading ?? [];
  const now = useNow();
  if (rows.length === 0 && loading.length === 0)
    return <p className="empty card">Nothing is loaded. Load a profile below.</p>;
  return (
    <div className="card">
      <table className="slots" aria-label="Loaded slots">
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Profile</th>
            <th scope="col">State</th>
            <th scope="col">Time left</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ kind, name, profile, url }) => {
            const entry = entries.find((candidate) => candidate.profile === profile);
            const left = entry?.expiresAt
              ? formatTimeLeft(Date.parse(entry.expiresAt) - now)
              : 'never';
            // Itself, or through the profile it is made from.
            const waiting = waitingForWords(snapshot, profile);
            const [question] = questionsFor(snapshot, profile);
            const shown = entry
              ? timeLeft(entry, now, question ? cannotRenewBecause(question.kind) : null)
              : null;
            return (
              <tr key={`${kind}:${profile}`} data-state={entry?.state}>
                <td className="slot">
                  <span className="slot-name">
                    {kind === 'default' ? (
                      <SwitchIcon className="icon" />
                    ) : (
                      <SlotIcon className="icon" />
                    )}
                    {name}
                  </span>
                  {url ? (
                    <code className="slot-url">{url}</code>
                  ) : (
                    <span className="slot-url muted">the server is off</span>
                  )}
                </td>
                <td>
                  <StackedLabel>Profile</StackedLabel>
                  <span className="profile-name">{profile}</span>
                </td>
                <td>
                  <Chip tone={entry?.state ?? 'unknown'} className="state">
                    {entry ? stateWords[entry.state] : 'unknown'}
                  </Chip>
                  {waiting && <p className="waiting-detail">{waiting}</p>}
                  {entry?.lastError && (
                    <p className="error-detail">
                      <MessageText text={entry.lastError} />
                    </p>
                  )}
                </td>
                <td className="time-cell">
                  <StackedLabel>Time left</StackedLabel>
                  <span className="time-left">
                    <span className="time-left-words">
                      <span className="countdown">{left}</span>
                      {shown && <span className="time-words">{shown.words}</span>}
                    </span>
                    {shown && <TimeBar {...shown} />}
                  </span>
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => void unloadProfile(profile)}
                    aria-label={`Unload ${profile}`}
                    title={`Unload ${profile}`}
                  >
                    <UnloadIcon className="icon" />
                    Unload
                  </button>
                </td>
              </tr>
            );
          })}
          {loading.map(({ profile, slot, startedAt }) => (
            <tr key={`loading:${slot}:${profile}`} data-state="loading">
              <td className="slot">
                <span className="slot-name">{slot === 'default' ? 'Default' : profile}</span>
              </td>
              <td>
                <StackedLabel>Profile</StackedLabel>
                <span className="profile-name">{profile}</span>
              </td>
              <td>
                <Chip tone="refreshing" className="state">
                  loading for {formatElapsed(now - Date.parse(startedAt))}
                </Chip>
                {waitingForWords(snapshot, profile) && (
                  <p className="waiting-detail">{waitingForWords(snapshot, profile)}</p>
                )}
              </td>
              <td className="time-cell">
                <StackedLabel>Time left</StackedLabel>
                <span className="countdown">–</span>
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="ghost"
                  onClick={() => void unloadProfile(profile)}
                  aria-label={`Unload ${profile} while it loads`}
                >
                  <UnloadIcon className="icon" />
                  Unload
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A column's name, shown only when rows are stacked; screen readers have the header already. */
function StackedLabel({ children }: { children: string }) {
  return (
    <span className="stacked-label" aria-hidden="true">
      {children}{' '}
    </span>
  );
}
