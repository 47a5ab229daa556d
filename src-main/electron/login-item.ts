import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import type { LoginItem } from '../core/settings/settings-service';
import { createXdgLoginItem } from './xdg-autostart';

/** Started at login, Rolecall goes straight to the tray instead of opening its window. */
export const HIDDEN_ARGUMENT = '--hidden';

/** Electron's login items on macOS and Windows; an XDG autostart entry on Linux. */
export function desktopLoginItem(): LoginItem {
  if (process.platform === 'linux') {
    return createXdgLoginItem({
      configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'),
      command: [...launchCommand(), HIDDEN_ARGUMENT],
    });
  }
  const settings = { args: [HIDDEN_ARGUMENT] };
  return {
    isEnabled: async () => app.getLoginItemSettings(settings).openAtLogin,
    setEnabled: async (enabled) => app.setLoginItemSettings({ ...settings, openAtLogin: enabled }),
  };
}

/** Whether this start came from the login item (macOS reports it; elsewhere the argument does). */
export function startedAtLogin(): boolean {
  return (
    process.argv.includes(HIDDEN_ARGUMENT) ||
    (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true)
  );
}

/** What starts this very app again: the AppImage, the installed binary, or Electron + the app. */
function launchCommand(): string[] {
  if (process.env.APPIMAGE) return [process.env.APPIMAGE];
  return app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
}
