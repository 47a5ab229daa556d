import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, restoreBounds } from './window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restoreBounds', () => {
  it('reopens where it was when that is still on a display', () => {
    expect(
      restoreBounds({ x: 1600, y: 100, width: 1000, height: 700 }, [laptop, external]),
    ).toEqual({
      x: 1600,
      y: 100,
      width: 1000,
      height: 700,
    });
  });

  it('keeps the size but lets Electron place it when its display is gone', () => {
    expect(restoreBounds({ x: 1600, y: 100, width: 1000, height: 700 }, [laptop])).toEqual({
      width: 1000,
      height: 700,
    });
  });

  it('never restores a window too small to use', () => {
    expect(restoreBounds({ x: 10, y: 10, width: 50, height: 20 }, [laptop])).toEqual({
      x: 10,
      y: 10,
      width: 520,
      height: 360,
    });
  });

  it('falls back to the default for nothing saved or something damaged', () => {
    expect(restoreBounds(undefined, [laptop])).toEqual(DEFAULT_WINDOW_SIZE);
    expect(restoreBounds({ x: 'a' }, [laptop])).toEqual(DEFAULT_WINDOW_SIZE);
  });
});
