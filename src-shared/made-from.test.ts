import { describe, expect, it } from 'vitest';
import { loadedMadeFrom } from './made-from';
import { entryView } from './testing/views';

const entry = (profile: string, parents?: string[]) =>
  entryView(profile, parents ? { parents } : {});

describe('loadedMadeFrom', () => {
  it('lists the roots and everything made from them, each after what is made from it', () => {
    const snapshot = {
      entries: [
        entry('admin', ['sso']),
        entry('ops', ['admin']),
        entry('audit', ['admin']),
        entry('other', ['keys']),
        entry('keys'),
        entry('sso'),
      ],
    };
    const order = loadedMadeFrom(snapshot, ['sso']);
    expect(new Set(order)).toEqual(new Set(['sso', 'admin', 'ops', 'audit']));
    expect(order.indexOf('ops')).toBeLessThan(order.indexOf('admin'));
    expect(order.indexOf('audit')).toBeLessThan(order.indexOf('admin'));
    expect(order.at(-1)).toBe('sso');
  });

  it('leaves out roots that are not loaded, and lists each profile once', () => {
    const snapshot = { entries: [entry('a'), entry('b', ['a']), entry('c', ['b'])] };
    expect(loadedMadeFrom(snapshot, ['gone', 'b', 'a', 'b'])).toEqual(['c', 'b', 'a']);
    expect(loadedMadeFrom(snapshot, ['gone'])).toEqual([]);
  });

  it('stops at a loop', () => {
    const snapshot = { entries: [entry('a', ['b']), entry('b', ['a'])] };
    expect(loadedMadeFrom(snapshot, ['a'])).toEqual(['b', 'a']);
  });
});
