import { z } from 'zod';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 960, height: 640 };
/** Smaller than this and the slot table no longer fits; a remembered size never goes below it. */
export const MIN_WINDOW_SIZE = { width: 520, height: 360 };

const boundsSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});

/**
 * Where to open the window: the remembered bounds if they still fit on a connected display
 * (a monitor may have been unplugged since), else the default size, centred by Electron.
 */
export function restoreBounds(
  saved: unknown,
  displays: Bounds[],
): Partial<Bounds> & { width: number; height: number } {
  const parsed = boundsSchema.safeParse(saved);
  if (!parsed.success) return { ...DEFAULT_WINDOW_SIZE };
  const bounds = {
    ...parsed.data,
    width: Math.max(MIN_WINDOW_SIZE.width, Math.round(parsed.data.width)),
    height: Math.max(MIN_WINDOW_SIZE.height, Math.round(parsed.data.height)),
  };
  // Visible enough to grab: the title bar's top-left area lies on some display.
  const grabbable = displays.some(
    (display) =>
      bounds.x + 40 >= display.x &&
      bounds.x + 40 < display.x + display.width &&
      bounds.y >= display.y &&
      bounds.y + 20 < display.y + display.height,
  );
  return grabbable ? bounds : { width: bounds.width, height: bounds.height };
}
