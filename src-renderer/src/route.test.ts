import { describe, expect, it } from 'vitest';
import { addressOf, viewOf } from './route';

describe('route', () => {
  it('shows the popover only when asked by name', () => {
    expect(viewOf('?view=popover')).toBe('popover');
    expect(viewOf('?view=popover&x=1')).toBe('popover');
    expect(viewOf('')).toBe('window');
    expect(viewOf('?view=other')).toBe('window');
  });

  it('links between the views on the same page', () => {
    expect(addressOf('popover', '/ui/')).toBe('/ui/?view=popover');
    expect(viewOf(addressOf('popover', '/ui/').slice('/ui/'.length))).toBe('popover');
    expect(addressOf('window', '/ui/')).toBe('/ui/');
  });
});
