import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { ApiOutcome } from '../../src-shared/api';
import { updateNoticeChannel, updateNoticePushChannel } from '../../src-shared/update-notice';

/**
 * The window's update notice: answered to a page that asks (only ours), pushed when it changes
 * to the window open now.
 */
export function setupUpdateNotice(deps: {
  notice: () => string | null;
  receiver: () => WebContents | null;
  isOurWindow: (contents: WebContents) => boolean;
}): { changed(): void } {
  ipcMain.handle(
    updateNoticeChannel,
    async (event: IpcMainInvokeEvent): Promise<ApiOutcome<string | null>> =>
      deps.isOurWindow(event.sender)
        ? { ok: true, value: deps.notice() }
        : { ok: false, error: { code: '403', message: 'This window may not call Rolecall.' } },
  );
  return {
    changed() {
      const target = deps.receiver();
      if (!target || target.isDestroyed() || !deps.isOurWindow(target)) return;
      target.send(updateNoticePushChannel.name, deps.notice());
    },
  };
}
