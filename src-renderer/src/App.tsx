import { useEffect } from 'react';
import { refreshAll } from './actions';
import { subscribeSnapshots } from './http-api';
import { ProfileList } from './ProfileList';
import { webToken } from './rolecall';
import { SessionList } from './SessionList';
import { SlotList } from './SlotList';
import { useErrorStore, useSnapshotStore } from './stores';

/** The profile window: what is loaded (live), and every profile to load. */
export function App() {
  const error = useErrorStore((state) => state.error);

  useEffect(() => {
    void refreshAll();
    if (window.rolecall) return;
    const token = webToken();
    if (!token) return;
    return subscribeSnapshots(
      token,
      (snapshot) => useSnapshotStore.setState({ snapshot }),
      (message) => useErrorStore.setState({ error: message }),
    );
  }, []);

  return (
    <main>
      <header>
        <h1>Rolecall</h1>
      </header>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="slots-heading">
        <h2 id="slots-heading">Loaded</h2>
        <SlotList />
      </section>
      <SessionList />
      <ProfileList />
    </main>
  );
}
