import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { RolecallError } from '../core/errors';
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
  return process.platform === 'darwin' ? macLoginItem() : windowsLoginItem();
}

/**
 * Windows: a Run entry that starts `path` with `args`. Electron joins the args with spaces as
 * they are, so a path among them carries its own quotes; and `getLoginItemSettings` finds the
 * entry only when asked with the same path and args it was set with.
 */
function windowsLoginItem(): LoginItem {
  const settings = {
    path: process.execPath,
    args: windowsLoginArguments({ isPackaged: app.isPackaged, appPath: app.getAppPath() }),
  };
  return {
    isEnabled: async () => app.getLoginItemSettings(settings).openAtLogin,
    setEnabled: async (enabled) => app.setLoginItemSettings({ ...settings, openAtLogin: enabled }),
  };
}

/**
 * What follows the executable at login on Windows. Installed, the executable is Rolecall; run
 * from a clone it is Electron's, which needs the app's directory or opens its own default app.
 */
export function windowsLoginArguments(app: { isPackaged: boolean; appPath: string }): string[] {
  return app.isPackaged ? [HIDDEN_ARGUMENT] : [`"${app.appPath}"`, HIDDEN_ARGUMENT];
}

/**
 * macOS: the login item is the app bundle itself; Electron takes no path or arguments there
 * (both are Windows-only), and a login start is recognised by `wasOpenedAtLogin` instead of
 * `--hidden`. Run from a clone, the bundle is Electron's own, which would open at login without
 * Rolecall — so only the installed app can be turned on (turning off always works).
 */
function macLoginItem(): LoginItem {
  return {
    isEnabled: async () => app.getLoginItemSettings().openAtLogin,
    async setEnabled(enabled) {
      if (enabled && !app.isPackaged) {
        throw new RolecallError(
          'launch-at-login-unavailable',
          'On macOS only the installed Rolecall app can start at login: run from a clone, macOS would open Electron itself instead. Install Rolecall, or start it with `npm start`.',
          501,
        );
      }
      app.setLoginItemSettings({ openAtLogin: enabled });
    },
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
