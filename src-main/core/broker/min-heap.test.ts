import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap';

describe('MinHeap', () => {
  it('pops in key order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 })), (keys) => {
        const heap = new MinHeap<number>();
        keys.forEach((key, index) => heap.push(key, index));
        const popped: number[] = [];
        for (let item = heap.pop(); item; item = heap.pop()) popped.push(item.key);
        expect(popped).toEqual([...keys].sort((a, b) => a - b));
        expect(heap.size).toBe(0);
      }),
    );
  });

  it('peeks without removing, and is empty after clear', () => {
    const heap = new MinHeap<string>();
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    heap.push(5, 'b');
    heap.push(1, 'a');
    expect(heap.peek()).toEqual({ key: 1, value: 'a' });
    expect(heap.size).toBe(2);
    heap.clear();
    expect(heap.size).toBe(0);
  });
});
