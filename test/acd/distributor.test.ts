/** The distributor with a fake clock: selection, priority and ageing, overflow, preferred agent, invariants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AcdEvent,
  type AcdSettings,
  type AgentDef,
  type Clock,
  Distributor,
  type QueueDef,
} from '../../src/acd/distributor.js';

class FakeClock implements Clock {
  t = 1_000_000;
  #timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  now = () => this.t;
  setTimer = (ms: number, fn: () => void) => {
    const timer = { at: this.t + ms, fn, live: true };
    this.#timers.push(timer);
    return () => {
      timer.live = false;
    };
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = this.#timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      next.live = false;
      next.fn();
    }
    this.t = end;
  }
}

const SETTINGS: AcdSettings = {
  ageing: { pointsPerSecond: 1, maxWaitSeconds: 120 },
  preferredAgentWaitSeconds: 10,
  wrapUpSeconds: 0,
};
const QUEUES: QueueDef[] = [
  { id: 'support', device: '3001', skills: ['support'], overflow: { afterSeconds: 60, to: 'sales' } },
  { id: 'sales', device: '3002', skills: ['sales'] },
];
const AGENTS: AgentDef[] = [
  { id: 'alice', device: '4001', skills: { support: 3, senior: 1, sales: 1 } },
  { id: 'bob', device: '4002', skills: { support: 2 } },
  { id: 'chloe', device: '4003', skills: { sales: 3 } },
];

function setUp(settings: AcdSettings = SETTINGS, agents = AGENTS) {
  const clock = new FakeClock();
  const events: AcdEvent[] = [];
  const d = new Distributor({ queues: QUEUES, agents, settings, clock, onEvent: (e) => events.push(e) });
  const assigned = () =>
    events
      .filter((e) => e.type === 'assigned')
      .map((e) => e.type === 'assigned' && `${e.callId}→${e.agentId}`);
  return { d, clock, events, assigned };
}

describe('distributor', () => {
  it('gives a call to the longest idle agent with the skills, ties to the higher level', () => {
    const { d, clock } = setUp();
    d.login('bob');
    clock.advance(1000);
    d.login('alice');
    expect(d.offer({ callId: 'c1', queue: 'support', priority: 0, skills: [] })).toMatchObject({
      kind: 'assigned',
      agentId: 'bob',
      device: '4002',
    });
    // Senior required: only alice qualifies.
    d.release('c1');
    expect(d.offer({ callId: 'c2', queue: 'support', priority: 0, skills: ['senior'] })).toMatchObject({
      agentId: 'alice',
    });
    const t = setUp();
    t.d.login('alice');
    t.d.login('bob'); // same instant: alice's support level 3 beats bob's 2
    const r = t.d.offer({ callId: 'x', queue: 'support', priority: 0, skills: [] });
    expect(r).toMatchObject({ agentId: 'alice' });
    expect(r.candidates[0]).toMatchObject({ agentId: 'alice', chosen: true });
  });

  it('queues when no agent is free, and a VIP who came later is served first', () => {
    const { d, clock, assigned } = setUp();
    d.login('bob');
    d.offer({ callId: 'busy', queue: 'support', priority: 0, skills: [] });
    expect(d.offer({ callId: 'std', queue: 'support', priority: 0, skills: [] })).toMatchObject({
      kind: 'queued',
      position: 1,
    });
    clock.advance(5000);
    expect(d.offer({ callId: 'vip', queue: 'support', priority: 100, skills: [] })).toMatchObject({
      kind: 'queued',
      position: 1,
    });
    expect(d.waiting('support')).toEqual(['vip', 'std']);
    d.release('busy');
    expect(assigned()).toEqual(['busy→bob', 'vip→bob']);
    d.release('vip');
    expect(assigned()).toEqual(['busy→bob', 'vip→bob', 'std→bob']);
  });

  it('bounds starvation: a standard caller past maxWaitSeconds goes before any newer VIP', () => {
    const { d, clock, assigned } = setUp(
      { ...SETTINGS, ageing: { pointsPerSecond: 0, maxWaitSeconds: 30 } },
      [AGENTS[1] as AgentDef],
    );
    d.login('bob');
    d.offer({ callId: 'busy', queue: 'support', priority: 0, skills: [] });
    d.offer({ callId: 'std', queue: 'support', priority: 0, skills: [] });
    let n = 0;
    // A stream of VIPs, one every 5 s; bob frees up every 5 s.
    for (let t = 0; t < 60; t += 5) {
      clock.advance(5000);
      d.offer({ callId: `vip${n++}`, queue: 'support', priority: 100, skills: [] });
      const current = d.agent('bob')?.callId as string;
      d.release(current);
    }
    const order = assigned().map((s) => String(s).split('→')[0]);
    const stdAt = order.indexOf('std');
    expect(stdAt).toBeGreaterThan(1); // VIPs went first while std was young
    expect(stdAt).toBeLessThanOrEqual(7); // and std got served once it had waited 30 s
  });

  it('overflows a call still waiting after the queue timeout, chained, keeping its age', () => {
    const { d, clock, events } = setUp();
    d.login('bob');
    d.offer({ callId: 'busy', queue: 'support', priority: 0, skills: [] });
    d.offer({ callId: 'c', queue: 'support', priority: 0, skills: [] });
    clock.advance(59_000);
    expect(events.some((e) => e.type === 'overflowed')).toBe(false);
    clock.advance(1000);
    expect(events).toContainEqual({ type: 'overflowed', callId: 'c', from: 'support', to: 'sales' });
    expect(d.waiting('sales')).toEqual(['c']);
    d.login('chloe');
    expect(events.at(-1)).toMatchObject({
      type: 'assigned',
      callId: 'c',
      agentId: 'chloe',
      queue: 'sales',
      waitedMs: 60_000,
    });
  });

  it('waits for the preferred agent, then takes anyone', () => {
    const { d, clock, assigned } = setUp();
    d.login('alice');
    d.login('bob');
    d.offer({ callId: 'a-call', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    expect(assigned()).toEqual(['a-call→alice']);
    const r = d.offer({
      callId: 'loyal',
      queue: 'support',
      priority: 0,
      skills: [],
      preferredAgent: 'alice',
    });
    expect(r).toMatchObject({ kind: 'queued' });
    clock.advance(3000);
    d.release('a-call');
    expect(assigned()).toEqual(['a-call→alice', 'loyal→alice']);
    d.offer({ callId: 'again', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    clock.advance(10_000);
    expect(assigned()).toEqual(['a-call→alice', 'loyal→alice', 'again→bob']);
  });

  it('puts an agent who does not answer away and offers the call to the next', () => {
    const { d, assigned } = setUp();
    d.login('alice');
    d.login('bob');
    d.offer({ callId: 'c', queue: 'support', priority: 0, skills: [] });
    const first = d.agent('alice')?.callId ? 'alice' : 'bob';
    d.rejected('c');
    expect(d.agent(first)?.state).toBe('away');
    expect(assigned()).toHaveLength(2);
    expect(String(assigned()[1])).not.toContain(first);
  });

  it('keeps calls in flight across a reconfigure; a removed queue sends its waiting calls to its overflow', () => {
    const { d, events } = setUp();
    d.login('bob');
    d.offer({ callId: 'talking', queue: 'support', priority: 0, skills: [] });
    d.offer({ callId: 'waiting', queue: 'support', priority: 0, skills: [] });
    // A new plan without the support queue, and with dan in sales.
    d.reconfigure(
      [QUEUES[1] as QueueDef],
      [...AGENTS, { id: 'dan', device: '4004', skills: { sales: 1 } }],
      SETTINGS,
    );
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'talking' });
    expect(d.waiting('sales')).toEqual(['waiting']);
    d.login('dan');
    expect(events.at(-1)).toMatchObject({ type: 'assigned', callId: 'waiting', agentId: 'dan' });
    d.release('talking');
    expect(d.agent('bob')?.state).toBe('available');
  });

  it('gives back a reserved call when its agent logs off, and keeps an answered one busy across a re-login', () => {
    const { d, assigned } = setUp();
    d.offer({ callId: 'c0', queue: 'support', priority: 0, skills: [] });
    d.login('alice');
    d.logout('alice'); // before answering: c0 goes back in line, to the next agent
    expect(d.waiting('support')).toEqual(['c0']);
    d.login('bob');
    expect(assigned()).toEqual(['c0→alice', 'c0→bob']);
    d.answered('c0');
    d.logout('bob');
    d.login('bob');
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'c0' });
    d.release('c0');
    expect(d.agent('bob')?.state).toBe('available');
  });

  it("applies a call's own overflow before its queue's", () => {
    const { d, clock, events } = setUp();
    d.login('alice');
    d.offer({ callId: 'busy', queue: 'support', priority: 0, skills: [] });
    d.offer({
      callId: 'c',
      queue: 'sales',
      priority: 0,
      skills: [],
      overflow: { afterSeconds: 10, to: 'support' },
    });
    clock.advance(10_000);
    expect(events).toContainEqual({ type: 'overflowed', callId: 'c', from: 'sales', to: 'support' });
    // Then support's own overflow (60 s, to sales) applies as for any call.
    clock.advance(60_000);
    expect(events.filter((e) => e.type === 'overflowed')).toHaveLength(2);
    expect(d.waiting('sales')).toEqual(['c']);
  });

  it('sends an agent whose phone rang out away, and forgets the call', () => {
    const { d } = setUp();
    d.login('bob');
    d.offer({ callId: 'c', queue: 'support', priority: 0, skills: [] });
    d.notAnswered('c', 'ring-no-answer');
    expect(d.agent('bob')).toMatchObject({ state: 'away', reason: 'ring-no-answer', callId: undefined });
    expect(d.waiting('support')).toEqual([]);
    d.setState('bob', 'available');
    expect(d.offer({ callId: 'd', queue: 'support', priority: 0, skills: [] })).toMatchObject({
      agentId: 'bob',
    });
  });

  it('never offers one call to two agents nor two calls to one agent, whatever the interleaving', () => {
    const agentIds = AGENTS.map((a) => a.id);
    const op = fc.oneof(
      fc.record({
        k: fc.constant('offer' as const),
        q: fc.constantFrom('support', 'sales'),
        p: fc.integer({ min: 0, max: 100 }),
        senior: fc.boolean(),
      }),
      fc.record({
        k: fc.constantFrom('login' as const, 'logout' as const, 'away' as const, 'available' as const),
        a: fc.constantFrom(...agentIds),
      }),
      fc.record({
        k: fc.constantFrom('release' as const, 'reject' as const, 'answer' as const),
        i: fc.nat(),
      }),
      fc.record({ k: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const { d, clock } = setUp({ ...SETTINGS, wrapUpSeconds: 5 });
        const calls: string[] = [];
        const offers = new Map<string, { senior: boolean }>();
        let n = 0;
        for (const o of ops) {
          if (o.k === 'offer') {
            const id = `c${n++}`;
            calls.push(id);
            offers.set(id, { senior: o.senior });
            d.offer({ callId: id, queue: o.q, priority: o.p, skills: o.senior ? ['senior'] : [] });
          } else if (o.k === 'login') d.login(o.a);
          else if (o.k === 'logout') d.logout(o.a);
          else if (o.k === 'away') d.setState(o.a, 'away', 'break');
          else if (o.k === 'available') d.setState(o.a, 'available');
          else if (o.k === 'time') clock.advance(o.ms);
          else if ('i' in o && calls.length > 0) {
            const id = calls[o.i % calls.length] as string;
            if (o.k === 'release') d.release(id);
            else if (o.k === 'reject') d.rejected(id);
            else d.answered(id);
          }
          // Invariants after every step.
          const holders = new Map<string, string>();
          for (const a of d.agents()) {
            if (a.callId === undefined) continue;
            expect(holders.has(a.callId)).toBe(false); // one call, one agent
            holders.set(a.callId, a.id);
            expect(a.state).not.toBe('available');
          }
          const waiting = new Set([...d.waiting('support'), ...d.waiting('sales')]);
          for (const id of holders.keys()) expect(waiting.has(id)).toBe(false);
          // A free agent never sits beside a waiting call they could take.
          for (const a of d.agents()) {
            if (a.state !== 'available') continue;
            for (const q of ['support', 'sales']) {
              for (const id of d.waiting(q)) {
                const wants = offers.get(id);
                const could = a.skills[q] !== undefined && (!wants?.senior || a.skills.senior !== undefined);
                expect(could, `${a.id} is free while ${id} waits in ${q}`).toBe(false);
              }
            }
          }
        }
      }),
      // 300 interleavings per run; the suite's long mode (RELAIS_LONG_TESTS=1) tries 20,000.
      { numRuns: process.env.RELAIS_LONG_TESTS === '1' ? 20_000 : 300 },
    );
  });
});
