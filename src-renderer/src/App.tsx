import { useEffect } from 'react';
import { rolecallApi } from './rolecall';
import { useSnapshotStore } from './snapshot-store';

/** Placeholder window: shows what is loaded. The full profile window comes with the desktop app. */
export function App() {
  const snapshot = useSnapshotStore((state) => state.snapshot);
  const error = useSnapshotStore((state) => state.error);

  useEffect(() => {
    rolecallApi()
      .getSnapshot()
      .then(
        (value) => useSnapshotStore.setState({ snapshot: value, error: null }),
        (reason: unknown) => useSnapshotStore.setState({ error: String(reason) }),
      );
  }, []);

  return (
    <main>
      <h1>Rolecall</h1>
      {error && <p role="alert">{error}</p>}
      {snapshot.entries.length === 0 ? (
        <p>No profile is loaded. Run `rolecall load &lt;profile&gt;`.</p>
      ) : (
        <ul>
          {snapshot.entries.map((entry) => (
            <li key={entry.profile}>
              {entry.profile} — {entry.state}
              {entry.expiresAt && `, expires ${new Date(entry.expiresAt).toLocaleTimeString()}`}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
