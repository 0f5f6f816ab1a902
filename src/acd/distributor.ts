/**
 * The automatic call distributor: agents with skills and states, queues of waiting calls, and the
 * choice of who takes what. Pure and synchronous: every reservation happens inside one call of a
 * method, so no agent is offered two calls and no call two agents, whatever order offers and state
 * changes come in (cross-node reservation is the scale-out issue's). Clock and timers injected.
 *
 * Selection for a call: the preferred agent if free; else the longest idle free agent with every
 * required skill (queue's ∪ call's), ties going to the higher sum of levels in those skills.
 * Order of waiting calls for an agent who frees up: see `waiting.ts`. The invariant kept after
 * every method: no free agent sits beside a waiting call they may take. docs/acd.md tells it all.
 */
import type { CandidateTrace } from '../routing/types.js';
import { AvailableIndex, hasAll } from './available.js';
import type {
  AcdEvent,
  AcdOptions,
  AcdStats,
  AgentDef,
  AgentState,
  AgentView,
  CallOffer,
  CallView,
  Clock,
  LeftReason,
  OfferResult,
  QueueDef,
} from './types.js';
import { ageingKey, compareWaiting, type Waiting, WaitingCalls } from './waiting.js';

// The distributor's types, for its users.
export type * from './types.js';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

interface AgentRec {
  def: AgentDef;
  skills: Map<string, number>;
  state: AgentState;
  since: number;
  idleSince: number;
  idleSeq: number;
  device: string | undefined;
  callId: string | undefined;
  reason: string | undefined;
  cancelWrapUp: (() => void) | undefined;
  /** No longer in the plan: kept only until the call they hold ends. */
  removed: boolean;
}

/** `Waiting`'s fields must not change while the call is in `#waiting`. */
interface CallRec extends Waiting {
  offer: CallOffer;
  agentId: string | undefined;
  answered: boolean;
  /** Until when the call waits for its preferred agent; 0 once it no longer does. */
  preferUntil: number;
  /** When it entered its current queue's line: overflow counts from there. */
  enteredQueueAt: number;
  ownOverflowDone: boolean;
  cancelOverflow: (() => void) | undefined;
  cancelPrefer: (() => void) | undefined;
}

const STATES: readonly AgentState[] = ['logged_off', 'available', 'busy', 'wrap_up', 'away'];

export class Distributor {
  #queues = new Map<string, QueueDef>();
  #options: AcdOptions;
  readonly #agents = new Map<string, AgentRec>();
  readonly #calls = new Map<string, CallRec>();
  readonly #free = new AvailableIndex<AgentRec>();
  readonly #waiting = new WaitingCalls<CallRec>();
  readonly #clock: Clock;
  readonly #listener: (e: AcdEvent) => void;
  /** Origin of the ageing keys: keeps them small, hence exact enough to compare. */
  readonly #epoch: number;
  #seq = 0;
  #idleSeq = 0;
  #depth = 0;
  #flushing = false;
  readonly #pending: AcdEvent[] = [];

  constructor(opts: {
    queues: QueueDef[];
    agents: AgentDef[];
    settings: AcdOptions;
    clock?: Clock;
    onEvent?: (e: AcdEvent) => void;
  }) {
    this.#clock = opts.clock ?? realClock;
    this.#listener = opts.onEvent ?? (() => {});
    this.#options = opts.settings;
    this.#epoch = this.#clock.now();
    this.reconfigure(opts.queues, opts.agents, opts.settings);
  }

  /**
   * Hot reload: new queues, agents and options. Calls with an agent keep them. Waiting calls stay
   * in line with their age; those of a removed queue follow the old overflow chain to the first
   * queue that still exists, else leave (`left`, reason `orphaned`, and in the result) for the
   * caller to route elsewhere. Removed agents are logged off, at once or when their call ends.
   */
  reconfigure(queues: QueueDef[], agents: AgentDef[], options: AcdOptions): { orphaned: string[] } {
    return this.#run(() => {
      const now = this.#clock.now();
      const old = this.#queues;
      this.#queues = new Map(queues.map((q) => [q.id, q]));
      const rekey = options.ageing.pointsPerSecond !== this.#options.ageing.pointsPerSecond;
      this.#options = options;
      // Every waiting call leaves the line and comes back: its queue, skills, key or preferred
      // agent may have changed. Out first, so that agents changing below do not serve it yet.
      const calls = this.#waiting.all();
      for (const c of calls) this.#waiting.delete(c);
      this.#reconfigureAgents(agents, now);
      if (rekey) for (const c of this.#calls.values()) c.key = this.#keyOf(c.priority, c.arrivedAt);
      const orphaned: CallRec[] = [];
      for (const c of calls) {
        if (!this.#queues.has(c.queue)) {
          const to = this.#survivingOverflow(c, old);
          if (to === undefined) {
            orphaned.push(c);
            continue;
          }
          const from = c.queue;
          c.queue = to;
          c.enteredQueueAt = now;
          this.#emit({ type: 'overflowed', callId: c.callId, from, to });
        }
        c.required = requiredOf(this.#queues.get(c.queue) as QueueDef, c.offer.skills);
        this.#place(c);
        this.#armOverflow(c);
      }
      for (const c of orphaned) this.#leave(c, 'orphaned');
      for (const a of [...this.#free.inOrder()]) this.#serve(a);
      return { orphaned: orphaned.map((c) => c.callId) };
    });
  }

  // ── agents ────────────────────────────────────────────────────────────────

  /** The agent sits at `device` (else their usual one) and is available. */
  login(agentId: string, device?: string): AgentView {
    return this.#run(() => {
      const a = this.#agent(agentId);
      if (a.removed) throw new Error(`unknown agent ${agentId}`);
      if (device !== undefined) a.device = device;
      if (a.device === undefined) throw new Error(`agent ${agentId} has no device to log in at`);
      // Back at the desk while a call they answered goes on: busy until it ends.
      if (a.state === 'logged_off') this.#setState(a, a.callId === undefined ? 'available' : 'busy');
      return this.#view(a);
    });
  }

  /**
   * Logs an agent off. A call reserved for them and not yet answered goes back first in line; a
   * call they answered goes on (its end frees nobody). Calls waiting for them alone stop waiting.
   */
  logout(agentId: string): AgentView {
    return this.#run(() => {
      const a = this.#agent(agentId);
      const c = a.callId === undefined ? undefined : this.#calls.get(a.callId);
      const giveBack = c !== undefined && !c.answered;
      if (giveBack) {
        a.callId = undefined;
        c.agentId = undefined;
      }
      this.#setState(a, 'logged_off');
      if (giveBack) this.#giveBack(c);
      this.#stopWaitingFor(a);
      const view = this.#view(a);
      // Removed from the plan and now without a call: gone for good.
      if (a.removed && a.callId === undefined) this.#drop(a);
      return view;
    });
  }

  /** Available, away (with a reason), wrap-up or busy, as the agent or the PBX says. */
  setState(agentId: string, state: Exclude<AgentState, 'logged_off'>, reason?: string): AgentView {
    return this.#run(() => {
      const a = this.#agent(agentId);
      if (a.removed) throw new Error(`unknown agent ${agentId}`);
      // Away needs no device (the PBX may say so before a login); the other states take calls.
      if (state !== 'away' && a.device === undefined)
        throw new Error(`agent ${agentId} ${a.state === 'logged_off' ? 'is logged off' : 'has no device'}`);
      // An agent with a reserved call cannot become available by hand: the call's end frees them.
      if (state === 'available' && a.callId !== undefined) return this.#view(a);
      this.#setState(a, state, reason);
      return this.#view(a);
    });
  }

  agent(agentId: string): AgentView | undefined {
    const a = this.#agents.get(agentId);
    return a && this.#view(a);
  }

  agents(): AgentView[] {
    return [...this.#agents.values()].map((a) => this.#view(a));
  }

  /** The agent logged in at a device (for events the PBX reports by device). */
  agentAt(device: string): string | undefined {
    for (const a of this.#agents.values())
      if (a.device === device && a.state !== 'logged_off') return a.def.id;
    return undefined;
  }

  // ── calls ─────────────────────────────────────────────────────────────────

  /**
   * A call for a queue: an agent reserved at once (state `busy`), or the call waits in line.
   * `candidates` tells whom the choice considered (at most a dozen agents).
   */
  offer(offer: CallOffer): OfferResult {
    return this.#run(() => {
      const q = this.#queues.get(offer.queue);
      if (!q) throw new Error(`unknown queue ${offer.queue}`);
      if (this.#calls.has(offer.callId)) throw new Error(`call ${offer.callId} is already distributed`);
      const now = this.#clock.now();
      const arrivedAt = Math.min(offer.at ?? now, now);
      const c: CallRec = {
        callId: offer.callId,
        queue: q.id,
        required: requiredOf(q, offer.skills),
        waitingFor: undefined,
        returned: false,
        arrivedAt,
        priority: offer.priority,
        key: this.#keyOf(offer.priority, arrivedAt),
        seq: ++this.#seq,
        ageIx: -1,
        keyIx: -1,
        offer,
        agentId: undefined,
        answered: false,
        preferUntil: 0,
        enteredQueueAt: now,
        ownOverflowDone: false,
        cancelOverflow: undefined,
        cancelPrefer: undefined,
      };
      const waitSeconds = offer.preferredAgentWaitSeconds ?? this.#options.preferredAgentWaitSeconds;
      if (this.#mayWaitFor(c, offer.preferredAgent) && waitSeconds > 0)
        c.preferUntil = now + waitSeconds * 1000;
      this.#calls.set(c.callId, c);
      const candidates: CandidateTrace[] = [];
      const a = this.#pick(c, candidates);
      if (a) {
        this.#reserve(a, c);
        return { kind: 'assigned', agentId: a.def.id, device: a.device as string, candidates };
      }
      this.#enqueue(c);
      if (c.waitingFor !== undefined) {
        c.cancelPrefer = this.#clock.setTimer(c.preferUntil - now, () =>
          this.#run(() => this.#preferenceOver(c)),
        );
      }
      const position = this.#position(c);
      this.#emit({ type: 'queued', callId: c.callId, queue: q.id, position });
      return { kind: 'queued', queue: q.id, position, candidates };
    });
  }

  /** The agent answered the call: its end puts them in wrap-up. */
  answered(callId: string): void {
    const c = this.#calls.get(callId);
    if (c?.agentId !== undefined) c.answered = true;
  }

  /**
   * The call ended or left the distributor (routed elsewhere, the link gave up waiting). Its
   * agent, if any, goes to wrap-up (if the call was answered and `wrapUpSeconds` > 0) or is
   * available again, and takes the best waiting call at once. A waiting call emits `left`.
   */
  release(callId: string): void {
    this.#run(() => {
      const c = this.#calls.get(callId);
      if (c) this.#end(c, 'withdrawn');
    });
  }

  /** Same as `release`: the call cleared. */
  released(callId: string): void {
    this.release(callId);
  }

  /** Same as `release`: the call cleared. */
  cleared(callId: string): void {
    this.release(callId);
  }

  /** The caller hung up before an agent answered: `left` with reason `abandoned` if they waited. */
  remove(callId: string): void {
    this.#run(() => {
      const c = this.#calls.get(callId);
      if (c) this.#end(c, 'abandoned');
    });
  }

  /**
   * The agent did not answer (ring-no-answer): they go away, and the call goes back first in its
   * queue and to the next agent. With `agentId`, a late report about an earlier agent is ignored.
   */
  rejected(callId: string, agentId?: string): void {
    this.#run(() => {
      const c = this.#calls.get(callId);
      if (!c || c.agentId === undefined || c.answered) return;
      if (agentId !== undefined && c.agentId !== agentId) return;
      const a = this.#agents.get(c.agentId);
      c.agentId = undefined;
      if (a && a.callId === callId) {
        a.callId = undefined;
        if (a.removed) this.#drop(a);
        else if (a.state !== 'logged_off') this.#setState(a, 'away', 'ring-no-answer');
      }
      this.#giveBack(c);
    });
  }

  /**
   * The PBX reports the call left the agent's device unanswered (ring-no-answer, or the device was
   * busy with a call Relais did not give): the agent goes away with that reason, so they are not
   * offered the next call, and the call leaves the distributor (the PBX has routed it on itself).
   */
  notAnswered(callId: string, reason: string): void {
    this.#run(() => {
      const c = this.#calls.get(callId);
      if (!c) return;
      if (c.agentId === undefined) {
        this.#end(c, 'withdrawn');
        return;
      }
      const a = this.#agents.get(c.agentId);
      this.#forget(c);
      if (a && a.callId === callId) {
        a.callId = undefined;
        if (a.removed) this.#drop(a);
        else if (a.state !== 'logged_off') this.#setState(a, 'away', reason);
      }
    });
  }

  call(callId: string): CallView | undefined {
    const c = this.#calls.get(callId);
    if (!c) return undefined;
    return {
      callId: c.callId,
      queue: c.queue,
      priority: c.priority,
      required: [...c.required],
      state: c.agentId === undefined ? 'waiting' : c.answered ? 'answered' : 'assigned',
      agentId: c.agentId,
      waitingFor: c.waitingFor,
      returned: c.returned,
      arrivedAt: c.arrivedAt,
    };
  }

  /** Per queue: calls waiting, the longest wait, its agents by state; and all agents by state. */
  stats(): AcdStats {
    const now = this.#clock.now();
    const agents = byState();
    for (const a of this.#agents.values()) agents[a.state]++;
    const queues = [...this.#queues.values()].map((q) => {
      const oldest = this.#waiting.oldestArrival(q.id);
      const states = byState();
      for (const a of this.#agents.values()) if (hasAll(a, q.skills)) states[a.state]++;
      return {
        id: q.id,
        waiting: this.#waiting.count(q.id),
        longestWaitMs: oldest === undefined ? 0 : now - oldest,
        agents: states,
      };
    });
    return { queues, agents };
  }

  /** Waiting call ids of a queue, in the order they are served (skills aside). O(n log n). */
  waiting(queue: string): string[] {
    const now = this.#clock.now();
    const bound = this.#boundMs();
    return [...this.#waiting.inQueue(queue)]
      .sort((x, y) => compareWaiting(x, y, now, bound))
      .map((c) => c.callId);
  }

  // ── events ────────────────────────────────────────────────────────────────

  /**
   * Runs a public method or a timer. Events wait until the outermost one is done, so a listener
   * sees a consistent distributor and may call it back.
   */
  #run<T>(fn: () => T): T {
    this.#depth++;
    try {
      return fn();
    } finally {
      this.#depth--;
      if (this.#depth === 0) this.#flush();
    }
  }

  #emit(e: AcdEvent): void {
    this.#pending.push(e);
  }

  #flush(): void {
    if (this.#flushing) return; // a listener called back: the loop below delivers its events
    this.#flushing = true;
    let failed = false;
    let failure: unknown;
    try {
      for (let i = 0; i < this.#pending.length; i++) {
        try {
          this.#listener(this.#pending[i] as AcdEvent);
        } catch (err) {
          // One failing listener must not hide the later events from it.
          if (!failed) failure = err;
          failed = true;
        }
      }
    } finally {
      this.#pending.length = 0;
      this.#flushing = false;
    }
    if (failed) throw failure;
  }

  // ── agents, internals ─────────────────────────────────────────────────────

  #agent(id: string): AgentRec {
    const a = this.#agents.get(id);
    if (!a) throw new Error(`unknown agent ${id}`);
    return a;
  }

  #view(a: AgentRec): AgentView {
    return {
      id: a.def.id,
      name: a.def.name,
      state: a.state,
      since: a.since,
      idleSince: a.idleSince,
      device: a.device,
      skills: a.def.skills,
      callId: a.callId,
      reason: a.reason,
    };
  }

  #reconfigureAgents(agents: AgentDef[], now: number): void {
    const ids = new Set(agents.map((a) => a.id));
    for (const def of agents) {
      const rec = this.#agents.get(def.id);
      if (!rec) {
        this.#agents.set(def.id, {
          def,
          skills: skillMap(def.skills),
          state: 'logged_off',
          since: now,
          idleSince: now,
          idleSeq: 0,
          device: def.device,
          callId: undefined,
          reason: undefined,
          cancelWrapUp: undefined,
          removed: false,
        });
        continue;
      }
      // Out of the index while its skills change; back with the same idle time.
      const indexed = this.#free.has(rec);
      if (indexed) this.#free.delete(rec);
      rec.def = def;
      rec.skills = skillMap(def.skills);
      rec.removed = false;
      rec.device = rec.state === 'logged_off' ? (def.device ?? rec.device) : (rec.device ?? def.device);
      if (indexed) this.#free.add(rec);
    }
    for (const rec of [...this.#agents.values()]) {
      if (ids.has(rec.def.id)) continue;
      rec.removed = true;
      if (rec.callId === undefined) this.#drop(rec);
    }
  }

  /** A removed agent leaves for good. */
  #drop(a: AgentRec): void {
    if (a.state !== 'logged_off') this.#setState(a, 'logged_off');
    a.cancelWrapUp?.();
    this.#free.delete(a);
    this.#agents.delete(a.def.id);
    this.#stopWaitingFor(a);
  }

  #setState(a: AgentRec, state: AgentState, reason?: string): void {
    a.cancelWrapUp?.();
    a.cancelWrapUp = undefined;
    const was = a.state;
    const now = this.#clock.now();
    if (this.#free.has(a)) this.#free.delete(a); // re-added below, if still free
    a.state = state;
    a.reason = state === 'away' ? reason : undefined;
    if (was !== state || reason !== undefined) a.since = now;
    if (state === 'available' && was !== 'available') {
      a.idleSince = now;
      a.idleSeq = ++this.#idleSeq;
    }
    if (was !== state || reason !== undefined)
      this.#emit({ type: 'agent', agentId: a.def.id, state, reason });
    if (state === 'available' && a.callId === undefined && a.device !== undefined && !a.removed) {
      this.#free.add(a);
      this.#serve(a);
    }
  }

  /** A free agent takes the best waiting call they may. */
  #serve(a: AgentRec): void {
    if (!this.#free.has(a)) return;
    const c = this.#waiting.bestFor(
      a.def.id,
      (required) => hasAll(a, required),
      this.#clock.now(),
      this.#boundMs(),
    );
    if (c) this.#reserve(a, c);
  }

  /** Calls waiting for `a` alone stop waiting for them, and go to anyone, best first. */
  #stopWaitingFor(a: AgentRec): void {
    const calls = this.#waiting.waitingFor(a.def.id);
    if (calls.length === 0) return;
    const now = this.#clock.now();
    const bound = this.#boundMs();
    calls.sort((x, y) => compareWaiting(x, y, now, bound));
    for (const c of calls) {
      this.#waiting.delete(c);
      c.preferUntil = 0;
      this.#place(c);
    }
    for (const c of calls) this.#tryAssign(c);
  }

  // ── calls, internals ──────────────────────────────────────────────────────

  #boundMs(): number {
    return this.#options.ageing.maxWaitSeconds * 1000;
  }

  #keyOf(priority: number, arrivedAt: number): number {
    return ageingKey(priority, arrivedAt, this.#epoch, this.#options.ageing.pointsPerSecond);
  }

  /** A call waits for its preferred agent only while they are logged in and have the skills. */
  #mayWaitFor(c: CallRec, agentId: string | undefined): boolean {
    const p = agentId === undefined ? undefined : this.#agents.get(agentId);
    return p !== undefined && p.state !== 'logged_off' && !p.removed && hasAll(p, c.required);
  }

  /** The best free agent for a call, or undefined; fills `trace` with who was considered. */
  #pick(c: CallRec, trace?: CandidateTrace[]): AgentRec | undefined {
    const prefId = c.offer.preferredAgent;
    let prefNote: CandidateTrace | undefined;
    if (prefId !== undefined) {
      const p = this.#agents.get(prefId);
      if (p && this.#free.has(p) && hasAll(p, c.required)) {
        trace?.push({ agentId: prefId, chosen: true, why: 'preferred (last agent of the customer), free' });
        return p;
      }
      const missing = p && c.required.find((s) => !p.skills.has(s));
      const status = !p ? 'unknown agent' : missing ? `missing skill ${missing}` : p.state;
      if (this.#clock.now() < c.preferUntil) {
        trace?.push({ agentId: prefId, chosen: false, why: `preferred, ${status}: waited for` });
        return undefined;
      }
      prefNote = { agentId: prefId, chosen: false, why: `preferred, ${status}` };
    }
    const best = this.#free.best(c.required, (a) => levelOf(a, c.required));
    if (trace) this.#trace(c, best, prefNote, trace);
    return best;
  }

  #trace(c: CallRec, best: AgentRec | undefined, pref: CandidateTrace | undefined, trace: CandidateTrace[]) {
    const now = this.#clock.now();
    const idle = (a: AgentRec) => `idle ${Math.round((now - a.idleSince) / 1000)} s`;
    const skills = c.required.join(', ') || 'no required skill';
    if (best) {
      const why = `longest idle with ${skills} (${idle(best)}, level ${levelOf(best, c.required)})`;
      trace.push({ agentId: best.def.id, chosen: true, why });
    }
    if (pref) trace.push(pref);
    // The next free agents in idle order: enough to read why, bounded to stay cheap.
    let n = 0;
    for (const a of this.#free.inOrder()) {
      if (a === best || a.def.id === c.offer.preferredAgent) continue;
      if (++n > 10) break;
      const missing = c.required.find((s) => !a.skills.has(s));
      const why = missing
        ? `missing skill ${missing}`
        : best && a.idleSince === best.idleSince
          ? `${idle(a)} like the chosen, level ${levelOf(a, c.required)}`
          : `${idle(a)}, less than the chosen`;
      trace.push({ agentId: a.def.id, chosen: false, why });
    }
  }

  #reserve(a: AgentRec, c: CallRec): void {
    this.#waiting.delete(c);
    this.#stopTimers(c);
    c.waitingFor = undefined;
    c.returned = false;
    c.agentId = a.def.id;
    a.callId = c.callId;
    this.#setState(a, 'busy');
    this.#emit({
      type: 'assigned',
      callId: c.callId,
      agentId: a.def.id,
      device: a.device as string,
      queue: c.queue,
      waitedMs: this.#clock.now() - c.arrivedAt,
    });
  }

  #tryAssign(c: CallRec): void {
    if (!this.#waiting.has(c)) return;
    const a = this.#pick(c);
    if (a) this.#reserve(a, c);
  }

  /** Into the waiting line of its queue, for its preferred agent alone while it waits for them. */
  #place(c: CallRec): void {
    const now = this.#clock.now();
    c.waitingFor =
      now < c.preferUntil && this.#mayWaitFor(c, c.offer.preferredAgent) ? c.offer.preferredAgent : undefined;
    if (c.waitingFor === undefined) {
      c.preferUntil = 0;
      c.cancelPrefer?.();
      c.cancelPrefer = undefined;
    }
    this.#waiting.add(c);
  }

  /** (Back) into its queue's line, the overflow timer starting now. False if the queue is gone. */
  #enqueue(c: CallRec): boolean {
    if (!this.#queues.has(c.queue)) {
      this.#leave(c, 'orphaned');
      return false;
    }
    c.enteredQueueAt = this.#clock.now();
    this.#place(c);
    this.#armOverflow(c);
    return true;
  }

  /** A call its agent did not take goes first in its queue, to anyone. */
  #giveBack(c: CallRec): void {
    c.preferUntil = 0;
    c.returned = true;
    if (this.#enqueue(c)) this.#tryAssign(c);
  }

  #preferenceOver(c: CallRec): void {
    c.cancelPrefer = undefined;
    if (!this.#waiting.has(c) || c.waitingFor === undefined) return;
    this.#waiting.delete(c);
    c.preferUntil = 0;
    this.#place(c);
    this.#tryAssign(c);
  }

  /** Where and when a waiting call overflows: its own overflow first, then its queue's. */
  #overflowOf(c: CallRec): { afterSeconds: number; to: string; own: boolean } | undefined {
    const own = c.offer.overflow;
    if (own !== undefined && !c.ownOverflowDone && this.#queues.has(own.to)) return { ...own, own: true };
    const q = this.#queues.get(c.queue)?.overflow;
    return q && { ...q, own: false };
  }

  #armOverflow(c: CallRec): void {
    c.cancelOverflow?.();
    c.cancelOverflow = undefined;
    const o = this.#overflowOf(c);
    if (!o) return;
    const ms = Math.max(0, c.enteredQueueAt + o.afterSeconds * 1000 - this.#clock.now());
    c.cancelOverflow = this.#clock.setTimer(ms, () => this.#run(() => this.#overflow(c)));
  }

  #overflow(c: CallRec): void {
    c.cancelOverflow = undefined;
    if (!this.#waiting.has(c)) return;
    const o = this.#overflowOf(c);
    const q = o && this.#queues.get(o.to);
    if (!o || !q) return;
    if (o.own) c.ownOverflowDone = true;
    const from = c.queue;
    this.#waiting.delete(c);
    c.queue = q.id;
    c.required = requiredOf(q, c.offer.skills);
    this.#enqueue(c);
    this.#emit({ type: 'overflowed', callId: c.callId, from, to: q.id });
    this.#tryAssign(c);
  }

  /** For a call whose queue was removed: the first queue of the old overflow chain still there. */
  #survivingOverflow(c: CallRec, old: Map<string, QueueDef>): string | undefined {
    const own = c.offer.overflow;
    let to = own !== undefined && !c.ownOverflowDone ? own.to : old.get(c.queue)?.overflow?.to;
    if (own !== undefined) c.ownOverflowDone = true;
    const seen = new Set<string>();
    while (to !== undefined && !this.#queues.has(to) && !seen.has(to)) {
      seen.add(to);
      to = old.get(to)?.overflow?.to;
    }
    return to !== undefined && this.#queues.has(to) ? to : undefined;
  }

  #position(c: CallRec): number {
    return this.#waiting.countAhead(c, this.#clock.now(), this.#boundMs()) + 1;
  }

  /** The call is over for the distributor; its agent, if any, is freed. */
  #end(c: CallRec, reason: LeftReason): void {
    if (c.agentId === undefined) {
      this.#leave(c, reason);
      return;
    }
    const a = this.#agents.get(c.agentId);
    this.#forget(c);
    if (!a || a.callId !== c.callId) return;
    a.callId = undefined;
    if (a.removed) this.#drop(a);
    // Only a busy agent is freed: one away, in wrap-up or logged off meanwhile stays so.
    else if (a.state === 'busy') {
      if (c.answered && (this.#options.wrapUpSeconds ?? 0) > 0) this.#wrapUp(a);
      else this.#setState(a, 'available');
    }
  }

  #wrapUp(a: AgentRec): void {
    this.#setState(a, 'wrap_up');
    a.cancelWrapUp = this.#clock.setTimer((this.#options.wrapUpSeconds ?? 0) * 1000, () =>
      this.#run(() => {
        a.cancelWrapUp = undefined;
        if (a.state === 'wrap_up' && this.#agents.get(a.def.id) === a) this.#setState(a, 'available');
      }),
    );
  }

  /** A call without an agent leaves. */
  #leave(c: CallRec, reason: LeftReason): void {
    this.#forget(c);
    const waitedMs = this.#clock.now() - c.arrivedAt;
    this.#emit({ type: 'left', callId: c.callId, queue: c.queue, waitedMs, reason });
  }

  #forget(c: CallRec): void {
    this.#waiting.delete(c);
    this.#stopTimers(c);
    if (this.#calls.get(c.callId) === c) this.#calls.delete(c.callId);
  }

  #stopTimers(c: CallRec): void {
    c.cancelOverflow?.();
    c.cancelPrefer?.();
    c.cancelOverflow = undefined;
    c.cancelPrefer = undefined;
  }
}

/** Queue skills ∪ call skills, sorted: calls needing the same skills share a group. */
function requiredOf(q: QueueDef, extra: readonly string[]): string[] {
  return [...new Set([...q.skills, ...extra])].sort();
}

/** The sum of the agent's levels in the required skills: the tie-break between equally idle agents. */
function levelOf(a: AgentRec, required: readonly string[]): number {
  let sum = 0;
  for (const s of required) sum += a.skills.get(s) ?? 0;
  return sum;
}

/** Own keys only: a skill named `constructor` is not inherited from Object.prototype. */
function skillMap(skills: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(skills));
}

function byState(): Record<AgentState, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<AgentState, number>;
}
