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
export function createMainWindow(stateFile: string): BrowserWindow {
  const displays = screen.getAllDisplays().map((display) => display.workArea);
  const window = new BrowserWindow({
    ...restoreBounds(readSavedBounds(stateFile), displays),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Rolecall',
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
