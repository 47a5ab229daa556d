import { describe, expect, it } from 'vitest';
import { markUsed, noPicks, parsePicks, RECENT_LIMIT, togglePin, topOfList } from './picks';

describe('picks', () => {
  it('pins and unpins, keeping the order pinned', () => {
    const pinned = togglePin(togglePin(noPicks, 'prod'), 'dev');
    expect(pinned.pinned).toEqual(['prod', 'dev']);
    expect(togglePin(pinned, 'prod').pinned).toEqual(['dev']);
  });

  it('puts the last used first, once, and forgets past the limit', () => {
    let picks = noPicks;
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'b']) picks = markUsed(picks, name);
    expect(picks.recent).toEqual(['b', 'f', 'e', 'd', 'c']);
    expect(picks.recent).toHaveLength(RECENT_LIMIT);
  });

  it('shows only profiles that exist, and a pinned one not again as recent', () => {
    const picks = { pinned: ['gone', 'prod'], recent: ['prod', 'dev', 'old'] };
    expect(topOfList(picks, ['dev', 'prod'])).toEqual({ pinned: ['prod'], recent: ['dev'] });
  });

  it('reads back what it wrote, and nothing from what it cannot read', () => {
    const picks = markUsed(togglePin(noPicks, 'prod'), 'dev');
    expect(parsePicks(JSON.stringify(picks))).toEqual(picks);
    expect(parsePicks('{not json')).toEqual(noPicks);
    expect(parsePicks(JSON.stringify({ pinned: 'prod', recent: [1, 'dev', 'dev'] }))).toEqual({
      pinned: [],
      recent: ['dev'],
    });
    expect(parsePicks(null)).toEqual(noPicks);
  });
});
