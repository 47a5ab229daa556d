import type { EntryView } from '../../src-shared/snapshot';
import { formatElapsed, formatTimeLeft } from '../../src-shared/time';
import { unloadProfile } from './actions';
import { useSnapshotStore } from './stores';
import { useNow } from './use-now';
import { MessageText } from './MessageText';

const stateWords: Record<EntryView['state'], string> = {
  fresh: 'fresh',
  refreshing: 'renewing…',
  stale: 'renewal failing',
  expired: 'expired',
  failed: 'failed',
};

/**
 * Loaded slots with a live countdown, their state and, when something is wrong, why; loads still
 * waiting for their source, and how long they have waited; a note when the slots will not
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

function SlotTable() {
  const defaultProfile = useSnapshotStore((state) => state.snapshot.defaultProfile);
  const named = useSnapshotStore((state) => state.snapshot.slots);
  const entries = useSnapshotStore((state) => state.snapshot.entries);
  const loading = useSnapshotStore((state) => state.snapshot.loading);
  const slots = [
    ...(defaultProfile ? [{ slot: 'Default', profile: defaultProfile }] : []),
    ...named.map((profile) => ({ slot: 'Slot', profile })),
  ];
  const now = useNow();
  if (slots.length === 0 && !loading?.length)
    return <p className="empty">Nothing is loaded. Load a profile below.</p>;
  return (
    <table className="slots" aria-label="Loaded slots">
      <thead>
        <tr>
          <th scope="col">Slot</th>
          <th scope="col">Profile</th>
          <th scope="col">State</th>
          <th scope="col">Expires in</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {slots.map(({ slot, profile }) => {
          const entry = entries.find((candidate) => candidate.profile === profile);
          const left = entry?.expiresAt
            ? formatTimeLeft(Date.parse(entry.expiresAt) - now)
            : 'never';
          return (
            <tr key={`${slot}:${profile}`} data-state={entry?.state}>
              <td>{slot}</td>
              <td>{profile}</td>
              <td>
                <span className={`state state-${entry?.state ?? 'unknown'}`}>
                  {entry ? stateWords[entry.state] : 'unknown'}
                </span>
                {entry?.lastError && (
                  <p className="error-detail">
                    <MessageText text={entry.lastError} />
                  </p>
                )}
              </td>
              <td className="countdown">{left}</td>
              <td>
                <button
                  type="button"
                  onClick={() => void unloadProfile(profile)}
                  aria-label={`Unload ${profile}`}
                >
                  Unload
                </button>
              </td>
            </tr>
          );
        })}
        {loading?.map(({ profile, slot, startedAt }) => (
          <tr key={`loading:${slot}:${profile}`} data-state="loading">
            <td>{slot === 'default' ? 'Default' : 'Slot'}</td>
            <td>{profile}</td>
            <td>
              <span className="state state-refreshing">
                loading for {formatElapsed(now - Date.parse(startedAt))}
              </span>
            </td>
            <td className="countdown">–</td>
            <td>
              <button
                type="button"
                onClick={() => void unloadProfile(profile)}
                aria-label={`Unload ${profile} while it loads`}
              >
                Unload
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
