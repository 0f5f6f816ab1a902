/** The example plan a newcomer starts from: it loads, routes as its comments say, and the docs show it whole. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/routing/plan/load.js';
import { call, card, DAY, opts, WED_10H } from './helpers.js';

const file = new URL('../../../routing.example.yaml', import.meta.url).pathname;
const example = loadPlanFile(file, opts);
const OTHER_NUMBER = '01 40 00 00 00';

describe('routing.example.yaml', () => {
  it('sends callers outside business hours, on holidays and closed dates to the closed message', () => {
    const closed = { rule: 'closed', destination: '5000', message: 'closed', queue: undefined };
    expect(example.decide(call({ now: Date.parse('2026-11-29T10:00:00Z') }))).toMatchObject(closed); // Sunday
    expect(example.decide(call({ now: Date.parse('2026-11-25T18:30:00Z') }))).toMatchObject(closed); // 19:30
    expect(example.decide(call({ now: Date.parse('2026-11-25T11:45:00Z') }))).toMatchObject(closed); // lunch
    expect(example.decide(call({ now: Date.parse('2027-05-01T08:00:00Z') }))).toMatchObject(closed); // yearly
    expect(example.decide(call({ now: Date.parse('2026-08-14T08:00:00Z') }))).toMatchObject(closed);
    expect(example.decide(call({ now: Date.parse('2026-11-28T09:00:00Z') })).rule).not.toBe('closed'); // Sat 10:00
  });

  it('serves VIPs first, by a senior agent, their last one preferred', () => {
    const vip = card({
      tier: 'vip',
      recentInteractions: [{ id: 'i1', at: WED_10H - DAY, channel: 'phone', agentId: 'bob' }],
    });
    expect(example.decide(call({ customer: vip, dnis: '0800 123 456' }))).toMatchObject({
      rule: 'vip',
      queue: 'support',
      priority: 100,
      skills: ['senior'],
      preferredAgent: 'bob',
      preferredAgentWaitSeconds: 10,
      message: 'vip-greeting',
    });
  });

  it('sends the 0800 campaign to sales in any form of the number, mobile callers abroad with priority, others to the default', () => {
    for (const dnis of ['0800123456', '+33 8 00 12 34 56', '0033800123456'])
      expect(example.decide(call({ dnis }))).toMatchObject({
        rule: 'spring-campaign',
        queue: 'sales',
        priority: 10,
      });
    expect(example.decide(call({ ani: '+44 7911 123456', dnis: OTHER_NUMBER }))).toMatchObject({
      rule: 'mobile-callers-abroad',
      queue: 'support',
      priority: 5,
    });
    expect(example.decide(call({ dnis: OTHER_NUMBER }))).toMatchObject({
      rule: 'default',
      queue: 'support',
      priority: 0,
      rulesTested: 5,
    });
  });

  it('is shown whole in docs/routing.md', () => {
    const doc = readFileSync(new URL('../../../docs/routing.md', import.meta.url), 'utf8');
    const at = doc.indexOf('<!-- routing.example.yaml -->');
    const start = doc.indexOf('```yaml\n', at) + '```yaml\n'.length;
    expect(at).toBeGreaterThan(0);
    expect(doc.slice(start, doc.indexOf('```\n', start))).toBe(readFileSync(file, 'utf8'));
  });
});
