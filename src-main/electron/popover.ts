import { join } from 'node:path';
import { BrowserWindow, screen, shell, type Rectangle, type WebContents } from 'electron';
import { popoverPlacement } from './models/popover-bounds';

export interface Popover {
  /** Opens the popover by the tray icon at `trayBounds`, or hides it when it is showing. */
  toggle(trayBounds: Rectangle): void;
  /** Its page, while it exists: snapshots are pushed to it as to the window. */
  webContents(): WebContents | null;
  destroy(): void;
}

/**
 * The tray's popover: the renderer's popover route in a small window, made once and then shown
 * and hidden. Where it opens and whether it has a frame come from `popoverPlacement`: anchored
 * by the icon (frameless, hidden when it loses focus) on macOS and Windows, a small normal window
 * on Linux. Isolated and sandboxed like the main window, and unable to navigate away.
 */
export function createPopover(): Popover {
  let window: BrowserWindow | null = null;

  const make = (anchored: boolean): BrowserWindow => {
    const made = new BrowserWindow({
      width: 360,
      height: 540,
      show: false,
      frame: !anchored,
      resizable: !anchored,
      movable: !anchored,
      minimizable: !anchored,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: anchored,
      alwaysOnTop: anchored,
      title: 'Rolecall',
      webPreferences: {
        preload: join(__dirname, '../preload/index.js'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
    // A popover goes away when the user turns to something else, as the tray menu does.
    if (anchored) made.on('blur', () => made.hide());
    made.on('closed', () => {
      if (window === made) window = null;
    });
    made.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    made.webContents.on('will-navigate', (event) => event.preventDefault());
    const devServer = process.env.ELECTRON_RENDERER_URL;
    if (devServer) void made.loadURL(`${devServer}?view=popover`);
    else
      void made.loadFile(join(__dirname, '../renderer/index.html'), { query: { view: 'popover' } });
    return made;
  };

  return {
    toggle(trayBounds) {
      if (window && !window.isDestroyed() && window.isVisible()) {
        window.hide();
        return;
      }
      const { workArea } = screen.getDisplayMatching(trayBounds);
      const placement = popoverPlacement({
        platform: process.platform,
        tray: trayBounds,
        workArea,
      });
      window ??= make(placement.anchored);
      window.setBounds(placement.bounds);
      window.show();
      window.focus();
    },
    webContents: () => (window && !window.isDestroyed() ? window.webContents : null),
    destroy() {
      if (window && !window.isDestroyed()) window.close();
      window = null;
    },
  };
}
