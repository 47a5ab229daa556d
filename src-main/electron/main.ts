import { join } from 'node:path';
import { app, dialog, shell, type BrowserWindow, type WebContents } from 'electron';
import { errorMessage } from '../core/errors';
import { startHost, type RunningHost } from '../core/host';
import { keychainScope, scopedSecretStore } from '../core/keychain-scope';
import { createLogger } from '../core/logger';
import { defaultRolecallHome, rolecallHome } from '../core/paths';
import { createKeytarStore } from '../core/secrets/keytar-store';
import { createActionHandler } from './actions';
import { installCommandLineTool } from './install-cli';
import { setupUpdateNotice } from './update-notice';
import { setupUpdates, type Updates } from './updates';
import type { TrayItem } from './models/tray-menu';
import { pushShowQuestion, pushSnapshots, setupIpc, setupOpenConsole } from './ipc';
import { consoleOpener } from './open-console';
import { desktopLoginItem, startedAtLogin } from './login-item';
import { setupNotifications } from './notify';
import { createPopover, type Popover } from './popover';
import { setupTray } from './tray';
import { createMainWindow } from './window';

/**
 * The desktop shell: hosts the same core as `rolecall serve` and hands it to a tray, a window and
 * notifications. Everything with logic lives in src-main/core and the pure models beside this file.
 */
let host: RunningHost | null = null;
/** Background updates of the installed app (null run from a clone, or before start-up). */
let updates: Updates | null = null;
let mainWindow: BrowserWindow | null = null;
/** The tray's popover, made on its first click. */
let popover: Popover | null = null;
/** Whether the IPC handlers exist: a window opened before them would call into nothing. */
let booted = false;
/** Someone asked for the window (a second launch) while Rolecall was still starting. */
let windowRequested = false;
const resourcesDir = app.isPackaged ? process.resourcesPath : join(__dirname, '../../resources');

/**
 * Windows shows an app's notifications only under the AppUserModelID of its Start menu shortcut:
 * the installer gives its shortcut this one; run from a clone, Electron's executable is the app.
 */
export const APP_USER_MODEL_ID = 'dev.rolecall.desktop';

async function boot(): Promise<void> {
  try {
    const home = rolecallHome();
    host = await startHost({
      home,
      // A `rolecall serve` started later with this home is told the desktop app has it.
      app: 'desktop',
      secrets: scopedSecretStore(createKeytarStore(), keychainScope(home, defaultRolecallHome())),
      logger: createLogger({ level: 'warn' }),
      // The window is not served by the server, so moving the server loses nothing.
      applyServerSettingsLive: true,
      loginItem: desktopLoginItem(),
      onSettingsChanged: () => updates?.reschedule(),
    });
  } catch (error) {
    dialog.showErrorBox('Rolecall could not start', errorMessage(error));
    app.exit(1);
    return;
  }
  const running = host;
  setupIpc(running.core.api, isOurWindow);
  const openConsole = consoleOpener(running.core.api, (url) => shell.openExternal(url));
  setupOpenConsole(openConsole, isOurWindow);
  const updateNotice = setupUpdateNotice({
    notice: () => updates?.notice() ?? null,
    receiver: ourWebContents,
    isOurWindow,
  });
  pushSnapshots({ broker: running.core.broker, receiver: ourWebContents, isOurWindow });
  const trayPopover = createPopover();
  popover = trayPopover;
  pushSnapshots({ broker: running.core.broker, receiver: trayPopover.webContents, isOurWindow });
  const onAction = createActionHandler({
    host: running,
    openWindow: showWindow,
    showQuestion,
    openConsole,
    quit: () => app.quit(),
    installCli: () => installCommandLineTool({ resourcesPath: process.resourcesPath }),
  });
  const tray = setupTray({
    core: running.core,
    resourcesDir,
    serverRunning: () => running.serving(),
    onAction,
    onClick: (bounds) => trayPopover.toggle(bounds),
    appItems: () => appTrayItems(),
  });
  setupNotifications({
    core: running.core,
    settings: () => running.settings(),
    onClick: (notice) => {
      const action = notice.action;
      if (action.kind === 'sign-in')
        void onAction({ kind: 'sign-in', session: action.session }).then(tray.refresh);
      else if (action.kind === 'answer') showQuestion(action.key);
      else showWindow();
    },
  });
  if (app.isPackaged) {
    await startUpdates(running, () => {
      updateNotice.changed();
      void tray.refresh();
    });
  }
  booted = true;
  if (windowRequested || !startedAtLogin()) showWindow();
}

/** electron-updater is loaded only by the installed app: it reads the app's update config. */
async function startUpdates(running: RunningHost, noticeChanged: () => void): Promise<void> {
  const { autoUpdater } = await import('electron-updater');
  const logger = createLogger({ level: 'warn' });
  updates = setupUpdates({
    updater: autoUpdater,
    clock: running.core.clock,
    packaged: true,
    enabled: () => running.settings().updates?.automatic !== false,
    snapshot: () => running.core.broker.snapshot(),
    onNotice: noticeChanged,
    warn: (sentence) => logger.warn(sentence),
  });
}

/**
 * The installed app offers to put its `rolecall` on the PATH on macOS and Windows (the deb does it
 * on Linux; run from a clone, `npm link` does).
 */
function appTrayItems(): TrayItem[] {
  const items: TrayItem[] = [];
  const notice = updates?.notice();
  if (notice) items.push({ type: 'item', label: notice, enabled: false });
  if (app.isPackaged && (process.platform === 'darwin' || process.platform === 'win32')) {
    items.push({
      type: 'item',
      label: 'Install command-line tool…',
      action: { kind: 'install-cli' },
    });
  }
  return items;
}

function ourWebContents(): WebContents | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
}

/** The window or the popover: both are our renderer, and only they may call the API. */
function isOurWindow(contents: WebContents): boolean {
  return contents === ourWebContents() || (popover !== null && contents === popover.webContents());
}

function showWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    mainWindow.show();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow({ stateFile: join(rolecallHome(), 'window.json'), resourcesDir });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/**
 * Opens the window on a question's dialog: a window already open is asked to show it; a new one
 * shows the open questions by itself once it has loaded.
 */
function showQuestion(key: string): void {
  const existing = ourWebContents();
  showWindow();
  if (existing) pushShowQuestion(existing, isOurWindow, key);
}

/** A second launch asks for the window; while starting, it opens once start-up is done. */
function requestWindow(): void {
  if (booted) showWindow();
  else windowRequested = true;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  if (process.platform === 'win32') {
    app.setAppUserModelId(app.isPackaged ? APP_USER_MODEL_ID : process.execPath);
  }
  app.on('second-instance', requestWindow);
  // macOS: a click on the Dock icon with no window open brings the window back. Before start-up
  // is done there is nothing to open yet, and start-up opens it unless this is a login start.
  app.on('activate', (_event, hasVisibleWindows) => {
    if (booted && !hasVisibleWindows) showWindow();
  });
  // Closing the window leaves Rolecall in the tray; only Quit ends it.
  app.on('window-all-closed', () => undefined);
  app.whenReady().then(boot, (error: unknown) => {
    dialog.showErrorBox('Rolecall could not start', errorMessage(error));
    app.exit(1);
  });
  app.on('before-quit', (event) => {
    if (!host) return;
    event.preventDefault();
    const closing = host;
    host = null;
    // Decided while the core still runs: an update is not installed during a renewal.
    const update = updates?.decideAtQuit() ?? { kind: 'nothing' };
    updates?.stop();
    void closing.close().finally(() => {
      if (update.kind === 'install') updates!.install();
      else app.quit();
    });
  });
}
