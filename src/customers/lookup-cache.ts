/**
 * Least-recently-used cache for number → customer lookups, holding misses too (a negative entry),
 * so that after warm-up a number already seen never reaches the database.
 *
 * A fetch that started before an invalidation must not store what it read: `epoch` counts
 * invalidations, and `set` is refused when the epoch moved since the caller's `begin()`.
 */
export class LookupCache<V> {
  private readonly map = new Map<string, V>();
  private epoch = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  /** The cached value, or undefined when the key is not cached (null is a cached miss). */
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert to mark as most recent; Map keeps insertion order, so the first key is the oldest.
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  begin(): number {
    return this.epoch;
  }

  set(key: string, value: V, since: number): void {
    if (this.capacity === 0 || since !== this.epoch) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }

  invalidate(keys: Iterable<string>): void {
    this.epoch++;
    for (const k of keys) this.map.delete(k);
  }

  clear(): void {
    this.epoch++;
    this.map.clear();
  }
}
