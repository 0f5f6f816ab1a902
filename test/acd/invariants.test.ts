/**
 * Random interleavings of offers, state changes, logins and logouts, answers, clears, abandons,
 * ring-no-answers, hot reloads and time steps; the invariants are checked after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AcdOptions, AgentDef, Distributor, QueueDef } from '../../src/acd/distributor.js';
import { type FakeClock, setUp } from './helpers.js';

interface Plan {
  queues: QueueDef[];
  agents: AgentDef[];
  options: AcdOptions;
}
const options = (pointsPerSecond: number, maxWaitSeconds: number): AcdOptions => ({
  ageing: { pointsPerSecond, maxWaitSeconds },
  preferredAgentWaitSeconds: 10,
  wrapUpSeconds: 5,
});
const PLANS: Plan[] = [
  {
    queues: [
      { id: 'support', device: '3001', skills: ['support'], overflow: { afterSeconds: 60, to: 'sales' } },
      { id: 'sales', device: '3002', skills: ['sales'] },
    ],
    agents: [
      { id: 'alice', device: '4001', skills: { support: 3, senior: 1, sales: 1 } },
      { id: 'bob', device: '4002', skills: { support: 2 } },
      { id: 'chloe', device: '4003', skills: { sales: 3 } },
    ],
    options: options(1, 120),
  },
  {
    // support now overflows to a new backup queue; bob learns senior, chloe is gone, dan arrives.
    queues: [
      { id: 'support', device: '3001', skills: ['support'], overflow: { afterSeconds: 20, to: 'backup' } },
      { id: 'sales', device: '3002', skills: ['sales'], overflow: { afterSeconds: 30, to: 'support' } },
      { id: 'backup', device: '3003', skills: [] },
    ],
    agents: [
      { id: 'alice', device: '4001', skills: { support: 3, senior: 1, sales: 1 } },
      { id: 'bob', device: '4002', skills: { support: 2, senior: 4 } },
      { id: 'dan', device: '4004', skills: { sales: 1, senior: 1 } },
    ],
    options: options(0, 30),
  },
  {
    // support removed (its calls overflow to sales or are orphaned).
    queues: [{ id: 'sales', device: '3002', skills: ['sales'] }],
    agents: [
      { id: 'chloe', device: '4003', skills: { sales: 3, senior: 2 } },
      { id: 'dan', device: '4004', skills: { sales: 1 } },
    ],
    options: options(3, 60),
  },
];
const AGENT_IDS = ['alice', 'bob', 'chloe', 'dan', 'zoe'];

const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('offer' as const),
      q: fc.nat(),
      p: fc.constantFrom(0, 0, 10, 100),
      senior: fc.boolean(),
      preferred: fc.option(fc.constantFrom(...AGENT_IDS), { freq: 3 }),
      wait: fc.option(fc.constantFrom(0, 5, 30)),
      ago: fc.option(fc.constantFrom(1000, 200_000)),
      own: fc.option(fc.constantFrom('sales', 'backup', 'support')),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constantFrom('login' as const, 'logout' as const, 'away' as const, 'available' as const),
      a: fc.constantFrom(...AGENT_IDS),
    }),
  },
  fc.record({ k: fc.constantFrom('busy' as const, 'wrap_up' as const), a: fc.constantFrom(...AGENT_IDS) }),
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constantFrom(
        'release' as const,
        'reject' as const,
        'answer' as const,
        'remove' as const,
        'rna' as const,
      ),
      i: fc.nat(),
      who: fc.option(fc.constantFrom(...AGENT_IDS)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
  },
  fc.record({ k: fc.constant('reconfigure' as const), plan: fc.nat({ max: PLANS.length - 1 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Only the refusals the API turns into 404 / 422 are expected from random operations. */
function tolerate(fn: () => void) {
  try {
    fn();
  } catch (e) {
    expect(String(e)).toMatch(/unknown agent|no device|is logged off/);
  }
}

function apply(
  d: Distributor,
  clock: FakeClock,
  o: Op,
  plan: Plan,
  calls: string[],
  gone: Set<string>,
): Plan {
  switch (o.k) {
    case 'offer': {
      const id = `c${calls.length}`;
      calls.push(id);
      const q = plan.queues[o.q % plan.queues.length] as QueueDef;
      d.offer({
        callId: id,
        queue: q.id,
        priority: o.p,
        skills: o.senior ? ['senior'] : [],
        preferredAgent: o.preferred ?? undefined,
        preferredAgentWaitSeconds: o.wait ?? undefined,
        at: o.ago === null ? undefined : clock.now() - o.ago,
        overflow: o.own === null ? undefined : { afterSeconds: 15, to: o.own },
      });
      return plan;
    }
    case 'login':
      tolerate(() => d.login(o.a));
      return plan;
    case 'logout':
      tolerate(() => d.logout(o.a));
      return plan;
    case 'away':
      tolerate(() => d.setState(o.a, 'away', 'break'));
      return plan;
    case 'available':
    case 'busy':
    case 'wrap_up': {
      const state = o.k; // narrowed here, not inside the closure
      tolerate(() => d.setState(o.a, state));
      return plan;
    }
    case 'time':
      clock.advance(o.ms);
      return plan;
    case 'reconfigure': {
      const next = PLANS[o.plan] as Plan;
      for (const id of d.reconfigure(next.queues, next.agents, next.options).orphaned) gone.add(id);
      return next;
    }
    default: {
      if (calls.length === 0) return plan;
      const id = calls[o.i % calls.length] as string;
      if (o.k === 'release') {
        d.release(id);
        gone.add(id);
      } else if (o.k === 'remove') {
        d.remove(id);
        gone.add(id);
      } else if (o.k === 'rna') {
        d.notAnswered(id, 'ring-no-answer');
        gone.add(id);
      } else if (o.k === 'reject') d.rejected(id, o.who ?? undefined);
      else d.answered(id);
      return plan;
    }
  }
}

function checkInvariants(d: Distributor, now: number, plan: Plan, calls: string[], gone: Set<string>) {
  const agents = d.agents();
  const byId = new Map(agents.map((a) => [a.id, a]));
  // One call per agent, one agent per call, and both sides agree.
  const holders = new Map<string, string>();
  for (const a of agents) {
    if (a.callId === undefined) continue;
    expect(holders.has(a.callId), `${a.callId} held twice`).toBe(false);
    holders.set(a.callId, a.id);
    expect(a.state).not.toBe('available');
    expect(d.call(a.callId)?.agentId).toBe(a.id);
  }
  const views = calls.flatMap((id) => {
    const c = d.call(id);
    expect(c === undefined, `${id} live: ${c !== undefined}, gone: ${gone.has(id)}`).toBe(gone.has(id));
    return c ? [c] : [];
  });
  const waiting = views.filter((c) => c.state === 'waiting');
  for (const c of views) {
    if (c.agentId !== undefined) expect(holders.get(c.callId)).toBe(c.agentId);
    else expect(holders.has(c.callId)).toBe(false);
  }
  for (const c of waiting) {
    expect(plan.queues.some((q) => q.id === c.queue)).toBe(true);
    if (c.waitingFor !== undefined) expect(byId.get(c.waitingFor)?.state).not.toBe('logged_off');
  }
  // A free agent never sits beside a waiting call they could take.
  for (const a of agents) {
    if (a.state !== 'available' || a.device === undefined) continue;
    for (const c of waiting) {
      const could = c.required.every((s) => a.skills[s] !== undefined);
      const allowed = c.waitingFor === undefined || c.waitingFor === a.id;
      expect(could && allowed, `${a.id} is free while ${c.callId} waits in ${c.queue}`).toBe(false);
    }
  }
  // Counts add up.
  const s = d.stats();
  for (const [state, n] of Object.entries(s.agents))
    expect(agents.filter((a) => a.state === state)).toHaveLength(n);
  expect(s.queues.map((q) => q.id)).toEqual(plan.queues.map((q) => q.id));
  for (const q of s.queues) {
    const mine = waiting.filter((c) => c.queue === q.id);
    expect(q.waiting).toBe(mine.length);
    expect(d.waiting(q.id)).toHaveLength(mine.length);
    expect(q.longestWaitMs).toBe(mine.length === 0 ? 0 : now - Math.min(...mine.map((c) => c.arrivedAt)));
  }
  expect(s.queues.reduce((n, q) => n + q.waiting, 0)).toBe(waiting.length);
}

describe('distributor invariants', () => {
  it('never gives one call two agents nor one agent two calls, and never leaves a free agent beside a call for them', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
        let plan = PLANS[0] as Plan;
        const { d, clock, events } = setUp(plan);
        const calls: string[] = [];
        const gone = new Set<string>();
        for (const o of ops) {
          plan = apply(d, clock, o, plan, calls, gone);
          for (const e of events) if (e.type === 'left') gone.add(e.callId);
          checkInvariants(d, clock.now(), plan, calls, gone);
        }
        // Every assignment named an agent that held no other call at that moment.
        const holding = new Map<string, string>();
        for (const e of events) {
          if (e.type === 'assigned') {
            expect(
              holding.has(e.agentId),
              `${e.agentId} given ${e.callId} while holding ${holding.get(e.agentId)}`,
            ).toBe(false);
            holding.set(e.agentId, e.callId);
          } else if (e.type === 'agent' && e.state !== 'busy') holding.delete(e.agentId);
        }
      }),
      // 300 interleavings per run; the suite's long mode (RELAIS_LONG_TESTS=1) tries 20,000.
      { numRuns: process.env.RELAIS_LONG_TESTS === '1' ? 20_000 : 300 },
    );
  });
});
