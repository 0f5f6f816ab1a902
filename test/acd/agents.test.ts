/** Agent states, wrap-up, the preferred agent's wait, ring-no-answer, stats and the events' delivery. */
import { describe, expect, it } from 'vitest';
import { type AcdEvent, Distributor } from '../../src/acd/distributor.js';
import { AGENTS, FakeClock, OPTIONS, QUEUES, setUp } from './helpers.js';

describe('preferred agent', () => {
  it('waits for the preferred agent up to preferredAgentWaitSeconds, then takes anyone', () => {
    const { d, clock, assigned, events } = setUp();
    d.login('alice');
    d.login('bob');
    d.offer({ callId: 'a-call', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    const r = d.offer({
      callId: 'loyal',
      queue: 'support',
      priority: 0,
      skills: [],
      preferredAgent: 'alice',
    });
    expect(r).toMatchObject({ kind: 'queued', position: 1 });
    expect(r.candidates).toEqual([{ agentId: 'alice', chosen: false, why: 'preferred, busy: waited for' }]);
    expect(d.call('loyal')).toMatchObject({ waitingFor: 'alice' });
    expect(d.agent('bob')?.state).toBe('available'); // free, and not given the call
    clock.advance(3000);
    d.release('a-call');
    expect(assigned()).toEqual(['a-call→alice', 'loyal→alice']);
    d.offer({ callId: 'again', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    clock.advance(9_999);
    expect(assigned()).toHaveLength(2);
    clock.advance(1);
    expect(assigned()).toEqual(['a-call→alice', 'loyal→alice', 'again→bob']);
    expect(events.at(-1)).toMatchObject({ type: 'assigned', waitedMs: 10_000 });
  });

  it("takes the call's own wait, and does not wait for an agent logged off or without the skills", () => {
    const { d, clock, assigned } = setUp();
    d.login('alice');
    d.login('bob');
    d.offer({ callId: 'x', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    d.offer({
      callId: 'y',
      queue: 'support',
      priority: 0,
      skills: [],
      preferredAgent: 'alice',
      preferredAgentWaitSeconds: 2,
    });
    expect(d.call('y')?.waitingFor).toBe('alice');
    clock.advance(2000);
    expect(assigned()).toEqual(['x→alice', 'y→bob']);
    d.offer({ callId: 'z', queue: 'sales', priority: 0, skills: [], preferredAgent: 'bob' }); // bob lacks sales
    expect(d.call('z')?.waitingFor).toBeUndefined();
    d.offer({ callId: 'w', queue: 'support', priority: 0, skills: [], preferredAgent: 'zoe' });
    expect(d.call('w')?.waitingFor).toBeUndefined();
  });

  it('stops waiting when the preferred agent logs off', () => {
    const { d, assigned } = setUp();
    d.login('alice');
    d.offer({ callId: 'x', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    d.offer({ callId: 'y', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    d.login('bob');
    expect(assigned()).toEqual(['x→alice']);
    d.answered('x');
    d.logout('alice');
    expect(assigned()).toEqual(['x→alice', 'y→bob']);
  });
});

describe('agent states', () => {
  it('puts an agent who does not answer away and offers the call to the next at once', () => {
    const { d, clock, assigned, events, offer } = setUp();
    d.login('alice');
    clock.advance(1000);
    d.login('bob');
    offer('c', 'support');
    d.rejected('c', 'alice');
    expect(d.agent('alice')).toMatchObject({ state: 'away', reason: 'ring-no-answer', callId: undefined });
    expect(assigned()).toEqual(['c→alice', 'c→bob']);
    expect(events).toContainEqual({
      type: 'agent',
      agentId: 'alice',
      state: 'away',
      reason: 'ring-no-answer',
    });
  });

  it('sends an agent whose phone rang out away, and forgets the call', () => {
    const { d, offer } = setUp();
    d.login('bob');
    offer('c', 'support');
    d.notAnswered('c', 'ring-no-answer');
    expect(d.agent('bob')).toMatchObject({ state: 'away', reason: 'ring-no-answer', callId: undefined });
    expect(d.call('c')).toBeUndefined();
    d.setState('bob', 'available');
    expect(offer('d', 'support')).toMatchObject({ agentId: 'bob' });
  });

  it('puts an agent in wrap-up after an answered call, then available, and then they take the next call', () => {
    const { d, clock, assigned, offer } = setUp({ options: { ...OPTIONS, wrapUpSeconds: 15 } });
    d.login('bob');
    offer('c1', 'support');
    offer('c2', 'support');
    d.answered('c1');
    d.release('c1');
    expect(d.agent('bob')).toMatchObject({ state: 'wrap_up', callId: undefined });
    clock.advance(14_999);
    expect(assigned()).toEqual(['c1→bob']);
    clock.advance(1);
    expect(assigned()).toEqual(['c1→bob', 'c2→bob']);
    d.release('c2'); // never answered: no wrap-up
    expect(d.agent('bob')?.state).toBe('available');
  });

  it('leaves an agent who went away during the call away when it ends', () => {
    const { d, offer } = setUp({ options: { ...OPTIONS, wrapUpSeconds: 15 } });
    d.login('bob');
    offer('c1', 'support');
    d.answered('c1');
    d.setState('bob', 'away', 'meeting');
    d.release('c1');
    expect(d.agent('bob')).toMatchObject({ state: 'away', reason: 'meeting' });
  });

  it('gives back a reserved call when its agent logs off, and keeps an answered one busy across a re-login', () => {
    const { d, assigned, offer } = setUp();
    offer('c0', 'support');
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

  it('refuses to make an agent without a device available, and an unknown agent', () => {
    const { d } = setUp({ agents: [{ id: 'nodesk', skills: { support: 1 } }] });
    expect(() => d.login('nodesk')).toThrow(/no device/);
    expect(() => d.setState('nodesk', 'available')).toThrow(/is logged off/);
    d.setState('nodesk', 'away', 'not-ready'); // the PBX may say so before a login
    expect(() => d.setState('nodesk', 'available')).toThrow(/has no device/);
    expect(() => d.login('zoe')).toThrow(/unknown agent zoe/);
    expect(d.login('nodesk', '4100')).toMatchObject({ state: 'away', device: '4100' });
  });

  it('does not make an agent with a reserved call available by hand', () => {
    const { d, offer } = setUp();
    d.login('bob');
    offer('c', 'support');
    expect(d.setState('bob', 'available')).toMatchObject({ state: 'busy', callId: 'c' });
  });

  it('counts calls waiting, the longest wait and agents by state, per queue', () => {
    const { d, clock, offer } = setUp();
    d.login('bob');
    d.login('chloe');
    d.setState('chloe', 'away', 'lunch');
    offer('c1', 'support');
    offer('c2', 'support');
    clock.advance(4000);
    offer('c3', 'support', { skills: ['senior'] });
    offer('s1', 'sales');
    clock.advance(1000);
    const s = d.stats();
    expect(s.agents).toEqual({ logged_off: 1, available: 0, busy: 1, wrap_up: 0, away: 1 });
    expect(s.queues).toEqual([
      {
        id: 'support',
        waiting: 2,
        longestWaitMs: 5000,
        agents: { logged_off: 1, available: 0, busy: 1, wrap_up: 0, away: 0 },
      },
      {
        id: 'sales',
        waiting: 1,
        longestWaitMs: 1000,
        agents: { logged_off: 1, available: 0, busy: 0, wrap_up: 0, away: 1 },
      },
    ]);
  });
});

describe('events', () => {
  it('tells queued, assigned, left (abandoned, withdrawn) and agent changes, in order', () => {
    const { d, clock, events, offer } = setUp();
    offer('c1', 'support');
    offer('c2', 'support');
    clock.advance(2000);
    d.remove('c2');
    offer('c3', 'support');
    d.release('c3');
    d.login('bob');
    expect(events).toEqual([
      { type: 'queued', callId: 'c1', queue: 'support', position: 1 },
      { type: 'queued', callId: 'c2', queue: 'support', position: 2 },
      { type: 'left', callId: 'c2', queue: 'support', waitedMs: 2000, reason: 'abandoned' },
      { type: 'queued', callId: 'c3', queue: 'support', position: 2 },
      { type: 'left', callId: 'c3', queue: 'support', waitedMs: 0, reason: 'withdrawn' },
      { type: 'agent', agentId: 'bob', state: 'available', reason: undefined },
      { type: 'agent', agentId: 'bob', state: 'busy', reason: undefined },
      { type: 'assigned', callId: 'c1', agentId: 'bob', device: '4002', queue: 'support', waitedMs: 2000 },
    ]);
  });

  it('delivers events once the distributor is consistent, so a listener may call it back', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const d: Distributor = new Distributor({
      queues: QUEUES,
      agents: AGENTS,
      settings: OPTIONS,
      clock,
      onEvent: (e: AcdEvent) => {
        seen.push(
          e.type === 'agent' ? `${e.agentId} ${e.state}` : `${e.type} ${'callId' in e ? e.callId : ''}`,
        );
        // The agent is already reserved when told: an offer made from the listener goes elsewhere.
        if (e.type === 'assigned' && e.callId === 'c1') {
          expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'c1' });
          d.offer({ callId: 'c2', queue: 'support', priority: 0, skills: [] });
        }
      },
    });
    d.login('bob');
    d.offer({ callId: 'c1', queue: 'support', priority: 0, skills: [] });
    expect(seen).toEqual(['bob available', 'bob busy', 'assigned c1', 'queued c2']);
    expect(d.call('c2')).toMatchObject({ state: 'waiting' });
  });
});
