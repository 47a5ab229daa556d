import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  apiNames,
  ipcChannel,
  openConsoleArgsSchema,
  showQuestionPushChannel,
  snapshotPushChannel,
  type ApiHandlers,
  type ApiOutcome,
  type PushChannel,
} from '../../src-shared/api';
import { openConsoleChannel, type ConsoleOpenedView } from '../../src-shared/console';
import type { Snapshot } from '../../src-shared/snapshot';
import { parseOrSentence } from '../../src-shared/validation-sentence';
import type { Broker } from '../core/broker/broker';
import { RolecallError, errorMessage } from '../core/errors';
import { invoke } from '../core/server/control-routes';
import type { OpenConsoleRequest } from './open-console';

/**
 * One `ipcMain.handle` per RolecallApi call, derived from the shared declaration. Only our own
 * windows may call; arguments are validated by the same schemas the HTTP routes use; errors come
 * back as data, never as thrown objects (Electron would strip them to a bare message).
 */
export function setupIpc(
  api: ApiHandlers,
  isTrustedSender: (sender: WebContents) => boolean,
): void {
  for (const name of apiNames) {
    ipcMain.handle(
      ipcChannel(name),
      async (event: IpcMainInvokeEvent, args: unknown): Promise<ApiOutcome<unknown>> => {
        if (!isTrustedSender(event.sender)) {
          return {
            ok: false,
            error: { code: '403', message: 'This window may not call Rolecall.' },
          };
        }
        try {
          return { ok: true, value: await invoke(api, name, args) };
        } catch (error) {
          const status = error instanceof RolecallError ? error.status : 500;
          return { ok: false, error: { code: String(status), message: errorMessage(error) } };
        }
      },
    );
  }
}

/**
 * The window's "Open console", which only the desktop app has: main signs in and opens the
 * browser, and answers what the user should know of the session — never the URL. Checked as
 * every other call is: our window only, arguments validated, errors as data.
 */
export function setupOpenConsole(
  open: (request: OpenConsoleRequest) => Promise<ConsoleOpenedView>,
  isTrustedSender: (sender: WebContents) => boolean,
): void {
  ipcMain.handle(
    openConsoleChannel,
    async (event: IpcMainInvokeEvent, args: unknown): Promise<ApiOutcome<ConsoleOpenedView>> => {
      if (!isTrustedSender(event.sender)) {
        return { ok: false, error: { code: '403', message: 'This window may not call Rolecall.' } };
      }
      const parsed = parseOrSentence(openConsoleArgsSchema, args);
      if (!parsed.success) return { ok: false, error: { code: '400', message: parsed.message } };
      try {
        return { ok: true, value: await open(parsed.data) };
      } catch (error) {
        const status = error instanceof RolecallError ? error.status : 500;
        return { ok: false, error: { code: String(status), message: errorMessage(error) } };
      }
    },
  );
}

/**
 * Pushes every new snapshot to the window, as `GET /api/events` streams it to the web UI, so
 * tray loads, background renewals and failures show up without the window asking. Sent only to
 * a live window that is ours; none open means nothing to send (a new window asks on load).
 * Returns a function that stops pushing.
 */
export function pushSnapshots(deps: {
  broker: Pick<Broker, 'on' | 'off'>;
  /** Where snapshots go now: the window's webContents, or null while it is closed. */
  receiver: () => WebContents | null;
  isOurWindow: (contents: WebContents) => boolean;
}): () => void {
  const send = (snapshot: Snapshot) => {
    const target = deps.receiver();
    if (!target || target.isDestroyed() || !deps.isOurWindow(target)) return;
    push(target, snapshotPushChannel, snapshot);
  };
  deps.broker.on('changed', send);
  return () => deps.broker.off('changed', send);
}

/**
 * Asks the window to bring up an open question's dialog (its notification or tray item was
 * clicked). Returns false when there is no live window of ours to ask; a window opened afterwards
 * shows the open questions by itself.
 */
export function pushShowQuestion(
  target: WebContents | null,
  isOurWindow: (contents: WebContents) => boolean,
  key: string,
): boolean {
  if (!target || target.isDestroyed() || !isOurWindow(target)) return false;
  push(target, showQuestionPushChannel, key);
  return true;
}

function push<Payload>(target: WebContents, channel: PushChannel<Payload>, payload: Payload): void {
  target.send(channel.name, payload);
}
