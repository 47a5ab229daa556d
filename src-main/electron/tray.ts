import { join } from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage, type Rectangle } from 'electron';
import type { Core } from '../core/core';
import { toMenuTemplate } from './models/menu-template';
import {
  trayIconState,
  trayMenu,
  type TrayAction,
  type TrayIconState,
  type TrayItem,
} from './models/tray-menu';

/** Warn on the icon this long before credentials that won't renew expire; as the notifications. */
const EXPIRING_SOON_MS = 15 * 60_000;

export interface TrayDeps {
  core: Core;
  resourcesDir: string;
  serverRunning: () => boolean;
  /** Runs a clicked item; the menu is rebuilt once it has finished, whatever it changed. */
  onAction: (action: TrayAction) => Promise<void>;
  /**
   * A left click on the icon, with where the icon is on screen: opens the popover. Without it a
   * left click shows the menu, as a right click does.
   */
  onClick?: (bounds: Rectangle) => void;
  /** Items about the app itself, read at each rebuild. */
  appItems?: () => TrayItem[];
}

/**
 * The tray: its menu is `trayMenu(...)` of the latest snapshot, rebuilt when the snapshot
 * changes, after every action (toggling the server or signing in changes no snapshot) and every
 * minute (for the time left); the icon shows the worst state.
 */
export function setupTray(deps: TrayDeps): { refresh(): Promise<void>; destroy(): void } {
  const icons = loadIcons(deps.resourcesDir);
  const tray = new Tray(icons.idle);
  tray.setToolTip('Rolecall');

  // Refreshes overlap (a change lands while the profile list is read); only the newest may set
  // the menu, so a slow older one can never put back what a newer one replaced.
  let newest = 0;
  let menu: Electron.Menu | undefined;
  const refresh = async () => {
    const generation = ++newest;
    const snapshot = deps.core.broker.snapshot();
    const [profiles, sessions] = await Promise.all([
      deps.core.api.listProfiles(undefined).catch(() => []),
      deps.core.api.listSessions(undefined).catch(() => []),
    ]);
    if (generation !== newest || tray.isDestroyed()) return;
    const now = deps.core.clock.now();
    const items = trayMenu({
      snapshot,
      profiles,
      sessions,
      serverRunning: deps.serverRunning(),
      now,
      expiringSoonMs: EXPIRING_SOON_MS,
      appItems: deps.appItems?.() ?? [],
    });
    menu = Menu.buildFromTemplate(toMenuTemplate(items, runAction));
    // macOS shows a tray's context menu on every click; with a popover the menu is the right
    // click's, popped up by hand.
    if (!(deps.onClick && process.platform === 'darwin')) tray.setContextMenu(menu);
    const state = trayIconState(snapshot, now, EXPIRING_SOON_MS);
    tray.setImage(icons[state]);
    tray.setToolTip(`Rolecall — ${state === 'idle' ? 'nothing loaded' : state}`);
  };
  const runAction = (action: TrayAction) => {
    void deps.onAction(action).finally(refresh);
  };

  if (deps.onClick) {
    // Linux trays mostly never report a click (AppIndicator): there the menu stays the way in.
    const onClick = deps.onClick;
    tray.on('click', (_event, bounds) => onClick(bounds));
    if (process.platform === 'darwin') tray.on('right-click', () => tray.popUpContextMenu(menu));
  } else if (process.platform === 'win32') {
    // A left click opens the menu on macOS and Linux by itself; on Windows only the right one does.
    tray.on('click', () => tray.popUpContextMenu());
  }

  const onChanged = () => void refresh();
  deps.core.broker.on('changed', onChanged);
  const timer = setInterval(onChanged, 60_000);
  void refresh();
  return {
    refresh,
    destroy() {
      clearInterval(timer);
      deps.core.broker.off('changed', onChanged);
      tray.destroy();
    },
  };
}

/**
 * One icon per state, each a padlock with the state's badge. On macOS they are template images
 * (black and clear, named *Template), which the menu bar tints for light, dark and highlighted.
 */
function loadIcons(dir: string): Record<TrayIconState, NativeImage> {
  const template = process.platform === 'darwin';
  const load = (state: TrayIconState) => {
    const image = nativeImage.createFromPath(
      join(dir, `tray-${state}${template ? 'Template' : ''}.png`),
    );
    if (template) image.setTemplateImage(true);
    return image;
  };
  return { idle: load('idle'), ok: load('ok'), expiring: load('expiring'), error: load('error') };
}
