import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { apiNames, ipcChannel, type ApiHandlers, type ApiOutcome } from '../../src-shared/api';
import { RolecallError, errorMessage } from '../core/errors';
import { invoke } from '../core/server/control-routes';

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
