/** Which agent takes a new call: preferred, longest idle, then skill level; checked against a plain scan. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentDef } from '../../src/acd/distributor.js';
import { setUp } from './helpers.js';

describe('selection of an agent for a new call', () => {
  it('gives the call to the longest idle agent with the skills, not the first logged in', () => {
    const { d, clock, offer } = setUp();
    d.login('alice');
    clock.advance(1000);
    d.login('bob');
    clock.advance(1000);
    d.setState('alice', 'away', 'coffee');
    clock.advance(1000);
    d.setState('alice', 'available'); // back from coffee: idle for 0 s, bob for 2 s
    expect(offer('c1', 'support')).toMatchObject({ kind: 'assigned', agentId: 'bob', device: '4002' });
    expect(offer('c2', 'support')).toMatchObject({ kind: 'assigned', agentId: 'alice' });
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'c1' });
  });

  it('takes only agents with every skill of the queue and of the call', () => {
    const { d, clock, offer } = setUp();
    d.login('bob');
    clock.advance(1000);
    d.login('alice');
    d.login('chloe');
    // bob is the longest idle but lacks senior; chloe lacks support.
    const r = offer('vip', 'support', { skills: ['senior'] });
    expect(r).toMatchObject({ kind: 'assigned', agentId: 'alice' });
    expect(r.candidates).toContainEqual({ agentId: 'chloe', chosen: false, why: 'missing skill senior' });
    expect(r.candidates).toContainEqual({ agentId: 'bob', chosen: false, why: 'missing skill senior' });
    expect(offer('vip2', 'support', { skills: ['senior'] })).toMatchObject({ kind: 'queued', position: 1 });
  });

  it('breaks a tie of idle time by the higher sum of levels in the required skills', () => {
    const agents: AgentDef[] = [
      { id: 'low', device: '1', skills: { support: 2, senior: 2 } },
      { id: 'high', device: '2', skills: { support: 1, senior: 4 } },
      { id: 'top-support', device: '3', skills: { support: 9 } },
    ];
    const { d, offer } = setUp({ agents });
    for (const a of agents) d.login(a.id); // the same instant
    // support + senior: high 5 beats low 4; top-support lacks senior.
    const r = offer('c1', 'support', { skills: ['senior'] });
    expect(r).toMatchObject({ agentId: 'high' });
    expect(r.candidates[0]).toMatchObject({ agentId: 'high', chosen: true });
    expect(r.candidates).toContainEqual({
      agentId: 'low',
      chosen: false,
      why: 'idle 0 s like the chosen, level 4',
    });
    // support only: top-support's 9.
    expect(offer('c2', 'support')).toMatchObject({ agentId: 'top-support' });
  });

  it('offers the preferred agent first when free, even if others idle longer', () => {
    const { d, clock } = setUp();
    d.login('bob');
    clock.advance(5000);
    d.login('alice');
    const r = d.offer({ callId: 'c', queue: 'support', priority: 0, skills: [], preferredAgent: 'alice' });
    expect(r).toMatchObject({ kind: 'assigned', agentId: 'alice' });
    expect(r.candidates[0]).toEqual({
      agentId: 'alice',
      chosen: true,
      why: 'preferred (last agent of the customer), free',
    });
  });

  it('picks as a plain scan of the free agents would, whatever their skills and idle times', () => {
    const skill = fc.constantFrom('support', 'sales', 'senior', 'french');
    const agent = fc.record({
      skills: fc.dictionary(skill, fc.integer({ min: 1, max: 9 }), { maxKeys: 4 }),
      /** ms to wait before this agent becomes available (0: same instant as the previous). */
      gap: fc.constantFrom(0, 0, 1, 1000),
      free: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(agent, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(skill, { maxLength: 2 }),
        (specs, extra) => {
          const agents = specs.map((s, i) => ({
            id: `a${i}`,
            device: `${100 + i}`,
            skills: { support: 1, ...s.skills },
          }));
          const { d, clock, offer } = setUp({ agents });
          specs.forEach((s, i) => {
            clock.advance(s.gap);
            d.login(`a${i}`);
            if (!s.free) d.setState(`a${i}`, 'away', 'break');
          });
          clock.advance(10);
          const required = [...new Set(['support', ...extra])];
          const free = d.agents().filter((a) => a.state === 'available');
          const able = free.filter((a) => required.every((s) => a.skills[s] !== undefined));
          const level = (a: (typeof able)[number]) => required.reduce((n, s) => n + (a.skills[s] ?? 0), 0);
          const longest = Math.min(...able.map((a) => a.idleSince));
          const first = able.filter((a) => a.idleSince === longest);
          const top = Math.max(...first.map(level));
          // Equal idle time and level: the one who became available first (login order here).
          const expected = first.find((a) => level(a) === top);
          const r = offer('c', 'support', { skills: extra });
          if (expected === undefined) expect(r.kind).toBe('queued');
          else expect(r).toMatchObject({ kind: 'assigned', agentId: expected.id });
        },
      ),
      { numRuns: 300 },
    );
  });
});
