import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  apiNames,
  ipcChannel,
  showQuestionPushChannel,
  snapshotPushChannel,
  type ApiOutcome,
  type DesktopBridge,
  type PushChannel,
  type RolecallApi,
} from '../../src-shared/api';
import { openConsoleChannel, type ConsoleOpenedView } from '../../src-shared/console';
import { updateNoticeChannel, updateNoticePushChannel } from '../../src-shared/update-notice';

/**
 * Exposes exactly RolecallApi, plus subscriptions to what main pushes (snapshots, questions to show), as `window.rolecall` —
 * domain calls only, never ipcRenderer itself. Its type comes from the shared declaration, so
 * there is no hand-kept .d.ts to drift.
 */
const calls = Object.fromEntries(
  apiNames.map((name) => [
    name,
    async (args?: unknown) => {
      const outcome = (await ipcRenderer.invoke(ipcChannel(name), args)) as ApiOutcome<unknown>;
      if (outcome.ok) return outcome.value;
      throw new Error(outcome.error.message);
    },
  ]),
) as RolecallApi;

/**
 * Listens on one push channel. The page's listener is wrapped, so the page never sees the IPC
 * event (which carries ipcRenderer), and so unsubscribing removes exactly this listener.
 */
function subscribe<Payload>(
  channel: PushChannel<Payload>,
  listener: (payload: Payload) => void,
): () => void {
  const forward = (_event: IpcRendererEvent, payload: Payload) => listener(payload);
  ipcRenderer.on(channel.name, forward);
  return () => {
    ipcRenderer.removeListener(channel.name, forward);
  };
}

const bridge: DesktopBridge = {
  ...calls,
  openConsole: async (args) => {
    const outcome = (await ipcRenderer.invoke(
      openConsoleChannel,
      args,
    )) as ApiOutcome<ConsoleOpenedView>;
    if (outcome.ok) return outcome.value;
    throw new Error(outcome.error.message);
  },
  subscribeSnapshots: (listener) => subscribe(snapshotPushChannel, listener),
  subscribeShowQuestion: (listener) => subscribe(showQuestionPushChannel, listener),
  subscribeUpdateNotice: (listener) => {
    const stop = subscribe(updateNoticePushChannel, listener);
    // The notice may predate this page: ask once for the current one.
    void ipcRenderer.invoke(updateNoticeChannel).then((outcome: ApiOutcome<string | null>) => {
      if (outcome.ok) listener(outcome.value);
    });
    return stop;
  },
};

contextBridge.exposeInMainWorld('rolecall', bridge);
