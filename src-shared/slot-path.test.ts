import { describe, expect, it } from 'vitest';
import { slotPath } from './slot-path';

const base = 'http://127.0.0.1:4144/';

describe('slotPath', () => {
  it('leaves a plain name as it is', () => {
    expect(slotPath('dev')).toBe('slot/dev');
    expect(new URL(slotPath('prod.admin')!, base).href).toBe(`${base}slot/prod.admin`);
  });

  it.each(['Account 01/Role2', 'a?b#c', '%2E%2E', '...', 'ünï', '../../etc'])(
    'keeps %j one segment under /slot/ that decodes back to the name',
    (profile) => {
      const url = new URL(slotPath(profile)!, base);
      expect(url.origin + '/').toBe(base);
      expect(url.search).toBe('');
      expect(url.hash).toBe('');
      const [, slot, segment, ...rest] = url.pathname.split('/');
      expect([slot, rest]).toEqual(['slot', []]);
      expect(decodeURIComponent(segment!)).toBe(profile);
    },
  );

  it('gives no path for . and .., which every URL parser would resolve to another slot', () => {
    expect(slotPath('.')).toBeNull();
    expect(slotPath('..')).toBeNull();
    // Escaping does not help: the URL standard reads %2E%2E as "..".
    expect(new URL('slot/%2E%2E', base).href).toBe(base);
  });
});
