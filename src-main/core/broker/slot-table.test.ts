import { describe, expect, it } from 'vitest';
import { SlotTable } from './slot-table';

describe('SlotTable', () => {
  it('holds one profile in the default slot and any number in named slots', () => {
    const slots = new SlotTable();
    expect(slots.fill('a', 'default')).toBeNull();
    expect(slots.fill('b', 'named')).toBeNull();
    expect(slots.fill('a', 'named')).toBeNull();
    expect(slots.profileIn({ kind: 'default' })).toBe('a');
    expect(slots.profileIn({ kind: 'named', profile: 'b' })).toBe('b');
    expect(slots.profileIn({ kind: 'named', profile: 'c' })).toBeNull();
    expect(slots.namedSlots()).toEqual(['a', 'b']);
  });

  it('says which profile a default load pushed out, but not when it is the same one', () => {
    const slots = new SlotTable();
    slots.fill('a', 'default');
    expect(slots.fill('a', 'default')).toBeNull();
    expect(slots.fill('b', 'default')).toBe('a');
    expect(slots.holds('a')).toBe(false);
  });

  it('empties one slot, one profile everywhere, the named slots, or everything', () => {
    const slots = new SlotTable();
    slots.fill('a', 'default');
    slots.fill('a', 'named');
    slots.fill('b', 'named');
    expect(slots.empty({ kind: 'default' })).toBe('a');
    expect(slots.empty({ kind: 'default' })).toBeNull();
    expect(slots.holds('a')).toBe(true);
    slots.remove('a');
    expect(slots.holds('a')).toBe(false);
    slots.fill('c', 'default');
    expect(slots.clearNamed()).toEqual(['b']);
    expect(slots.defaultSlot).toBe('c');
    slots.clear();
    expect([slots.defaultSlot, slots.namedSlots()]).toEqual([null, []]);
  });
});
