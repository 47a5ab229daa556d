import { describe, expect, it } from 'vitest';
import { POPOVER_SIZE, popoverPlacement } from './popover-bounds';

const { width, height } = POPOVER_SIZE;
/** A 1440×900 display: macOS keeps 25 px for the menu bar, Windows 40 px for the taskbar. */
const macWorkArea = { x: 0, y: 25, width: 1440, height: 875 };
const windowsWorkArea = { x: 0, y: 0, width: 1440, height: 860 };

describe('popoverPlacement', () => {
  it('hangs under a macOS menu bar icon, centred on it', () => {
    const tray = { x: 1200, y: 0, width: 22, height: 24 };
    expect(popoverPlacement({ platform: 'darwin', tray, workArea: macWorkArea })).toEqual({
      anchored: true,
      bounds: { x: 1211 - width / 2, y: 30, width, height },
    });
  });

  it('stays on screen when the icon is near the right edge', () => {
    const tray = { x: 1420, y: 0, width: 22, height: 24 };
    const { bounds } = popoverPlacement({ platform: 'darwin', tray, workArea: macWorkArea });
    expect(bounds.x + bounds.width).toBe(1440 - 6);
  });

  it('sits above a Windows taskbar at the bottom', () => {
    const tray = { x: 1300, y: 864, width: 24, height: 32 };
    expect(popoverPlacement({ platform: 'win32', tray, workArea: windowsWorkArea }).bounds).toEqual(
      { x: 1440 - 6 - width, y: 864 - 6 - height, width, height },
    );
  });

  it('sits beside a taskbar on the left or right edge, level with the icon', () => {
    const left = popoverPlacement({
      platform: 'win32',
      tray: { x: 8, y: 700, width: 24, height: 24 },
      workArea: { x: 48, y: 0, width: 1392, height: 900 },
    }).bounds;
    // Never over the taskbar itself: inside the work area, past its edge by the gap.
    expect(left.x).toBe(48 + 6);
    expect(left.y).toBe(900 - height);
    const right = popoverPlacement({
      platform: 'win32',
      tray: { x: 1400, y: 300, width: 24, height: 24 },
      workArea: { x: 0, y: 0, width: 1392, height: 900 },
    }).bounds;
    expect(right.x).toBe(1392 - 6 - width);
    expect(right.y).toBe(312 - height / 2);
  });

  it('sits below a Windows taskbar at the top', () => {
    const tray = { x: 1300, y: 4, width: 24, height: 32 };
    const workArea = { x: 0, y: 40, width: 1440, height: 860 };
    expect(popoverPlacement({ platform: 'win32', tray, workArea }).bounds.y).toBe(42);
  });

  it('is a small normal window, centred, on Linux or when the tray gives no bounds', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
    const centred = { x: (1920 - width) / 2, y: (1080 - height) / 2, width, height };
    expect(
      popoverPlacement({
        platform: 'linux',
        tray: { x: 1800, y: 0, width: 24, height: 24 },
        workArea,
      }),
    ).toEqual({ anchored: false, bounds: centred });
    expect(
      popoverPlacement({ platform: 'darwin', tray: { x: 0, y: 0, width: 0, height: 0 }, workArea }),
    ).toEqual({ anchored: false, bounds: centred });
  });

  it('fits a work area smaller than itself from its top-left corner', () => {
    const workArea = { x: 100, y: 50, width: 300, height: 400 };
    const { bounds } = popoverPlacement({
      platform: 'darwin',
      tray: { x: 300, y: 20, width: 22, height: 24 },
      workArea,
    });
    expect([bounds.x, bounds.y]).toEqual([106, 50]);
  });
});
