import { describe, expect, it } from 'vitest';
import { emptySnapshot, type Snapshot } from '../../src-shared/snapshot';
import { slotRows, whereLoaded } from './slot-rows';

const snapshot: Snapshot = {
  ...emptySnapshot,
  defaultProfile: 'dev',
  slots: ['Account 01/Role2', 'dev', '..'],
};
const server = 'http://127.0.0.1:4144/';

describe('the Loaded table', () => {
  it('names every slot and gives the URL AWS tools fetch it from, the default first', () => {
    expect(slotRows(snapshot, server)).toEqual([
      { kind: 'default', name: 'Default', profile: 'dev', url: server },
      {
        kind: 'named',
        name: 'Account 01/Role2',
        profile: 'Account 01/Role2',
        url: `${server}slot/Account%2001%2FRole2`,
      },
      { kind: 'named', name: 'dev', profile: 'dev', url: `${server}slot/dev` },
      // URL parsers resolve a ".." segment (even escaped), so that name travels in the query.
      { kind: 'named', name: '..', profile: '..', url: `${server}slot?profile=..` },
    ]);
  });

  it('gives no URLs while the server is off, and no rows when nothing is loaded', () => {
    expect(slotRows(snapshot, null).map((row) => row.url)).toEqual([null, null, null, null]);
    expect(slotRows(emptySnapshot, server)).toEqual([]);
  });
});

describe('the profile list', () => {
  it('says where each profile is loaded', () => {
    expect(whereLoaded('dev', snapshot)).toBe('Loaded in the default slot and its own');
    expect(whereLoaded('Account 01/Role2', snapshot)).toBe('Loaded in its own slot');
    expect(whereLoaded('dev', { ...snapshot, slots: [] })).toBe('Loaded in the default slot');
    expect(whereLoaded('prod', snapshot)).toBeNull();
  });
});
