import type { Bounds } from './window-bounds';

/** The popover's size: the width of a narrow column, the height of a few slots and favourites. */
export const POPOVER_SIZE = { width: 360, height: 540 };

/** Room left between the popover and the tray icon, and the popover and the screen's edge. */
const GAP = 6;

export interface PopoverPlacement {
  /**
   * True: a frameless popover beside the tray icon, hidden when it loses focus. False: a small
   * normal window (Linux, where a tray reports no position, or any tray that reports none).
   */
  anchored: boolean;
  bounds: Bounds;
}

const clamp = (value: number, low: number, high: number) =>
  Math.round(Math.min(Math.max(value, low), Math.max(low, high)));

/**
 * Where the popover opens. On macOS and Windows it hangs off the tray icon on the side of the
 * screen the icon is on (under a menu bar at the top, above a taskbar at the bottom, beside one
 * at the left or right), kept inside the display's work area. On Linux, or when the tray gives
 * no bounds, it is a normal window centred on the work area.
 */
export function popoverPlacement(input: {
  platform: NodeJS.Platform;
  tray: Bounds;
  workArea: Bounds;
  size?: { width: number; height: number };
}): PopoverPlacement {
  const { tray, workArea } = input;
  const { width, height } = input.size ?? POPOVER_SIZE;
  const inside = {
    x: (x: number) => clamp(x, workArea.x + GAP, workArea.x + workArea.width - width - GAP),
    // Flush with the top and bottom: the tray's own bar is usually there, and the gap to it is
    // already in y.
    y: (y: number) => clamp(y, workArea.y, workArea.y + workArea.height - height),
  };
  const noAnchor = tray.width <= 0 || tray.height <= 0;
  if (input.platform === 'linux' || noAnchor)
    return {
      anchored: false,
      bounds: {
        x: inside.x(workArea.x + (workArea.width - width) / 2),
        y: inside.y(workArea.y + (workArea.height - height) / 2),
        width,
        height,
      },
    };

  const centre = { x: tray.x + tray.width / 2, y: tray.y + tray.height / 2 };
  const right = workArea.x + workArea.width;
  const bottom = workArea.y + workArea.height;
  let x: number;
  let y: number;
  if (centre.x < workArea.x || centre.x > right) {
    // A taskbar at the left or right edge: beside it, level with the icon.
    x = centre.x < workArea.x ? tray.x + tray.width + GAP : tray.x - width - GAP;
    y = centre.y - height / 2;
  } else {
    // A menu bar or taskbar at the top or bottom (or an icon inside the work area, as with a
    // taskbar that hides itself): below the icon in the top half, above it in the bottom half.
    const below =
      centre.y < workArea.y || (centre.y <= bottom && centre.y < workArea.y + workArea.height / 2);
    x = centre.x - width / 2;
    y = below ? tray.y + tray.height + GAP : tray.y - height - GAP;
  }
  return { anchored: true, bounds: { x: inside.x(x), y: inside.y(y), width, height } };
}
