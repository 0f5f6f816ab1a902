/**
 * Free agents, indexed by skill, each list in idle order (longest idle first), so that choosing
 * an agent for a call walks the shortest list of a required skill from its head instead of every
 * agent. Agents mostly become free "now", so an insertion is nearly always at the tail: O(1).
 */

/** What the index needs of an agent. */
export interface Idle {
  /** When the agent became available; the smaller, the longer idle. */
  idleSince: number;
  /** Breaks ties of `idleSince`: who became available first. */
  idleSeq: number;
  skills: ReadonlyMap<string, number>;
}

interface Node<A> {
  agent: A;
  prev: Node<A> | undefined;
  next: Node<A> | undefined;
  list: List<A>;
}

interface List<A> {
  head: Node<A> | undefined;
  tail: Node<A> | undefined;
  size: number;
}

const newList = <A>(): List<A> => ({ head: undefined, tail: undefined, size: 0 });

function idler(a: Idle, b: Idle): boolean {
  return a.idleSince < b.idleSince || (a.idleSince === b.idleSince && a.idleSeq < b.idleSeq);
}

export class AvailableIndex<A extends Idle> {
  readonly #all: List<A> = newList();
  readonly #bySkill = new Map<string, List<A>>();
  /** The agent's nodes: one in `#all`, one per skill. */
  readonly #nodes = new Map<A, Node<A>[]>();

  get size(): number {
    return this.#all.size;
  }

  has(agent: A): boolean {
    return this.#nodes.has(agent);
  }

  add(agent: A): void {
    if (this.#nodes.has(agent)) return;
    const nodes = [insert(this.#all, agent)];
    for (const skill of agent.skills.keys()) {
      let list = this.#bySkill.get(skill);
      if (!list) {
        list = newList();
        this.#bySkill.set(skill, list);
      }
      nodes.push(insert(list, agent));
    }
    this.#nodes.set(agent, nodes);
  }

  delete(agent: A): void {
    const nodes = this.#nodes.get(agent);
    if (!nodes) return;
    for (const node of nodes) unlink(node);
    this.#nodes.delete(agent);
  }

  /** Free agents, longest idle first. */
  *inOrder(): Generator<A> {
    for (let n = this.#all.head; n; n = n.next) yield n.agent;
  }

  /**
   * The longest idle agent having every `required` skill; among those idle since the same
   * instant, the highest `level`, then who became available first.
   */
  best(required: readonly string[], level: (agent: A) => number): A | undefined {
    let list = this.#all;
    for (const skill of required) {
      const l = this.#bySkill.get(skill);
      if (!l || l.size === 0) return undefined;
      if (l.size < list.size) list = l;
    }
    let best: A | undefined;
    let bestLevel = -1;
    for (let n = list.head; n; n = n.next) {
      const a = n.agent;
      if (best !== undefined && a.idleSince > best.idleSince) break;
      if (!hasAll(a, required)) continue;
      const l = level(a);
      if (best === undefined || l > bestLevel) {
        best = a;
        bestLevel = l;
      }
    }
    return best;
  }
}

export function hasAll(a: Idle, required: readonly string[]): boolean {
  for (const s of required) if (!a.skills.has(s)) return false;
  return true;
}

function insert<A extends Idle>(list: List<A>, agent: A): Node<A> {
  const node: Node<A> = { agent, prev: undefined, next: undefined, list };
  // From the tail: agents usually become free now, after everyone already free.
  let after = list.tail;
  while (after && idler(agent, after.agent)) after = after.prev;
  node.prev = after;
  node.next = after ? after.next : list.head;
  if (node.prev) node.prev.next = node;
  else list.head = node;
  if (node.next) node.next.prev = node;
  else list.tail = node;
  list.size++;
  return node;
}

function unlink<A>(node: Node<A>): void {
  const { list } = node;
  if (node.prev) node.prev.next = node.next;
  else list.head = node.next;
  if (node.next) node.next.prev = node.prev;
  else list.tail = node.prev;
  node.prev = undefined;
  node.next = undefined;
  list.size--;
}
