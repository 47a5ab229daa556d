import type { PushChannel } from './api';

/**
 * The desktop app's update notice ("Rolecall 1.4.0 is ready; it installs when you quit
 * Rolecall."), or null: pushed to the window when it changes, and asked for once by a page that
 * has just loaded. Desktop only; the web UI has no app to update.
 */
export const updateNoticePushChannel: PushChannel<string | null> = {
  name: 'rolecall-push:update-notice',
};
export const updateNoticeChannel = 'rolecall-desktop:update-notice';
