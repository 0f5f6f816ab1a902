/**
 * The automatic call distributor: agents with skills and states, queues of waiting calls, and the
 * choice of who takes what. Pure and synchronous: every reservation happens inside one call of a
 * method, so no agent is offered two calls and no call two agents, whatever order offers and state
 * changes come in (cross-node reservation is the scale-out issue's). Clock and timers injected.
 *
 * Selection for a new call: the preferred agent if free; else the longest idle free agent with
 * every required skill, ties going to the higher total level in those skills.
 * Order of waiting calls for an agent who frees up: calls waiting longer than `maxWaitSeconds`
 * first (oldest first: ageing's bound), then effective priority (priority + pointsPerSecond ×
 * seconds waited), then arrival.
 */
import type { CandidateTrace } from '../routing/types.js';

export type AgentState = 'logged_off' | 'available' | 'busy' | 'wrap_up' | 'away';

export interface AgentDef {
  id: string;
  name?: string;
  device?: string;
  /** Skill → level 1..9. */
  skills: Record<string, number>;
}

export interface QueueDef {
  id: string;
  device: string;
  skills: string[];
  overflow?: { afterSeconds: number; to: string };
}

export interface AcdSettings {
  ageing: { pointsPerSecond: number; maxWaitSeconds: number };
  preferredAgentWaitSeconds: number;
  wrapUpSeconds: number;
}

export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

export interface CallOffer {
  callId: string;
  queue: string;
  priority: number;
  /** Skills on top of the queue's. */
  skills: string[];
  preferredAgent?: string;
  /** The rule's own overflow: applies first, in place of the queue's; then the queues' chain. */
  overflow?: { afterSeconds: number; to: string };
}

export type OfferResult =
  | { kind: 'assigned'; agentId: string; device: string; candidates: CandidateTrace[] }
  | { kind: 'queued'; queue: string; position: number; candidates: CandidateTrace[] };

export type AcdEvent =
  | { type: 'assigned'; callId: string; agentId: string; device: string; queue: string; waitedMs: number }
  | { type: 'overflowed'; callId: string; from: string; to: string }
  /** A waiting call left its queue without an agent (caller gone, or sent elsewhere). */
  | { type: 'left'; callId: string; queue: string; waitedMs: number }
  | { type: 'agent'; agentId: string; state: AgentState; reason?: string };

export interface AgentView {
  id: string;
  name?: string;
  state: AgentState;
  since: number;
  device?: string;
  skills: Record<string, number>;
  callId?: string;
  reason?: string;
}

interface AgentRec {
  def: AgentDef;
  state: AgentState;
  since: number;
  /** When the agent last became free: longest idle first. */
  idleSince: number;
  device: string | undefined;
  callId: string | undefined;
  reason: string | undefined;
  cancelWrapUp: (() => void) | undefined;
}

interface CallRec {
  offer: CallOffer;
  queue: string;
  required: string[];
  arrivedAt: number;
  /** Until when only the preferred agent may take it. */
  preferUntil: number;
  agentId: string | undefined;
  answered: boolean;
  cancelTimers: Array<() => void>;
  /** The call's own overflow has moved it already. */
  overflowed: boolean;
}

export class Distributor {
  #queues = new Map<string, QueueDef>();
  #settings: AcdSettings;
  readonly #agents = new Map<string, AgentRec>();
  readonly #calls = new Map<string, CallRec>();
  /** Waiting call ids per queue, in arrival order. */
  readonly #waiting = new Map<string, Set<string>>();
  readonly #clock: Clock;
  readonly #onEvent: (e: AcdEvent) => void;

  constructor(opts: {
    queues: QueueDef[];
    agents: AgentDef[];
    settings: AcdSettings;
    clock?: Clock;
    onEvent?: (e: AcdEvent) => void;
  }) {
    this.#clock = opts.clock ?? realClock;
    this.#onEvent = opts.onEvent ?? (() => {});
    this.#settings = opts.settings;
    this.reconfigure(opts.queues, opts.agents, opts.settings);
  }

  /**
   * Hot reload: new queues, agents and settings. Calls in progress keep their agents; waiting
   * calls of a removed queue go to its old overflow if it still exists, else stay where they are
   * (reported by `waiting()`), never dropped. Removed agents are logged off once free.
   */
  reconfigure(queues: QueueDef[], agents: AgentDef[], settings: AcdSettings): void {
    const old = this.#queues;
    this.#queues = new Map(queues.map((q) => [q.id, q]));
    this.#settings = settings;
    for (const q of queues) if (!this.#waiting.has(q.id)) this.#waiting.set(q.id, new Set());
    for (const [id, set] of this.#waiting) {
      if (this.#queues.has(id)) continue;
      const to = old.get(id)?.overflow?.to;
      if (to !== undefined && this.#queues.has(to)) {
        for (const callId of set) this.#move(callId, to);
        this.#waiting.delete(id);
      }
    }
    const now = this.#clock.now();
    const defs = new Map(agents.map((a) => [a.id, a]));
    for (const a of agents) {
      const rec = this.#agents.get(a.id);
      if (rec) {
        rec.def = a;
        rec.device ??= a.device;
      } else {
        this.#agents.set(a.id, {
          def: a,
          state: 'logged_off',
          since: now,
          idleSince: now,
          device: a.device,
          callId: undefined,
          reason: undefined,
          cancelWrapUp: undefined,
        });
      }
    }
    for (const [id, rec] of this.#agents) {
      if (!defs.has(id) && rec.callId === undefined) this.#agents.delete(id);
    }
    for (const callId of this.#calls.keys()) this.#tryAssign(callId);
  }

  // ── agents ────────────────────────────────────────────────────────────────

  /** The agent sits at `device` and is available. */
  login(agentId: string, device?: string): AgentView {
    const a = this.#agent(agentId);
    if (device !== undefined) a.device = device;
    if (a.device === undefined) throw new Error(`agent ${agentId} has no device to log in at`);
    // Back at the desk while a call they answered goes on: busy until it ends.
    if (a.state === 'logged_off') this.#setState(a, a.callId === undefined ? 'available' : 'busy');
    return this.#view(a);
  }

  /**
   * Logs an agent off. A call reserved for them and not yet answered goes back first in line; a
   * call they answered goes on (its end frees nobody).
   */
  logout(agentId: string): AgentView {
    const a = this.#agent(agentId);
    const c = a.callId === undefined ? undefined : this.#calls.get(a.callId);
    if (c && !c.answered) {
      a.callId = undefined;
      c.agentId = undefined;
      c.preferUntil = 0;
      this.#setState(a, 'logged_off');
      this.#enqueue(c);
      this.#tryAssign(c.offer.callId);
      return this.#view(a);
    }
    this.#setState(a, 'logged_off');
    return this.#view(a);
  }

  /** Available, away (with a reason), wrap-up or busy, as the agent or the link says. */
  setState(agentId: string, state: Exclude<AgentState, 'logged_off'>, reason?: string): AgentView {
    const a = this.#agent(agentId);
    if (a.state === 'logged_off' && state !== 'away' && a.device === undefined)
      throw new Error(`agent ${agentId} is logged off`);
    // An agent with a reserved call cannot become available by hand: the call's end frees them.
    if (state === 'available' && a.callId !== undefined) return this.#view(a);
    this.#setState(a, state, reason);
    return this.#view(a);
  }

  agent(agentId: string): AgentView | undefined {
    const a = this.#agents.get(agentId);
    return a && this.#view(a);
  }

  agents(): AgentView[] {
    return [...this.#agents.values()].map((a) => this.#view(a));
  }

  /** The agent sitting at a device (for events the PBX reports by device). */
  agentAt(device: string): string | undefined {
    for (const a of this.#agents.values())
      if (a.device === device && a.state !== 'logged_off') return a.def.id;
    return undefined;
  }

  // ── calls ─────────────────────────────────────────────────────────────────

  offer(offer: CallOffer): OfferResult {
    const q = this.#queues.get(offer.queue);
    if (!q) throw new Error(`unknown queue ${offer.queue}`);
    if (this.#calls.has(offer.callId)) throw new Error(`call ${offer.callId} is already distributed`);
    const now = this.#clock.now();
    const pref = offer.preferredAgent === undefined ? undefined : this.#agents.get(offer.preferredAgent);
    const waitForPreferred =
      pref !== undefined && pref.state !== 'logged_off' && this.#qualified(pref, required(q, offer.skills));
    const rec: CallRec = {
      offer,
      queue: q.id,
      required: required(q, offer.skills),
      arrivedAt: now,
      preferUntil: waitForPreferred ? now + this.#settings.preferredAgentWaitSeconds * 1000 : 0,
      agentId: undefined,
      answered: false,
      cancelTimers: [],
      overflowed: false,
    };
    this.#calls.set(offer.callId, rec);
    const candidates: CandidateTrace[] = [];
    const agent = this.#pick(rec, candidates);
    if (agent) {
      this.#reserve(agent, rec);
      return { kind: 'assigned', agentId: agent.def.id, device: agent.device as string, candidates };
    }
    this.#enqueue(rec);
    if (rec.preferUntil > now) {
      rec.cancelTimers.push(this.#clock.setTimer(rec.preferUntil - now, () => this.#tryAssign(offer.callId)));
    }
    return { kind: 'queued', queue: q.id, position: this.#position(rec), candidates };
  }

  /** The agent answered the call. */
  answered(callId: string): void {
    const c = this.#calls.get(callId);
    if (c) c.answered = true;
  }

  /**
   * The call ended or left the distributor (caller hung up while waiting, routed elsewhere, the
   * link gave up waiting). Its agent, if any, goes to wrap-up (if configured and the call was
   * answered) or is available again, and takes the best waiting call at once.
   */
  release(callId: string): void {
    const c = this.#calls.get(callId);
    if (!c) return;
    this.#forget(c);
    if (c.agentId === undefined)
      this.#onEvent({ type: 'left', callId, queue: c.queue, waitedMs: this.#clock.now() - c.arrivedAt });
    const a = c.agentId === undefined ? undefined : this.#agents.get(c.agentId);
    if (!a || a.callId !== callId) return;
    a.callId = undefined;
    if (a.state === 'logged_off') return;
    if (c.answered && this.#settings.wrapUpSeconds > 0) {
      this.#setState(a, 'wrap_up');
      a.cancelWrapUp = this.#clock.setTimer(this.#settings.wrapUpSeconds * 1000, () => {
        a.cancelWrapUp = undefined;
        if (a.state === 'wrap_up') this.#setState(a, 'available');
      });
    } else if (a.state === 'busy') this.#setState(a, 'available');
  }

  /** The agent did not answer (ring-no-answer, busy): they go away, the call goes back first in line. */
  rejected(callId: string): void {
    const c = this.#calls.get(callId);
    if (!c || c.agentId === undefined) return;
    const a = this.#agents.get(c.agentId);
    c.agentId = undefined;
    c.preferUntil = 0;
    if (a && a.callId === callId) {
      a.callId = undefined;
      this.#setState(a, 'away', 'ring-no-answer');
    }
    this.#enqueue(c);
    this.#tryAssign(callId);
  }

  /**
   * The PBX reports the call left the agent's device unanswered (ring-no-answer, or the device was
   * busy with a call Relais did not give): the agent goes away with that reason, so they are not
   * offered the next call, and the call leaves the distributor (the PBX has routed it on itself).
   */
  notAnswered(callId: string, reason: string): void {
    const c = this.#calls.get(callId);
    if (!c) return;
    const a = c.agentId === undefined ? undefined : this.#agents.get(c.agentId);
    this.#forget(c);
    if (a && a.callId === callId) {
      a.callId = undefined;
      this.#setState(a, 'away', reason);
    }
  }

  /** Calls waiting per queue, with the longest wait; agents by state. For the wallboard. */
  stats(): {
    queues: Array<{ id: string; waiting: number; longestWaitMs: number }>;
    agents: Record<AgentState, number>;
  } {
    const now = this.#clock.now();
    const queues = [...this.#waiting].map(([id, set]) => {
      let oldest = now;
      for (const callId of set) oldest = Math.min(oldest, this.#calls.get(callId)?.arrivedAt ?? now);
      return { id, waiting: set.size, longestWaitMs: now - oldest };
    });
    const agents: Record<AgentState, number> = { logged_off: 0, available: 0, busy: 0, wrap_up: 0, away: 0 };
    for (const a of this.#agents.values()) agents[a.state]++;
    return { queues, agents };
  }

  /** Waiting call ids of a queue, best first for an agent with every skill. */
  waiting(queue: string): string[] {
    const set = this.#waiting.get(queue);
    if (!set) return [];
    const now = this.#clock.now();
    return [...set].sort((x, y) => this.#compare(this.#calls.get(x), this.#calls.get(y), now));
  }

  // ── internals ─────────────────────────────────────────────────────────────

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
      device: a.device,
      skills: a.def.skills,
      callId: a.callId,
      reason: a.reason,
    };
  }

  #setState(a: AgentRec, state: AgentState, reason?: string): void {
    a.cancelWrapUp?.();
    a.cancelWrapUp = undefined;
    const was = a.state;
    a.state = state;
    a.since = this.#clock.now();
    a.reason = state === 'away' ? reason : undefined;
    if (state === 'available' && was !== 'available') a.idleSince = a.since;
    if (was !== state || reason !== undefined)
      this.#onEvent({ type: 'agent', agentId: a.def.id, state, reason });
    if (state === 'available') this.#serve(a);
  }

  #qualified(a: AgentRec, skills: string[]): boolean {
    for (const s of skills) if (a.def.skills[s] === undefined) return false;
    return true;
  }

  /** The best free agent for a call, or undefined; fills `trace` with who was considered. */
  #pick(c: CallRec, trace?: CandidateTrace[]): AgentRec | undefined {
    const now = this.#clock.now();
    const prefId = c.offer.preferredAgent;
    if (prefId !== undefined) {
      const p = this.#agents.get(prefId);
      if (p && p.state === 'available' && this.#qualified(p, c.required)) {
        trace?.push({ agentId: p.def.id, chosen: true, why: 'preferred (last agent of the customer), free' });
        return p;
      }
      if (now < c.preferUntil) {
        trace?.push({
          agentId: prefId,
          chosen: false,
          why: `preferred, ${p?.state ?? 'unknown'}: waited for`,
        });
        return undefined;
      }
    }
    let best: AgentRec | undefined;
    let bestLevel = -1;
    for (const a of this.#agents.values()) {
      if (a.state !== 'available' || a.device === undefined) continue;
      if (!this.#qualified(a, c.required)) continue;
      let level = 0;
      for (const s of c.required) level += a.def.skills[s] ?? 0;
      if (
        best === undefined ||
        a.idleSince < best.idleSince ||
        (a.idleSince === best.idleSince && level > bestLevel)
      ) {
        best = a;
        bestLevel = level;
      }
    }
    if (trace) {
      for (const a of this.#agents.values()) {
        if (a === best) continue;
        if (a.state !== 'available') continue;
        const missing = c.required.find((s) => a.def.skills[s] === undefined);
        trace.push({
          agentId: a.def.id,
          chosen: false,
          why: missing
            ? `missing skill ${missing}`
            : `idle ${Math.round((now - a.idleSince) / 1000)} s, less than the chosen`,
        });
        if (trace.length >= 20) break; // a trace is for reading
      }
      if (best) {
        trace.unshift({
          agentId: best.def.id,
          chosen: true,
          why: `longest idle with ${c.required.join(', ') || 'no required skill'} (idle ${Math.round((now - best.idleSince) / 1000)} s, level ${bestLevel})`,
        });
      }
    }
    return best;
  }

  #reserve(a: AgentRec, c: CallRec): void {
    const now = this.#clock.now();
    this.#waiting.get(c.queue)?.delete(c.offer.callId);
    for (const cancel of c.cancelTimers) cancel();
    c.cancelTimers = [];
    c.agentId = a.def.id;
    a.callId = c.offer.callId;
    this.#setState(a, 'busy');
    this.#onEvent({
      type: 'assigned',
      callId: c.offer.callId,
      agentId: a.def.id,
      device: a.device as string,
      queue: c.queue,
      waitedMs: now - c.arrivedAt,
    });
  }

  #enqueue(c: CallRec): void {
    this.#waiting.get(c.queue)?.add(c.offer.callId);
    const over = this.#overflowOf(c);
    if (over) {
      c.cancelTimers.push(
        this.#clock.setTimer(over.afterSeconds * 1000, () => this.#overflow(c.offer.callId)),
      );
    }
    // No timer for ageing: the order only matters when an agent frees up, and is computed then.
  }

  #overflow(callId: string): void {
    const c = this.#calls.get(callId);
    if (!c || c.agentId !== undefined) return;
    const to = this.#overflowOf(c)?.to;
    if (to === undefined || !this.#queues.has(to)) return;
    if (c.offer.overflow !== undefined) c.overflowed = true;
    const from = c.queue;
    this.#move(callId, to);
    this.#onEvent({ type: 'overflowed', callId, from, to });
    this.#tryAssign(callId);
  }

  /** Where and when a waiting call overflows: its own overflow first, then its queue's. */
  #overflowOf(c: CallRec): { afterSeconds: number; to: string } | undefined {
    if (c.offer.overflow !== undefined && !c.overflowed) return c.offer.overflow;
    return this.#queues.get(c.queue)?.overflow;
  }

  #move(callId: string, to: string): void {
    const c = this.#calls.get(callId);
    const q = this.#queues.get(to);
    if (!c || !q) return;
    this.#waiting.get(c.queue)?.delete(callId);
    for (const cancel of c.cancelTimers) cancel();
    c.cancelTimers = [];
    c.queue = to;
    c.required = required(q, c.offer.skills);
    this.#enqueue(c);
  }

  #tryAssign(callId: string): void {
    const c = this.#calls.get(callId);
    if (!c || c.agentId !== undefined) return;
    const a = this.#pick(c);
    if (a) this.#reserve(a, c);
  }

  #forget(c: CallRec): void {
    for (const cancel of c.cancelTimers) cancel();
    this.#waiting.get(c.queue)?.delete(c.offer.callId);
    this.#calls.delete(c.offer.callId);
  }

  /** A free agent takes the best waiting call they can. */
  #serve(a: AgentRec): void {
    if (a.state !== 'available' || a.callId !== undefined || a.device === undefined) return;
    const now = this.#clock.now();
    let best: CallRec | undefined;
    for (const set of this.#waiting.values()) {
      for (const callId of set) {
        const c = this.#calls.get(callId);
        if (!c || !this.#qualified(a, c.required)) continue;
        if (
          c.offer.preferredAgent !== undefined &&
          c.offer.preferredAgent !== a.def.id &&
          now < c.preferUntil
        )
          continue;
        if (best === undefined || this.#compare(c, best, now) < 0) best = c;
      }
    }
    if (best) this.#reserve(a, best);
  }

  /** Negative when `x` goes first. */
  #compare(x: CallRec | undefined, y: CallRec | undefined, now: number): number {
    if (!x || !y) return 0;
    const { pointsPerSecond, maxWaitSeconds } = this.#settings.ageing;
    const bound = maxWaitSeconds * 1000;
    const wx = now - x.arrivedAt;
    const wy = now - y.arrivedAt;
    const sx = wx >= bound;
    const sy = wy >= bound;
    if (sx !== sy) return sx ? -1 : 1;
    if (sx && sy) return x.arrivedAt - y.arrivedAt;
    const ex = x.offer.priority + (pointsPerSecond * wx) / 1000;
    const ey = y.offer.priority + (pointsPerSecond * wy) / 1000;
    if (ex !== ey) return ey - ex;
    return x.arrivedAt - y.arrivedAt;
  }

  #position(c: CallRec): number {
    return this.waiting(c.queue).indexOf(c.offer.callId) + 1;
  }
}

function required(q: QueueDef, extra: string[]): string[] {
  return extra.length === 0 ? q.skills : [...new Set([...q.skills, ...extra])];
}
