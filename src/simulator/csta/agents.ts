/**
 * Agents and ACD queues of the simulated switch: who is free, who has been idle longest, which
 * waiting call an agent who becomes free goes to (first come, first served across the switch).
 *
 *   idle ──reserve──▶ reserved ──alert──▶ alerting ──answer──▶ connected ⇄ held
 *     ▲                                                                  │
 *     └────────────────────────── cleared / diverted / transferred away ◀─┘
 *
 * An agent may also be busy for reasons outside the simulated calls (setExternalBusy): it is then
 * never offered a call, and a call sent straight to it fails.
 */
import { SimulatorError } from './errors.js';

export type AgentState = 'idle' | 'reserved' | 'alerting' | 'connected' | 'held';

interface Agent {
  state: AgentState;
  externalBusy: boolean;
  /** Order in which agents became idle: the longest idle is served first. */
  idleSeq: number;
}

interface Waiter {
  callId: string;
  acd: string;
  resolve(agent: string): void;
}

export interface AgentWait {
  promise: Promise<string>;
  /** Stops waiting; false when an agent was already handed over (the caller must unreserve it). */
  cancel(): boolean;
}

export class AgentPool {
  private readonly agents = new Map<string, Agent>();
  private readonly members = new Map<string, readonly string[]>();
  private waiters: Waiter[] = [];
  private seq = 0;

  constructor(agents: readonly string[], groups: ReadonlyArray<{ id: string; members: readonly string[] }>) {
    for (const a of agents) this.agents.set(a, { state: 'idle', externalBusy: false, idleSeq: this.seq++ });
    for (const g of groups) this.members.set(g.id, g.members);
  }

  /** The first ACD group an agent belongs to (for ring-no-answer forwards and transfers). */
  groupOf(agent: string): string | undefined {
    for (const [acd, members] of this.members) if (members.includes(agent)) return acd;
    return undefined;
  }

  /** Free = idle and not busy for outside reasons. */
  isAvailable(agent: string): boolean {
    const a = this.agents.get(agent);
    return a !== undefined && a.state === 'idle' && !a.externalBusy;
  }

  /** Holds a free agent for a call that is about to alert it. */
  reserve(agent: string): void {
    const a = this.agents.get(agent);
    if (a) a.state = 'reserved';
  }

  /** A reserved agent the call will not use after all (the caller hung up meanwhile). */
  unreserve(agent: string): void {
    if (this.agents.get(agent)?.state === 'reserved') this.setState(agent, 'idle');
  }

  /** The longest-idle free member of an ACD group, reserved; undefined when none is free. */
  takeFree(acd: string, exclude: readonly string[] = []): string | undefined {
    let best: string | undefined;
    let bestSeq = Number.POSITIVE_INFINITY;
    for (const m of this.members.get(acd) ?? []) {
      const a = this.agents.get(m);
      if (a && this.isAvailable(m) && !exclude.includes(m) && a.idleSeq < bestSeq) {
        best = m;
        bestSeq = a.idleSeq;
      }
    }
    if (best !== undefined) this.reserve(best);
    return best;
  }

  /** Waits for a member of `acd` to become free; resolves with it, reserved. */
  waitFor(callId: string, acd: string): AgentWait {
    let waiter: Waiter | undefined;
    const promise = new Promise<string>((resolve) => {
      waiter = { callId, acd, resolve };
      this.waiters.push(waiter);
    });
    return {
      promise,
      cancel: () => {
        const before = this.waiters.length;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        return this.waiters.length < before;
      },
    };
  }

  queueLength(acd: string): number {
    return this.waiters.filter((w) => w.acd === acd).length;
  }

  /** Marks an agent busy (or free again) for reasons outside the simulated calls. */
  setExternalBusy(agent: string, busy: boolean): void {
    const a = this.agents.get(agent);
    if (!a) throw new SimulatorError('SIM_UNKNOWN_DEVICE', `${agent} is not an agent extension`);
    a.externalBusy = busy;
    if (!busy) this.serveWaiters(agent);
  }

  /** Records what the agent's connection became; an agent back to idle takes the next waiting call. */
  setState(agent: string, state: AgentState): void {
    const a = this.agents.get(agent);
    if (!a) return;
    a.state = state;
    if (state === 'idle') {
      a.idleSeq = this.seq++;
      this.serveWaiters(agent);
    }
  }

  forgetWaitsOf(callId: string): void {
    this.waiters = this.waiters.filter((w) => w.callId !== callId);
  }

  /** Switch restart: no call waits, every agent is idle (outside busy flags stay). */
  reset(): void {
    this.waiters = [];
    for (const agent of this.agents.keys()) this.setState(agent, 'idle');
  }

  /** Agents not idle (tests, diagnostics). */
  get engaged(): number {
    return [...this.agents.values()].filter((a) => a.state !== 'idle').length;
  }

  /** Calls waiting for an agent, all groups together. */
  get waiting(): number {
    return this.waiters.length;
  }

  private serveWaiters(agent: string): void {
    if (!this.isAvailable(agent)) return;
    const w = this.waiters.find((x) => this.members.get(x.acd)?.includes(agent));
    if (!w) return;
    this.waiters = this.waiters.filter((x) => x !== w);
    this.reserve(agent);
    w.resolve(agent);
  }
}
