/**
 * Waiting calls, in the order agents take them:
 *
 *   1. calls given back (ring-no-answer, agent logged off before answering), oldest first;
 *   2. calls that have waited `maxWaitSeconds` or more, oldest first (ageing's bound);
 *   3. the highest effective priority, `priority + pointsPerSecond × seconds waited`;
 *   4. the earliest arrival, then the earliest offer.
 *
 * Effective priority grows at the same rate for every call, so its order never changes with time:
 * it is the order of `key = 1000 × priority − pointsPerSecond × (arrivedAt − epoch)`, kept in a
 * heap. Only the tier of rule 2 depends on the time, and it is a prefix of the arrival order: the
 * oldest call tells whether any call has crossed the bound. So each group of calls is three heaps
 * (given back, by arrival, by key) and its best call is found in O(1), moved in O(log n).
 *
 * Calls are grouped by queue, required skills and the agent they wait for (the preferred agent's
 * wait), so an agent who frees up looks at the head of each group they can serve, not at each call.
 * The groups are few (queues × distinct skill sets, plus calls waiting for one agent).
 */
import { IndexedHeap } from './heap.js';

export interface Waiting {
  callId: string;
  queue: string;
  /** Every skill the agent must have, sorted. */
  required: readonly string[];
  /** While set, only this agent may take the call. */
  waitingFor: string | undefined;
  /** Given back: served before the queue's other calls. */
  returned: boolean;
  arrivedAt: number;
  priority: number;
  /** The effective priority's order: see above. */
  key: number;
  /** Offer order: the last tie-break. */
  seq: number;
  /** Positions in the heaps; -1 outside. */
  ageIx: number;
  keyIx: number;
}

const byArrival = (a: Waiting, b: Waiting): boolean =>
  a.arrivedAt < b.arrivedAt || (a.arrivedAt === b.arrivedAt && a.seq < b.seq);
const byKey = (a: Waiting, b: Waiting): boolean => a.key > b.key || (a.key === b.key && byArrival(a, b));
const ageSlot = { get: (c: Waiting) => c.ageIx, set: (c: Waiting, i: number) => (c.ageIx = i) };
const keySlot = { get: (c: Waiting) => c.keyIx, set: (c: Waiting, i: number) => (c.keyIx = i) };

/**
 * The ordering key of a call's effective priority (see the module comment), in thousandths of a
 * point: integers for integer priorities and rates, so that calls of equal effective priority
 * compare equal (and go by arrival) instead of by a rounding error.
 */
export function ageingKey(
  priority: number,
  arrivedAt: number,
  epoch: number,
  pointsPerSecond: number,
): number {
  return priority * 1000 - pointsPerSecond * (arrivedAt - epoch);
}

/** Negative when `x` is served before `y` (the order above). */
export function compareWaiting(x: Waiting, y: Waiting, now: number, boundMs: number): number {
  const tx = tier(x, now, boundMs);
  const ty = tier(y, now, boundMs);
  if (tx !== ty) return tx - ty;
  if (tx === 2 && x.key !== y.key) return y.key - x.key;
  return x.arrivedAt - y.arrivedAt || x.seq - y.seq;
}

function tier(c: Waiting, now: number, boundMs: number): number {
  if (c.returned) return 0;
  return now - c.arrivedAt >= boundMs ? 1 : 2;
}

class Group<C extends Waiting> {
  readonly returned = new IndexedHeap<C>(byArrival, ageSlot);
  readonly byAge = new IndexedHeap<C>(byArrival, ageSlot);
  readonly byKey = new IndexedHeap<C>(byKey, keySlot);

  constructor(
    readonly id: string,
    readonly queue: string,
    readonly required: readonly string[],
    readonly waitingFor: string | undefined,
  ) {}

  get size(): number {
    return this.returned.size + this.byAge.size;
  }

  add(c: C): void {
    if (c.returned) this.returned.push(c);
    else {
      this.byAge.push(c);
      this.byKey.push(c);
    }
  }

  delete(c: C): void {
    if (c.returned) this.returned.remove(c);
    else {
      this.byAge.remove(c);
      this.byKey.remove(c);
    }
  }

  /** The call served first. */
  head(now: number, boundMs: number): C | undefined {
    const r = this.returned.peek();
    if (r) return r;
    const oldest = this.byAge.peek();
    if (oldest && now - oldest.arrivedAt >= boundMs) return oldest;
    return this.byKey.peek();
  }

  oldestArrival(): number | undefined {
    const r = this.returned.peek();
    const a = this.byAge.peek();
    if (!r) return a?.arrivedAt;
    return a ? Math.min(r.arrivedAt, a.arrivedAt) : r.arrivedAt;
  }

  *calls(): Generator<C> {
    yield* this.returned.items();
    yield* this.byAge.items();
  }
}

export class WaitingCalls<C extends Waiting> {
  readonly #groups = new Map<string, Group<C>>();
  readonly #groupOf = new Map<C, Group<C>>();
  /** Non-empty groups anyone with the skills may serve. */
  readonly #open = new Set<Group<C>>();
  /** Non-empty groups of calls waiting for one agent, by agent. */
  readonly #reserved = new Map<string, Set<Group<C>>>();
  readonly #byQueue = new Map<string, Set<Group<C>>>();
  readonly #count = new Map<string, number>();

  get size(): number {
    return this.#groupOf.size;
  }

  has(c: C): boolean {
    return this.#groupOf.has(c);
  }

  add(c: C): void {
    if (this.#groupOf.has(c)) return;
    const id = `${c.queue}\u0000${c.required.join('\u0001')}\u0000${c.waitingFor ?? ''}`;
    let g = this.#groups.get(id);
    if (!g) {
      g = new Group<C>(id, c.queue, c.required, c.waitingFor);
      this.#groups.set(id, g);
    }
    if (g.size === 0) {
      if (g.waitingFor === undefined) this.#open.add(g);
      else setOf(this.#reserved, g.waitingFor).add(g);
      setOf(this.#byQueue, g.queue).add(g);
    }
    g.add(c);
    this.#groupOf.set(c, g);
    this.#count.set(c.queue, (this.#count.get(c.queue) ?? 0) + 1);
  }

  delete(c: C): void {
    const g = this.#groupOf.get(c);
    if (!g) return;
    g.delete(c);
    this.#groupOf.delete(c);
    this.#count.set(g.queue, (this.#count.get(g.queue) ?? 1) - 1);
    if (g.size > 0) return;
    // Empty groups go: a group per (queue, skills, preferred agent) would otherwise pile up.
    this.#groups.delete(g.id);
    this.#open.delete(g);
    if (g.waitingFor !== undefined) unsetOf(this.#reserved, g.waitingFor, g);
    unsetOf(this.#byQueue, g.queue, g);
  }

  /** The call `agentId` takes: the best of the heads of the groups they may serve. */
  bestFor(
    agentId: string,
    qualifies: (required: readonly string[]) => boolean,
    now: number,
    boundMs: number,
  ): C | undefined {
    let best: C | undefined;
    const consider = (g: Group<C>) => {
      if (!qualifies(g.required)) return;
      const h = g.head(now, boundMs);
      if (h && (best === undefined || compareWaiting(h, best, now, boundMs) < 0)) best = h;
    };
    for (const g of this.#open) consider(g);
    const mine = this.#reserved.get(agentId);
    if (mine) for (const g of mine) consider(g);
    return best;
  }

  /** Calls waiting for `agentId` alone. */
  waitingFor(agentId: string): C[] {
    const out: C[] = [];
    for (const g of this.#reserved.get(agentId) ?? []) out.push(...g.calls());
    return out;
  }

  count(queue: string): number {
    return this.#count.get(queue) ?? 0;
  }

  oldestArrival(queue: string): number | undefined {
    let oldest: number | undefined;
    for (const g of this.#byQueue.get(queue) ?? []) {
      const t = g.oldestArrival();
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  /** How many calls of `c`'s queue are served before it: O(calls in the queue), without a sort. */
  countAhead(c: C, now: number, boundMs: number): number {
    let ahead = 0;
    for (const g of this.#byQueue.get(c.queue) ?? []) {
      for (const heap of [g.returned, g.byAge]) {
        const items = heap.items();
        for (let i = 0; i < items.length; i++)
          if (compareWaiting(items[i] as C, c, now, boundMs) < 0) ahead++;
      }
    }
    return ahead;
  }

  /** A queue's waiting calls, in no order. */
  *inQueue(queue: string): Generator<C> {
    for (const g of this.#byQueue.get(queue) ?? []) yield* g.calls();
  }

  /** Every waiting call, in no order. */
  all(): C[] {
    return [...this.#groupOf.keys()];
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function unsetOf<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
