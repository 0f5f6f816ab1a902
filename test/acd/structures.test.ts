/** The distributor's indexes against plain arrays: the heap of waiting calls, the free agents by skill. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvailableIndex } from '../../src/acd/available.js';
import { IndexedHeap } from '../../src/acd/heap.js';

interface Item {
  v: number;
  id: number;
  ix: number;
}

describe('IndexedHeap', () => {
  it('pops in order and removes any item, as a sorted array would', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('push' as const), v: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ k: fc.constant('remove' as const), i: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const before = (a: Item, b: Item) => a.v < b.v || (a.v === b.v && a.id < b.id);
        const heap = new IndexedHeap<Item>(before, { get: (x) => x.ix, set: (x, i) => (x.ix = i) });
        const model: Item[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.k === 'push') {
            const item = { v: o.v, id: n++, ix: -1 };
            heap.push(item);
            model.push(item);
          } else if (model.length > 0) {
            const [item] = model.splice(o.i % model.length, 1);
            heap.remove(item as Item);
            expect(item?.ix).toBe(-1);
          }
          model.sort((a, b) => a.v - b.v || a.id - b.id);
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(model[0]);
          expect(heap.items().map((x) => x.ix)).toEqual(heap.items().map((_, i) => i));
        }
        const drained: Item[] = [];
        for (let top = heap.peek(); top; top = heap.peek()) {
          drained.push(top);
          heap.remove(top);
        }
        expect(drained).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });
});

describe('AvailableIndex', () => {
  it('keeps idle order when an agent comes back with an older idle time (skills changed on reload)', () => {
    const agent = (id: string, idleSince: number, skills: string[]) => ({
      id,
      idleSince,
      idleSeq: idleSince,
      skills: new Map(skills.map((s) => [s, 1])),
    });
    const index = new AvailableIndex<ReturnType<typeof agent>>();
    const a = agent('a', 1, ['x']);
    const b = agent('b', 2, ['x', 'y']);
    const c = agent('c', 3, ['y']);
    index.add(b);
    index.add(c);
    index.add(a);
    expect([...index.inOrder()].map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(index.best(['y'], () => 0)?.id).toBe('b');
    index.delete(b);
    expect(index.best(['y'], () => 0)?.id).toBe('c');
    expect(index.best(['x', 'y'], () => 0)).toBeUndefined();
    expect(index.best(['z'], () => 0)).toBeUndefined();
    expect(index.best([], () => 0)?.id).toBe('a');
    expect(index.size).toBe(2);
  });
});
