import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayItem } from './tray-menu';

/** Turns the tray model into Electron's menu template; clicks go to `onAction`. */
export function toMenuTemplate(
  items: TrayItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'submenu')
      return { label: item.label, submenu: toMenuTemplate(item.items, onAction) };
    const action = item.action;
    return {
      label: item.label,
      ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }),
      ...(item.enabled === undefined ? {} : { enabled: item.enabled }),
      ...(action ? { click: () => onAction(action) } : {}),
    };
  });
}
