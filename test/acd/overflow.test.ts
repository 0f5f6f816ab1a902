/** Overflow after N seconds, chained, the call's own overflow, and a hot reload of queues and agents. */
import { describe, expect, it } from 'vitest';
import type { AgentDef, QueueDef } from '../../src/acd/distributor.js';
import { AGENTS, OPTIONS, setUp } from './helpers.js';

const CHAIN: QueueDef[] = [
  { id: 'support', device: '3001', skills: ['support'], overflow: { afterSeconds: 30, to: 'sales' } },
  { id: 'sales', device: '3002', skills: ['sales'], overflow: { afterSeconds: 20, to: 'backup' } },
  { id: 'backup', device: '3003', skills: [] },
];
const overflows = (events: ReturnType<typeof setUp>['events']) =>
  events.flatMap((e) => (e.type === 'overflowed' ? [`${e.callId}:${e.from}→${e.to}`] : []));

describe('overflow', () => {
  it('moves a call still waiting after the queue timeout, down the chain, keeping its age and priority', () => {
    const { d, clock, events, offer } = setUp({ queues: CHAIN });
    offer('c', 'support', { priority: 7 });
    clock.advance(29_999);
    expect(overflows(events)).toEqual([]);
    clock.advance(1);
    expect(overflows(events)).toEqual(['c:support→sales']);
    expect(d.call('c')).toMatchObject({
      queue: 'sales',
      priority: 7,
      arrivedAt: 1_000_000,
      required: ['sales'],
    });
    clock.advance(20_000);
    expect(overflows(events)).toEqual(['c:support→sales', 'c:sales→backup']);
    expect(d.stats().queues.map((q) => [q.id, q.waiting, q.longestWaitMs])).toEqual([
      ['support', 0, 0],
      ['sales', 0, 0],
      ['backup', 1, 50_000],
    ]);
    clock.advance(100_000);
    expect(overflows(events)).toHaveLength(2); // the chain ends
    d.login('bob'); // no skill needed in backup
    expect(events.at(-1)).toMatchObject({
      type: 'assigned',
      callId: 'c',
      agentId: 'bob',
      queue: 'backup',
      waitedMs: 150_000,
    });
  });

  it('is served where it went at once when an agent is free there', () => {
    const { d, clock, events, offer } = setUp({ queues: CHAIN });
    d.login('chloe'); // sales only
    offer('c', 'support');
    clock.advance(30_000);
    expect(events.slice(-3).map((e) => e.type)).toEqual(['overflowed', 'agent', 'assigned']);
    expect(d.agent('chloe')).toMatchObject({ state: 'busy', callId: 'c' });
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
    expect(overflows(events)).toEqual(['c:sales→support']);
    // Then support's own overflow (60 s, to sales) applies as for any call.
    clock.advance(60_000);
    expect(overflows(events)).toEqual(['c:sales→support', 'c:support→sales']);
    expect(d.waiting('sales')).toEqual(['c']);
  });

  it('stops the timer of a call served or gone', () => {
    const { d, clock, offer } = setUp({ queues: CHAIN });
    offer('c1', 'support');
    offer('c2', 'support');
    expect(clock.pending).toBe(2);
    d.login('bob');
    d.remove('c2');
    expect(clock.pending).toBe(0);
  });
});

describe('reconfigure', () => {
  it('keeps calls in flight; a removed queue sends its waiting calls down its old chain', () => {
    const { d, events, offer } = setUp({ queues: CHAIN });
    d.login('bob');
    offer('talking', 'support');
    offer('waiting', 'support', { priority: 5 });
    // support and sales removed: waiting goes past sales (gone too) to backup.
    const r = d.reconfigure([CHAIN[2] as QueueDef], AGENTS, OPTIONS);
    expect(r).toEqual({ orphaned: [] });
    expect(overflows(events)).toEqual(['waiting:support→backup']);
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'talking' });
    expect(d.call('waiting')).toMatchObject({ queue: 'backup', priority: 5, required: [] });
    d.release('talking'); // bob frees up and takes it in backup
    expect(events.at(-1)).toMatchObject({
      type: 'assigned',
      callId: 'waiting',
      agentId: 'bob',
      queue: 'backup',
    });
  });

  it('gives back as orphaned the waiting calls of a removed queue with nowhere to go', () => {
    const { d, clock, events, offer } = setUp({ queues: CHAIN });
    offer('lost', 'backup');
    clock.advance(5000);
    const r = d.reconfigure(CHAIN.slice(0, 2), AGENTS, OPTIONS);
    expect(r).toEqual({ orphaned: ['lost'] });
    expect(events.at(-1)).toEqual({
      type: 'left',
      callId: 'lost',
      queue: 'backup',
      waitedMs: 5000,
      reason: 'orphaned',
    });
    expect(d.call('lost')).toBeUndefined();
  });

  it('applies new skills and agents at once, and lets a removed agent finish their call', () => {
    const { d, assigned, offer } = setUp();
    d.login('bob');
    d.login('chloe');
    offer('c1', 'support'); // bob
    offer('c2', 'support', { skills: ['senior'] }); // nobody has support + senior free
    const agents: AgentDef[] = [
      { id: 'alice', device: '4001', skills: { support: 3, senior: 1, sales: 1 } },
      { id: 'chloe', device: '4003', skills: { sales: 3, support: 1, senior: 2 } },
      { id: 'dan', device: '4004', skills: { sales: 1 } },
    ];
    d.reconfigure(QUEUES_SAME, agents, OPTIONS);
    expect(assigned()).toEqual(['c1→bob', 'c2→chloe']); // chloe learnt support and senior
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'c1' }); // gone from the plan, on a call
    expect(() => d.login('bob')).toThrow(/unknown agent bob/);
    d.release('c1');
    expect(d.agent('bob')).toBeUndefined();
    expect(d.agent('dan')).toMatchObject({ state: 'logged_off', device: '4004' });
  });

  it('reorders waiting calls when the ageing rate changes', () => {
    const { d, clock, offer } = setUp({ agents: [AGENTS[1] as AgentDef] });
    d.login('bob');
    offer('busy', 'support');
    offer('old', 'support', { priority: 0 });
    clock.advance(10_000);
    offer('vip', 'support', { priority: 5 }); // 5 against 10 at 1 point a second
    expect(d.waiting('support')).toEqual(['old', 'vip']);
    d.reconfigure(QUEUES_SAME, AGENTS, { ...OPTIONS, ageing: { pointsPerSecond: 0, maxWaitSeconds: 120 } });
    expect(d.waiting('support')).toEqual(['vip', 'old']);
    d.release('busy');
    expect(d.agent('bob')?.callId).toBe('vip');
  });

  it('re-times overflows by the new plan, from when the call entered the queue', () => {
    const { d, clock, events, offer } = setUp();
    offer('c', 'support'); // 60 s to sales
    clock.advance(20_000);
    d.reconfigure(
      [
        { ...(QUEUES_SAME[0] as QueueDef), overflow: { afterSeconds: 30, to: 'sales' } },
        QUEUES_SAME[1] as QueueDef,
      ],
      AGENTS,
      OPTIONS,
    );
    clock.advance(9_999);
    expect(overflows(events)).toEqual([]);
    clock.advance(1);
    expect(overflows(events)).toEqual(['c:support→sales']);
  });
});

const QUEUES_SAME: QueueDef[] = [
  { id: 'support', device: '3001', skills: ['support'], overflow: { afterSeconds: 60, to: 'sales' } },
  { id: 'sales', device: '3002', skills: ['sales'] },
];
