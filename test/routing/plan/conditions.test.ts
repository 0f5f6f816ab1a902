/** Every condition kind and every action of a rule, first match winning, the default, the trace. */
import { describe, expect, it } from 'vitest';
import type { RoutingContext } from '../../../src/routing/types.js';
import { call, card, DAY, plan, WED_10H } from './helpers.js';

const HEAD = `
skills: [support, senior, sales]
queues:
  - { id: q, device: "3001" }
  - { id: sales, device: "3002", priority: 7 }
`;

/** A plan with one rule `r` (priority 1) under test, and a default at priority 0. */
function only(when: string) {
  return plan(
    `${HEAD}rules:\n  - { name: r, when: ${when}, then: { queue: q, priority: 1 } }\ndefault: { queue: q }\n`,
  );
}
const matches = (when: string, c: RoutingContext) => only(when).decide(c).rule === 'r';

describe('conditions', () => {
  it('dnis: exact, in and prefix, in any format, national and international', () => {
    expect(matches('{ dnis: { exact: "08 00 12 34 56" } }', call({ dnis: '+33800123456' }))).toBe(true);
    expect(matches('{ dnis: { exact: ["0800123456", "0800123457"] } }', call({ dnis: '0800 123 457' }))).toBe(
      true,
    );
    expect(matches('{ dnis: { in: ["+33 800 123 456"] } }', call({ dnis: '0800123456' }))).toBe(true);
    expect(matches('{ dnis: { exact: "0800123456" } }', call({ dnis: '0800123457' }))).toBe(false);
    expect(matches('{ dnis: { prefix: "0800" } }', call({ dnis: '0033 800 99 99 99' }))).toBe(true);
    expect(matches('{ dnis: { prefix: "00 44 20" } }', call({ dnis: '+44 20 7946 0000' }))).toBe(true);
    expect(matches('{ dnis: { prefix: "30" } }', call({ dnis: '3012' }))).toBe(true); // an extension
    expect(matches('{ dnis: { prefix: "0800" } }', call({ dnis: 'anonymous' }))).toBe(false);
  });

  it('ani: kind, country, region and number type', () => {
    expect(matches('{ ani: { kind: withheld } }', call({ ani: 'anonymous' }))).toBe(true);
    expect(matches('{ ani: { kind: [unavailable, unknown] } }', call({ ani: '' }))).toBe(true);
    expect(matches('{ ani: { kind: extension } }', call({ ani: '4001' }))).toBe(true);
    expect(matches('{ ani: { country: BE } }', call({ ani: '+32 2 555 12 12' }))).toBe(true);
    expect(matches('{ ani: { country: BE } }', call({ ani: 'anonymous' }))).toBe(false);
    expect(matches('{ ani: { region: Île-de-France } }', call({ ani: '01 40 00 00 00' }))).toBe(true);
    expect(matches('{ ani: { region: Île-de-France } }', call({ ani: '06 12 34 56 78' }))).toBe(false);
    expect(matches('{ ani: { type: mobile } }', call({ ani: '06 12 34 56 78' }))).toBe(true);
    expect(matches('{ ani: { type: [fixed_line, toll_free] } }', call({ ani: '06 12 34 56 78' }))).toBe(
      false,
    );
  });

  it('customer: known, tier, language, attributes compared as text', () => {
    expect(matches('{ customer: { known: true } }', call({ customer: card() }))).toBe(true);
    expect(matches('{ customer: { known: false } }', call())).toBe(true);
    expect(matches('{ customer: { tier: [vip] } }', call({ customer: card({ tier: 'vip' }) }))).toBe(true);
    expect(matches('{ customer: { tier: vip } }', call())).toBe(false);
    expect(matches('{ customer: { language: fr-FR } }', call({ customer: card({ language: 'fr' }) }))).toBe(
      true,
    );
    expect(matches('{ customer: { language: de } }', call({ customer: card({ language: 'fr' }) }))).toBe(
      false,
    );
    const imported = card({ attributes: { segment: 'gold', seats: '3', partner: 'true' } });
    expect(
      matches(
        '{ customer: { attributes: { segment: gold, seats: 3, partner: true } } }',
        call({ customer: imported }),
      ),
    ).toBe(true);
    expect(matches('{ customer: { attributes: { segment: silver } } }', call({ customer: imported }))).toBe(
      false,
    );
    // A key Object.prototype has is not an attribute.
    expect(matches('{ customer: { attributes: { constructor: x } } }', call({ customer: card() }))).toBe(
      false,
    );
  });

  it('customer: a purchase within N days, of a SKU', () => {
    const bought = (sku: string, daysAgo: number) =>
      card({ recentPurchases: [{ id: 'p', sku, purchasedAt: WED_10H - daysAgo * DAY }] });
    expect(
      matches('{ customer: { purchasedWithinDays: 30 } }', call({ customer: bought('TV-55', 30) })),
    ).toBe(true);
    expect(
      matches('{ customer: { purchasedWithinDays: 30 } }', call({ customer: bought('TV-55', 31) })),
    ).toBe(false);
    expect(
      matches('{ customer: { purchasedWithinDays: 7, sku: TV } }', call({ customer: bought('TV-55', 2) })),
    ).toBe(true);
    expect(
      matches('{ customer: { purchasedWithinDays: 7, sku: TV } }', call({ customer: bought('PH-1', 2) })),
    ).toBe(false);
    expect(matches('{ customer: { purchasedWithinDays: 7 } }', call())).toBe(false);
  });

  it('customer: an open ticket is the openTicket attribute or the latest interaction left open', () => {
    const w = '{ customer: { openTicket: true } }';
    expect(matches(w, call({ customer: card({ attributes: { openTicket: true } }) }))).toBe(true);
    expect(matches(w, call({ customer: card({ attributes: { openTicket: 'yes' } }) }))).toBe(true);
    expect(matches(w, call({ customer: card({ attributes: { openTicket: 'no' } }) }))).toBe(false);
    const talk = (disposition: string, at: number) => ({ id: `i${at}`, at, channel: 'phone', disposition });
    const pending = card({ recentInteractions: [talk('pending', 2), talk('resolved', 1)] });
    expect(matches(w, call({ customer: pending }))).toBe(true);
    // Most recent first: a later resolved call settles the earlier open one.
    const settled = card({ recentInteractions: [talk('resolved', 2), talk('open', 1)] });
    expect(matches(w, call({ customer: settled }))).toBe(false);
    expect(matches('{ customer: { openTicket: false } }', call({ customer: settled }))).toBe(true);
    expect(matches('{ customer: { openTicket: false } }', call())).toBe(true);
  });

  it('time: between, days, a zone of its own; ivrChoice; not; any', () => {
    expect(matches('{ time: { between: "09:30-10:30" } }', call())).toBe(true);
    expect(matches('{ time: { between: "10:01-24:00" } }', call())).toBe(false);
    expect(matches('{ time: { days: [wed], between: "00:00-24:00" } }', call())).toBe(true);
    expect(matches('{ time: { days: [sat, sun] } }', call())).toBe(false);
    // 10:00 in Paris is 04:00 in New York.
    expect(matches('{ time: { between: "04:00-05:00", timezone: America/New_York } }', call())).toBe(true);
    expect(matches('{ ivrChoice: after-sales }', call({ ivrChoice: 'after-sales' }))).toBe(true);
    expect(matches('{ ivrChoice: [sales, support] }', call({ ivrChoice: 'after-sales' }))).toBe(false);
    expect(matches('{ ivrChoice: sales }', call())).toBe(false);
    expect(matches('{ not: { ani: { kind: withheld } } }', call())).toBe(true);
    expect(matches('{ not: { ani: { kind: withheld } } }', call({ ani: 'anonymous' }))).toBe(false);
    const any = '{ any: [{ ani: { country: BE } }, { customer: { tier: vip } }] }';
    expect(matches(any, call({ ani: '+32 2 555 12 12' }))).toBe(true);
    expect(matches(any, call({ customer: card({ tier: 'vip' }) }))).toBe(true);
    expect(matches(any, call())).toBe(false);
  });

  it('needs every condition of a rule, stops at the first that fails, and says so in the trace', () => {
    const p = only('{ ani: { kind: e164 }, customer: { tier: vip }, ivrChoice: sales }');
    const d = p.decide(call({ ivrChoice: 'sales' }));
    expect(d.rule).toBe('default');
    expect(d.trace).toEqual([
      {
        rule: 'r',
        matched: false,
        conditions: [
          { test: 'ani.kind in e164', passed: true, actual: 'e164' },
          { test: 'customer.tier in vip', passed: false, actual: '(no customer)' },
        ],
      },
    ]);
    expect(d.rulesTested).toBe(1);
  });
});

describe('actions', () => {
  const p = plan(`${HEAD}acd: { preferredAgentWaitSeconds: 15 }
rules:
  - name: closed
    when: { ivrChoice: closed }
    then: { destination: "5000", message: closed }
  - name: vip
    when: { customer: { tier: vip } }
    then: { queue: q, priority: 100, skills: [senior], preferLastAgent: true, message: vip-greeting, fallback: "3999" }
  - name: sales
    when: { ivrChoice: sales }
    then: { queue: sales, overflow: { afterSeconds: 30, to: q } }
  - name: sales-urgent
    when: { ivrChoice: urgent }
    then: { queue: sales, priority: -5 }
default: { queue: q, skills: [support] }
`);

  it('resolves every action of the first matching rule', () => {
    expect(p.decide(call({ ivrChoice: 'closed' }))).toMatchObject({
      rule: 'closed',
      destination: '5000',
      queue: undefined,
      message: 'closed',
      priority: 0,
      skills: [],
    });
    const vip = card({
      tier: 'vip',
      recentInteractions: [
        { id: 'i2', at: WED_10H - DAY, channel: 'email' },
        { id: 'i1', at: WED_10H - 2 * DAY, channel: 'phone', agentId: 'alice' },
      ],
    });
    expect(p.decide(call({ customer: vip, ivrChoice: 'sales' }))).toMatchObject({
      rule: 'vip',
      queue: 'q',
      priority: 100,
      skills: ['senior'],
      preferredAgent: 'alice',
      preferredAgentWaitSeconds: 15,
      message: 'vip-greeting',
      fallback: '3999',
    });
    // No last agent known: nobody preferred, nothing waited for.
    const d = p.decide(call({ customer: card({ tier: 'vip' }) }));
    expect(d.preferredAgent).toBeUndefined();
    expect(d.preferredAgentWaitSeconds).toBeUndefined();
  });

  it("takes the queue's priority when the rule sets none, and the rule's own overflow", () => {
    expect(p.decide(call({ ivrChoice: 'sales' }))).toMatchObject({
      rule: 'sales',
      queue: 'sales',
      priority: 7,
      overflow: { afterSeconds: 30, to: 'q' },
    });
    expect(p.decide(call({ ivrChoice: 'urgent' })).priority).toBe(-5);
  });

  it('applies the default when no rule matches, after testing them all', () => {
    const d = p.decide(call());
    expect(d).toMatchObject({
      rule: 'default',
      queue: 'q',
      priority: 0,
      skills: ['support'],
      rulesTested: 4,
    });
    expect(d.trace.map((t) => [t.rule, t.matched])).toEqual([
      ['closed', false],
      ['vip', false],
      ['sales', false],
      ['sales-urgent', false],
    ]);
  });

  it('hands each decision its own skills list', () => {
    const a = p.decide(call());
    a.skills.push('sales');
    expect(p.decide(call()).skills).toEqual(['support']);
  });

  it('accepts a plan without rules (the default decides) and one without a default (nothing decided)', () => {
    expect(plan(`${HEAD}default: { destination: "3999" }\n`).decide(call())).toMatchObject({
      rule: 'default',
      destination: '3999',
      rulesTested: 0,
      trace: [],
    });
    const none = plan('{}').decide(call());
    expect(none).toMatchObject({ rule: 'default', queue: undefined, destination: undefined, priority: 0 });
  });
});

describe('the trace', () => {
  it('masks the caller, shows the DNIS in full, and names each condition as written', () => {
    const p = plan(`${HEAD}rules:
  - { name: campaign, when: { dnis: { prefix: "0800" }, ani: { type: fixed_line } }, then: { queue: sales } }
  - { name: mobiles, when: { ani: { kind: e164, type: mobile }, not: { ani: { country: FR } } }, then: { queue: q } }
default: { queue: q }
`);
    const d = p.decide(call({ ani: '06 12 34 56 78', dnis: '0800 123 456' }));
    expect(d.trace).toEqual([
      {
        rule: 'campaign',
        matched: false,
        conditions: [
          { test: 'dnis starts with +33800', passed: true, actual: '+33800123456' },
          { test: 'ani.type in fixed_line', passed: false, actual: 'mobile' },
        ],
      },
      {
        rule: 'mobiles',
        matched: false,
        conditions: [
          { test: 'ani.kind in e164', passed: true, actual: 'e164' },
          { test: 'ani.type in mobile', passed: true, actual: 'mobile' },
          { test: 'not (ani.country in FR)', passed: false },
        ],
      },
    ]);
    expect(JSON.stringify(d)).not.toContain('612345678');
  });
});
