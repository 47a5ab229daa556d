import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserWindow, screen, shell } from 'electron';
import { writePrivateFile } from '../core/runtime/private-file';
import { MIN_WINDOW_SIZE, restoreBounds } from './models/window-bounds';

function readSavedBounds(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The profile window: isolated, sandboxed, no Node, unable to navigate away, and reopened where
 * the user left it (bounds kept in `stateFile`).
 */
export function createMainWindow(options: {
  stateFile: string;
  /** Where icon.png is. */
  resourcesDir: string;
}): BrowserWindow {
  const { stateFile } = options;
  const displays = screen.getAllDisplays().map((display) => display.workArea);
  const window = new BrowserWindow({
    ...restoreBounds(readSavedBounds(stateFile), displays),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Rolecall',
    // macOS and Windows take the icon of the app bundle or executable; Linux shows none without it.
    ...(process.platform === 'linux' ? { icon: join(options.resourcesDir, 'icon.png') } : {}),
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    void writePrivateFile(stateFile, JSON.stringify(window.getNormalBounds())).catch(
      () => undefined,
    );
  });

  // Links open in the user's browser; the window itself never leaves our page.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());

  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
  return window;
}
