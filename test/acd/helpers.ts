/** A fake clock and a distributor built on it, for the distributor's tests. */
import {
  type AcdEvent,
  type AcdOptions,
  type AgentDef,
  type Clock,
  Distributor,
  type QueueDef,
} from '../../src/acd/distributor.js';

/** Time moves only when told; timers fire in time order, equal times in the order they were set. */
export class FakeClock implements Clock {
  t = 1_000_000;
  #timers: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];
  #seq = 0;
  now = () => this.t;
  setTimer = (ms: number, fn: () => void) => {
    const timer = { at: this.t + ms, seq: this.#seq++, fn, live: true };
    this.#timers.push(timer);
    return () => {
      timer.live = false;
    };
  };
  /** Live timers: a cancelled or fired timer is gone. */
  get pending(): number {
    return this.#timers.filter((x) => x.live).length;
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.#timers = this.#timers.filter((x) => x.live);
      const next = this.#timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.t = next.at;
      next.live = false;
      next.fn();
    }
    this.t = end;
  }
}

export const OPTIONS: AcdOptions = {
  ageing: { pointsPerSecond: 1, maxWaitSeconds: 120 },
  preferredAgentWaitSeconds: 10,
  wrapUpSeconds: 0,
};
export const QUEUES: QueueDef[] = [
  { id: 'support', device: '3001', skills: ['support'], overflow: { afterSeconds: 60, to: 'sales' } },
  { id: 'sales', device: '3002', skills: ['sales'] },
];
export const AGENTS: AgentDef[] = [
  { id: 'alice', device: '4001', skills: { support: 3, senior: 1, sales: 1 } },
  { id: 'bob', device: '4002', skills: { support: 2 } },
  { id: 'chloe', device: '4003', skills: { sales: 3 } },
];

export function setUp(o: { options?: AcdOptions; agents?: AgentDef[]; queues?: QueueDef[] } = {}) {
  const clock = new FakeClock();
  const events: AcdEvent[] = [];
  const d = new Distributor({
    queues: o.queues ?? QUEUES,
    agents: o.agents ?? AGENTS,
    settings: o.options ?? OPTIONS,
    clock,
    onEvent: (e) => events.push(e),
  });
  /** `call→agent` of every assignment so far. */
  const assigned = () => events.flatMap((e) => (e.type === 'assigned' ? [`${e.callId}→${e.agentId}`] : []));
  /** Offers a call with priority 0 and no extra skill unless told. */
  const offer = (callId: string, queue: string, more: { priority?: number; skills?: string[] } = {}) =>
    d.offer({ callId, queue, priority: more.priority ?? 0, skills: more.skills ?? [] });
  return { d, clock, events, assigned, offer };
}
