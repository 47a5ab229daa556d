import { describe, expect, it } from 'vitest';
import { toMenuTemplate } from './menu-template';
import type { TrayAction } from './tray-menu';

describe('toMenuTemplate', () => {
  it('keeps labels, checks, separators and submenus, and routes clicks to the action', () => {
    const clicked: TrayAction[] = [];
    const template = toMenuTemplate(
      [
        { type: 'item', label: 'dev — 45m left', enabled: false },
        { type: 'separator' },
        {
          type: 'submenu',
          label: 'Switch role',
          items: [
            {
              type: 'item',
              label: 'Admin',
              checked: true,
              action: { kind: 'load', profile: 'Prod/Admin', slot: false },
            },
          ],
        },
        { type: 'item', label: 'Quit Rolecall', action: { kind: 'quit' } },
      ],
      (action) => clicked.push(action),
    );
    expect(template[0]).toEqual({ label: 'dev — 45m left', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    const submenu = template[2]!.submenu as Array<{
      label: string;
      type: string;
      checked: boolean;
      click: () => void;
    }>;
    expect(submenu[0]).toMatchObject({ label: 'Admin', type: 'checkbox', checked: true });
    submenu[0]!.click();
    (template[3]!.click as () => void)();
    expect(clicked).toEqual([
      { kind: 'load', profile: 'Prod/Admin', slot: false },
      { kind: 'quit' },
    ]);
  });
});
