import { useEffect } from 'react';
import type { Snapshot } from '../../src-shared/snapshot';
import { refreshAll } from './actions';
import { subscribeSnapshots } from './http-api';
import { showQuestion } from './question-actions';
import { webToken } from './rolecall';
import { showPushedSnapshot, useErrorStore } from './stores';

/**
 * Reads everything once, then follows Rolecall live: snapshots pushed by the desktop app's main
 * process, or streamed to the web UI. Both views (window and popover) use it.
 */
export function useLiveRolecall(): void {
  useEffect(() => {
    void refreshAll();
    const onSnapshot = (snapshot: Snapshot) => showPushedSnapshot(snapshot);
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
}
