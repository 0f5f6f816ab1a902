/**
 * A binary min-heap that knows where each item sits, so an item leaves in O(log n) when it is
 * assigned, abandoned or overflows, without a scan nor lazy tombstones. The position is kept in
 * the item itself (one slot per heap the item can be in), through `slot`.
 */
export interface HeapSlot<T> {
  get(item: T): number;
  set(item: T, index: number): void;
}

export class IndexedHeap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;
  readonly #slot: HeapSlot<T>;

  /** `before(a, b)`: `a` comes out first. It must be a strict order for a given content. */
  constructor(before: (a: T, b: T) => boolean, slot: HeapSlot<T>) {
    this.#before = before;
    this.#slot = slot;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  /** The items in heap order (not sorted): for counts and scans. */
  items(): readonly T[] {
    return this.#items;
  }

  push(item: T): void {
    this.#items.push(item);
    this.#slot.set(item, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  /** Removes `item`, which must be in this heap. */
  remove(item: T): void {
    const i = this.#slot.get(item);
    const last = this.#items.pop() as T;
    this.#slot.set(item, -1);
    if (i === this.#items.length) return;
    this.#items[i] = last;
    this.#slot.set(last, i);
    this.#down(i);
    this.#up(this.#slot.get(last));
  }

  clear(): T[] {
    const all = this.#items.splice(0);
    for (const item of all) this.#slot.set(item, -1);
    return all;
  }

  #up(i: number): void {
    const items = this.#items;
    const item = items[i] as T;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (!this.#before(item, parent)) break;
      items[i] = parent;
      this.#slot.set(parent, i);
      i = p;
    }
    items[i] = item;
    this.#slot.set(item, i);
  }

  #down(i: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#before(items[r] as T, items[l] as T) ? r : l;
      const child = items[c] as T;
      if (!this.#before(child, item)) break;
      items[i] = child;
      this.#slot.set(child, i);
      i = c;
    }
    items[i] = item;
    this.#slot.set(item, i);
  }
}
