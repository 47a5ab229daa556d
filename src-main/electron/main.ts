import { app, BrowserWindow, dialog } from 'electron';
import { errorMessage } from '../core/errors';
import { startHost, type RunningHost } from '../core/host';
import { createLogger } from '../core/logger';
import { keychainScope, scopedSecretStore } from '../core/keychain-scope';
import { defaultRolecallHome, rolecallHome } from '../core/paths';
import { createKeytarStore } from '../core/secrets/keytar-store';
import { setupIpc } from './ipc';
import { createMainWindow } from './window';

/**
 * The desktop shell: hosts the same core as `rolecall serve` and hands it to a window. Everything
 * with logic lives in src-main/core; this file only wires Electron to it.
 */
let host: RunningHost | null = null;
let mainWindow: BrowserWindow | null = null;

async function boot(): Promise<void> {
  try {
    const home = rolecallHome();
    host = await startHost({
      home,
      secrets: scopedSecretStore(createKeytarStore(), keychainScope(home, defaultRolecallHome())),
      logger: createLogger({ level: 'warn' }),
    });
  } catch (error) {
    dialog.showErrorBox('Rolecall could not start', errorMessage(error));
    app.exit(1);
    return;
  }
  setupIpc(host.core.api, (sender) => mainWindow !== null && sender === mainWindow.webContents);
  showWindow();
}

function showWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    mainWindow.show();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow();
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.whenReady().then(boot, (error: unknown) => {
    dialog.showErrorBox('Rolecall could not start', errorMessage(error));
    app.exit(1);
  });
  app.on('before-quit', (event) => {
    if (!host) return;
    event.preventDefault();
    const closing = host;
    host = null;
    void closing.close().finally(() => app.quit());
  });
}
