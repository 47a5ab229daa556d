import { useEffect, useState } from 'react';
import type { Snapshot } from '../../src-shared/snapshot';
import { refreshAll } from './actions';
import { subscribeSnapshots } from './http-api';
import { ProfileList } from './ProfileList';
import { showQuestion } from './question-actions';
import { QuestionDialog, QuestionList } from './QuestionDialog';
import { webToken } from './rolecall';
import { ServerPanel } from './ServerPanel';
import { SessionList } from './SessionList';
import { SettingsPanel } from './SettingsPanel';
import { SlotList } from './SlotList';
import { useErrorStore, useSnapshotStore } from './stores';
import { Tabs } from './Tabs';
import { MessageText } from './MessageText';
import { UpdateNotice } from './UpdateNotice';

/** The profile window: what is loaded (live) and every profile to load; the server; settings. */
export function App() {
  const error = useErrorStore((state) => state.error);
  const [tab, setTab] = useState('profiles');

  useEffect(() => {
    void refreshAll();
    const onSnapshot = (snapshot: Snapshot) => useSnapshotStore.setState({ snapshot });
    // Live snapshots: pushed by the desktop app's main process, or streamed to the web UI.
    if (window.rolecall) {
      const desktop = window.rolecall;
      const stopSnapshots = desktop.subscribeSnapshots(onSnapshot);
      // A click on a question's notification or tray item brings its dialog up.
      const stopQuestions = desktop.subscribeShowQuestion(showQuestion);
      return () => {
        stopSnapshots();
        stopQuestions();
      };
    }
    const token = webToken();
    if (!token) return;
    return subscribeSnapshots(token, onSnapshot, (message) =>
      useErrorStore.setState({ error: message }),
    );
  }, []);

  return (
    <main>
      <header>
        <h1>Rolecall</h1>
      </header>
      <UpdateNotice />
      {error && (
        <p role="alert" className="alert">
          <MessageText text={error} />
        </p>
      )}
      <Tabs
        label="Rolecall"
        selected={tab}
        onSelect={setTab}
        tabs={[
          {
            id: 'profiles',
            label: 'Profiles',
            panel: (
              <>
                <QuestionList />
                <section aria-labelledby="slots-heading">
                  <h2 id="slots-heading">Loaded</h2>
                  <SlotList />
                </section>
                <SessionList />
                <ProfileList />
              </>
            ),
          },
          { id: 'server', label: 'Server', panel: <ServerPanel /> },
          { id: 'settings', label: 'Settings', panel: <SettingsPanel /> },
        ]}
      />
      <QuestionDialog onSignIn={() => setTab('profiles')} />
    </main>
  );
}
