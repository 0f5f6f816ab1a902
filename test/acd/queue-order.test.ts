/** The order waiting calls are served in: priority, ageing and its bound, calls given back; checked against a sort. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentDef, CallView } from '../../src/acd/distributor.js';
import { AGENTS, OPTIONS, setUp } from './helpers.js';

const BOB = [AGENTS[1] as AgentDef];

describe('order of waiting calls', () => {
  it('serves a VIP who came later before the standard callers', () => {
    const { d, clock, assigned, offer } = setUp();
    d.login('bob');
    offer('busy', 'support');
    expect(offer('std', 'support')).toMatchObject({ kind: 'queued', position: 1 });
    clock.advance(5000);
    expect(offer('vip', 'support', { priority: 100 })).toMatchObject({ kind: 'queued', position: 1 });
    expect(offer('std2', 'support')).toMatchObject({ kind: 'queued', position: 3 });
    expect(d.waiting('support')).toEqual(['vip', 'std', 'std2']);
    d.release('busy');
    d.release('vip');
    d.release('std');
    expect(assigned()).toEqual(['busy→bob', 'vip→bob', 'std→bob', 'std2→bob']);
  });

  it('ages: a caller overtakes a higher priority once they have waited the difference in seconds', () => {
    const { d, clock, offer } = setUp({ agents: BOB }); // 1 point a second
    d.login('bob');
    offer('busy', 'support');
    offer('old', 'support', { priority: 0 });
    clock.advance(30_000);
    offer('new', 'support', { priority: 20 }); // 20 + 0 against 0 + 30
    expect(d.waiting('support')).toEqual(['old', 'new']);
    offer('newer', 'support', { priority: 40 }); // 40 against 30
    expect(d.waiting('support')).toEqual(['newer', 'old', 'new']);
    clock.advance(10_000); // 40 + 10 against 0 + 40: still ahead
    expect(d.waiting('support')).toEqual(['newer', 'old', 'new']);
  });

  it('goes by arrival between equal effective priorities', () => {
    const { d, clock, offer } = setUp({ agents: BOB });
    d.login('bob');
    offer('busy', 'support');
    offer('first', 'support', { priority: 0 });
    clock.advance(10_000);
    offer('second', 'support', { priority: 10 }); // 10 + 0 = 0 + 10
    offer('third', 'support', { priority: 10 });
    expect(d.waiting('support')).toEqual(['first', 'second', 'third']);
  });

  it('bounds starvation: a standard caller past maxWaitSeconds goes before any VIP of a steady stream', () => {
    const { d, clock, assigned, offer } = setUp({
      options: { ...OPTIONS, ageing: { pointsPerSecond: 0, maxWaitSeconds: 30 } },
      agents: BOB,
    });
    d.login('bob');
    offer('busy', 'support');
    offer('std', 'support');
    // Two VIPs every 5 s; bob takes one call every 5 s: without the bound std would wait for ever.
    for (let n = 0; n < 20; n++) {
      clock.advance(5000);
      offer(`vip${2 * n}`, 'support', { priority: 100 });
      offer(`vip${2 * n + 1}`, 'support', { priority: 100 });
      d.release(d.agent('bob')?.callId as string);
    }
    const served = assigned().map((s) => s.split('→')[0]);
    const at = served.indexOf('std');
    expect(at).toBeGreaterThan(1); // VIPs first while std was young
    // std crossed 30 s at the 6th release (t = 30 s) and was served then, before every VIP waiting.
    expect(served.slice(0, at)).toEqual(['busy', 'vip0', 'vip1', 'vip2', 'vip3', 'vip4']);
    const waited = d.waiting('support').length;
    expect(waited).toBeGreaterThan(10); // the stream goes on
  });

  it('serves first a call given back by an agent who did not answer', () => {
    const { d, clock, assigned, offer } = setUp();
    d.login('bob');
    clock.advance(1000);
    d.login('alice');
    offer('c', 'support'); // bob, the longest idle
    offer('vip', 'support', { priority: 100 }); // alice
    offer('w1', 'support', { priority: 50 });
    d.rejected('c', 'bob');
    expect(d.agent('bob')).toMatchObject({ state: 'away', reason: 'ring-no-answer' });
    expect(d.call('c')).toMatchObject({ state: 'waiting', returned: true });
    expect(d.waiting('support')).toEqual(['c', 'w1']);
    d.release('vip'); // alice frees up: c goes before w1's 50 points
    expect(assigned()).toEqual(['c→bob', 'vip→alice', 'c→alice']);
    expect(d.call('c')).toMatchObject({ state: 'assigned', returned: false });
  });

  it('ignores a late ring-no-answer about an earlier agent', () => {
    const { d, offer } = setUp();
    d.login('bob');
    offer('c', 'support');
    d.rejected('c', 'alice');
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'c' });
    d.answered('c');
    d.rejected('c');
    expect(d.agent('bob')).toMatchObject({ state: 'busy', callId: 'c' });
  });

  it("plays docs/acd.md's worked example", () => {
    const { d, clock, assigned, offer } = setUp(); // 1 point a second, bound 120 s
    d.login('alice');
    d.login('bob');
    d.login('chloe');
    for (const [id, q] of [
      ['x1', 'support'],
      ['x2', 'support'],
      ['x3', 'sales'],
    ] as const)
      offer(id, q);
    const at = (s: number) => clock.advance(1_000_000 + s * 1000 - clock.now());
    offer('A', 'support', { priority: 0 });
    at(10);
    offer('B', 'support', { priority: 20 });
    at(40);
    d.release(d.agent('bob')?.callId as string);
    at(45);
    offer('V', 'support', { priority: 100, skills: ['senior'] });
    at(50);
    d.release(d.agent('bob')?.callId as string);
    at(55);
    d.release(d.agent('alice')?.callId as string);
    expect(assigned().slice(3)).toEqual(['B→bob', 'A→bob', 'V→alice']);
  });

  it('serves calls in the documented order, as a sort of the waiting calls would', () => {
    const call = fc.record({
      priority: fc.constantFrom(0, 0, 10, 50, 100),
      senior: fc.boolean(),
      sales: fc.boolean(),
      gap: fc.constantFrom(0, 1, 1000, 10_000, 40_000),
    });
    const frees = fc.array(fc.record({ agent: fc.nat({ max: 2 }), gap: fc.constantFrom(0, 5000, 30_000) }), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.array(call, { maxLength: 30 }),
        frees,
        fc.constantFrom(0, 1, 3),
        fc.constantFrom(30, 120),
        (calls, steps, pointsPerSecond, maxWaitSeconds) => {
          const options = { ...OPTIONS, ageing: { pointsPerSecond, maxWaitSeconds } };
          const agents: AgentDef[] = [
            { id: 'a0', device: '1', skills: { support: 1 } },
            { id: 'a1', device: '2', skills: { support: 1, senior: 1 } },
            { id: 'a2', device: '3', skills: { support: 1, senior: 1, sales: 1 } },
          ];
          const { d, clock, events, offer } = setUp({
            options,
            agents,
            queues: [{ id: 'support', device: '9', skills: ['support'] }],
          });
          const order = new Map<string, number>();
          calls.forEach((c, i) => {
            clock.advance(c.gap);
            order.set(`c${i}`, i);
            const skills = [...(c.senior ? ['senior'] : []), ...(c.sales ? ['sales'] : [])];
            offer(`c${i}`, 'support', { priority: c.priority, skills });
          });
          for (const step of steps) {
            clock.advance(step.gap);
            const id = `a${step.agent}`;
            const a = d.agent(id);
            if (a?.callId !== undefined) d.release(a.callId);
            else if (a?.state === 'logged_off') d.login(id);
            else continue;
            const last = events.at(-1);
            const now = clock.now();
            const waiting = d
              .waiting('support')
              .map((w) => d.call(w) as CallView)
              .concat(last?.type === 'assigned' ? [d.call(last.callId) as CallView] : []);
            const able = waiting.filter((w) => w.required.every((s) => (d.agent(id)?.skills[s] ?? 0) > 0));
            const bound = maxWaitSeconds * 1000;
            const tier = (w: CallView) => (now - w.arrivedAt >= bound ? 0 : 1);
            // Effective priority in thousandths of a point: exact for these integers.
            const eff = (w: CallView) => w.priority * 1000 + pointsPerSecond * (now - w.arrivedAt);
            able.sort(
              (x, y) =>
                tier(x) - tier(y) ||
                (tier(x) === 1 ? eff(y) - eff(x) : 0) ||
                x.arrivedAt - y.arrivedAt ||
                (order.get(x.callId) as number) - (order.get(y.callId) as number),
            );
            const expected = able[0];
            if (expected === undefined) expect(d.agent(id)?.state).toBe('available');
            else expect(last).toMatchObject({ type: 'assigned', agentId: id, callId: expected.callId });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
