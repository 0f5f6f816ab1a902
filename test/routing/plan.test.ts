/** The routing plan: every condition and action, first match, the trace, and refusals with their line. */
import { describe, expect, it } from 'vitest';
import type { CompiledPlan } from '../../src/routing/plan/compile.js';
import { loadPlanFile } from '../../src/routing/plan/load.js';
import type { RoutingContext } from '../../src/routing/types.js';
import { call, card, DAY, opts, plan, refusal as refused, WED_10H } from './plan/helpers.js';

const refusal = (yaml: string) => refused(yaml).message;
/** A call to the campaign number 0800 123 456 unless told. */
const ctx = (over: Parameters<typeof call>[0] = {}): RoutingContext => call({ dnis: '0800123456', ...over });

const example = loadPlanFile(new URL('../../routing.example.yaml', import.meta.url).pathname, opts);

describe('routing plan', () => {
  it('loads the example plan and routes with it, first match winning', () => {
    const vip = example.decide(
      ctx({
        customer: card({
          tier: 'vip',
          recentInteractions: [{ id: 'i1', at: WED_10H - DAY, channel: 'phone', agentId: 'alice' }],
        }),
      }),
    );
    expect(vip).toMatchObject({
      rule: 'vip',
      queue: 'support',
      priority: 100,
      skills: ['senior'],
      preferredAgent: 'alice',
      message: 'vip-greeting',
    });
    // A VIP calling the campaign number: the VIP rule is first.
    expect(vip.trace.map((t) => [t.rule, t.matched])).toEqual([
      ['closed', false],
      ['vip', true],
    ]);

    expect(example.decide(ctx({ dnis: '+33 800 123 456' }))).toMatchObject({
      rule: 'spring-campaign',
      queue: 'sales',
      priority: 10,
      overflow: { afterSeconds: 30, to: 'support' },
    });
    expect(example.decide(ctx({ dnis: '0140000000' }))).toMatchObject({
      rule: 'default',
      queue: 'support',
      priority: 0,
    });
  });

  it('closes outside business hours and on holidays, in the calendar time zone', () => {
    const sunday = Date.parse('2026-11-29T09:00:00Z');
    expect(example.decide(ctx({ now: sunday }))).toMatchObject({
      rule: 'closed',
      destination: '5000',
      message: 'closed',
    });
    expect(example.decide(ctx({ now: Date.parse('2026-12-25T09:00:00Z') })).rule).toBe('closed');
    // 07:30 UTC is 08:30 in Paris in winter (open) — and 18:30 UTC is 19:30 (closed).
    expect(example.decide(ctx({ now: Date.parse('2026-11-25T07:30:00Z') })).rule).not.toBe('closed');
    expect(example.decide(ctx({ now: Date.parse('2026-11-25T18:30:00Z') })).rule).toBe('closed');
    // Summer time: 07:30 UTC is 09:30 in Paris, 17:30 UTC is 19:30.
    expect(example.decide(ctx({ now: Date.parse('2026-07-01T17:30:00Z') })).rule).toBe('closed');
    expect(example.decide(ctx({ now: Date.parse('2026-07-01T16:30:00Z') })).rule).not.toBe('closed');
    const closed = example.decide(ctx({ now: sunday })).trace[0];
    expect(closed?.conditions[0]).toEqual({
      test: 'calendar business closed',
      passed: true,
      actual: '2026-11-29 sun 10:00',
    });
  });

  it('tests purchases, mobile callers abroad, and says why in the trace with the number masked', () => {
    const buyer = card({ recentPurchases: [{ id: 'p1', sku: 'TV-55', purchasedAt: WED_10H - 3 * DAY }] });
    expect(example.decide(ctx({ customer: buyer, dnis: '0140000000' })).rule).toBe('recent-buyers');
    const old = card({ recentPurchases: [{ id: 'p1', sku: 'TV-55', purchasedAt: WED_10H - 90 * DAY }] });
    expect(example.decide(ctx({ customer: old, dnis: '0140000000' })).rule).toBe('default');

    const abroad = example.decide(ctx({ ani: '+44 7911 123456', dnis: '0140000000' }));
    expect(abroad.rule).toBe('mobile-callers-abroad');
    const french = example.decide(ctx({ ani: '06 12 34 56 78', dnis: '0140000000' }));
    expect(french.rule).toBe('default');
    const t = french.trace.find((r) => r.rule === 'mobile-callers-abroad');
    expect(t?.conditions).toEqual([
      { test: 'ani.kind in e164', passed: true, actual: 'e164' },
      { test: 'ani.type in mobile', passed: true, actual: 'mobile' },
      { test: 'not (ani.country in FR)', passed: false },
    ]);
    expect(JSON.stringify(french.trace)).not.toContain('612345678');
  });

  it('takes a calendar without holidays and an agent without skills', () => {
    const p = plan(
      'calendars: { b: { hours: { mon-fri: ["08:00-18:00"] } } }\nagents: [{ id: a }]\nqueues: [{ id: q, device: "1" }]\nrules:\n  - { name: open, when: { time: { calendar: b } }, then: { queue: q } }\ndefault: { destination: "9" }\n',
    );
    expect(p.decide(ctx()).rule).toBe('open');
    expect(p.decide(ctx({ now: Date.parse('2026-11-29T09:00:00Z') })).rule).toBe('default');
  });

  it('matches DNIS prefixes in national and international form, ANI kinds, attributes, languages, tickets and IVR choices', () => {
    const p = plan(`
skills: [support]
queues: [{ id: q, device: "3001" }]
rules:
  - { name: withheld, when: { ani: { kind: [withheld, unavailable] } }, then: { queue: q, priority: 1 } }
  - { name: premium, when: { dnis: { prefix: ["0899", "+4420"] } }, then: { queue: q, priority: 2 } }
  - { name: gold, when: { customer: { attributes: { segment: gold } } }, then: { queue: q, priority: 3 } }
  - { name: english, when: { customer: { language: en } }, then: { queue: q, priority: 4 } }
  - { name: ticket, when: { customer: { openTicket: true } }, then: { queue: q, priority: 5 } }
  - { name: ivr, when: { ivrChoice: after-sales }, then: { queue: q, priority: 6 } }
  - { name: region, when: { any: [{ ani: { region: Nord-Ouest } }, { ani: { country: BE } }] }, then: { queue: q, priority: 7 } }
default: { destination: "3999" }
`);
    const pr = (c: RoutingContext) => p.decide(c).priority;
    expect(pr(ctx({ ani: 'anonymous' }))).toBe(1);
    expect(pr(ctx({ dnis: '0899 12 34 56' }))).toBe(2);
    expect(pr(ctx({ dnis: '+44 20 7946 0000' }))).toBe(2);
    expect(pr(ctx({ customer: card({ attributes: { segment: 'gold' } }) }))).toBe(3);
    expect(pr(ctx({ customer: card({ language: 'en-GB' }) }))).toBe(4);
    expect(
      pr(
        ctx({
          customer: card({ recentInteractions: [{ id: 'i', at: 0, channel: 'phone', disposition: 'open' }] }),
        }),
      ),
    ).toBe(5);
    expect(pr(ctx({ customer: card({ attributes: { openTicket: true } }) }))).toBe(5);
    expect(pr(ctx({ ivrChoice: 'after-sales' }))).toBe(6);
    expect(pr(ctx({ ani: '02 99 00 00 00' }))).toBe(7);
    expect(pr(ctx({ ani: '+32 2 555 12 12' }))).toBe(7);
    expect(p.decide(ctx())).toMatchObject({ rule: 'default', destination: '3999' });
  });

  it('refuses bad plans with the file, the line, the rule and the reason, all problems at once', () => {
    const msg = refusal(`skills: [support]
queues:
  - { id: support, device: "3001", overflow: { afterSeconds: 30, to: sales } }
  - { id: sales, device: "3002", overflow: { afterSeconds: 30, to: support } }
rules:
  - name: vip
    when: { customer: { tier: platinum } }
    then: { queue: suport }
  - name: hours
    when: { time: { between: "19:00-08:00" } }
    then: { queue: support, skills: [senoir] }
`);
    expect(msg).toContain('routing.yaml:3: queues.0.overflow.to: overflow cycle: support → sales → support');
    expect(msg).toContain('routing.yaml:7: rule "vip": unknown tier "platinum"');
    expect(msg).toContain('routing.yaml:8: rule "vip": unknown queue "suport"');
    expect(msg).toContain('routing.yaml:10: rule "hours": "19:00-08:00" is not a time range');
    expect(msg).toContain('routing.yaml:11: rule "hours": unknown skill "senoir"');
  });

  it('refuses typos in keys, unreachable rules, bad prefixes, unknown calendars and zones, and broken YAML', () => {
    expect(refusal('rules:\n  - name: a\n    wen: {}\n    then: { destination: "1" }\n')).toMatch(
      /routing\.yaml:3: rule "a": wen: Unexpected property/,
    );
    expect(
      refusal(
        'rules:\n  - { name: a, then: { destination: "1" } }\n  - { name: b, when: { ivrChoice: x }, then: { destination: "2" } }\n',
      ),
    ).toContain('routing.yaml:3: rule "b": rule "b" can never match: rule "a" before it has no conditions');
    expect(
      refusal('rules:\n  - { name: a, when: { dnis: { prefix: "08ab" } }, then: { destination: "1" } }\n'),
    ).toContain('prefix "08ab"');
    expect(
      refusal('rules:\n  - { name: a, when: { time: { calendar: office } }, then: { destination: "1" } }\n'),
    ).toContain('unknown calendar "office"');
    expect(refusal('timezone: Europe/Pariss\n')).toContain(
      'routing.yaml:1: timezone: unknown time zone "Europe/Pariss"',
    );
    expect(refusal('rules: [\n')).toMatch(/routing\.yaml:\d+: /);
    expect(
      refusal(
        'rules:\n  - { name: a, when: { customer: { purchasedWithinDays: 0 } }, then: { destination: "1" } }\n',
      ),
    ).toContain('at least 1 day');
    expect(refusal('rules:\n  - { name: a, then: { message: hi } }\n')).toContain(
      'needs a queue or a destination',
    );
    expect(
      refusal(
        'queues: [{ id: q, device: "1" }]\nrules:\n  - { name: a, then: { queue: q, overflow: { afterSeconds: 5, to: r } } }\n',
      ),
    ).toContain('routing.yaml:3: rule "a": overflow to unknown queue "r"');
  });

  it('decides quickly with 200 rules and never throws on odd calls', () => {
    const rules = Array.from(
      { length: 200 },
      (_, i) =>
        `  - { name: r${i}, when: { dnis: { exact: "01 40 00 ${String(i).padStart(4, '0').slice(0, 2)} ${String(i).padStart(4, '0').slice(2)}" }, customer: { tier: vip } }, then: { destination: "${3000 + i}" } }`,
    );
    const big: CompiledPlan = plan(`rules:\n${rules.join('\n')}\ndefault: { destination: "3999" }\n`);
    const vip = card({ tier: 'vip' });
    expect(big.decide(ctx({ dnis: '01 40 00 01 99', customer: vip })).destination).toBe('3199');
    const miss = big.decide(ctx({ dnis: '01 40 00 01 99' }));
    expect(miss.destination).toBe('3999');
    // Every rule tested; past the first 20 only the near miss (DNIS matched, tier did not) is listed.
    expect(miss.rulesTested).toBe(200);
    expect(miss.trace.map((t) => t.rule)).toEqual([...Array.from({ length: 20 }, (_, i) => `r${i}`), 'r199']);
    for (const raw of ['', 'anonymous', '+', '0'.repeat(40), 'sip:x@y', '\u0000']) {
      expect(() => big.decide(ctx({ ani: raw, dnis: raw, customer: vip }))).not.toThrow();
    }
  });
});
