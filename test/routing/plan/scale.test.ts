/**
 * Large and random plans: 200 rules decide correctly and fast, the DNIS index changes no decision
 * and no trace, and no plan or call makes `decide` throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanDecision, RoutingContext } from '../../../src/routing/types.js';
import { frNormalise } from '../../helpers/numbers.js';
import { call, card, plan, rule, WED_10H } from './helpers.js';

const HEAD = `
skills: [support, senior]
queues: [{ id: q, device: "3001" }, { id: vip, device: "3002" }]
calendars: { business: { hours: { mon-fri: ["08:00-19:00"] }, holidays: ["12-25"] } }
`;
/** `01 40 00 00 00` + i: 200 distinct Paris numbers of the same length. */
const number = (i: number) =>
  `01 40 00 ${String(i)
    .padStart(4, '0')
    .replace(/(..)(..)/, '$1 $2')}`;

/** 200 rules: mostly DNIS campaigns (some for VIPs only), with other rules between them. */
function bigPlan(): string {
  const rules: string[] = [];
  for (let i = 0; i < 200; i++) {
    if (i % 10 === 5)
      rules.push(
        `  - { name: r${i}, when: { dnis: { prefix: "0899" }, ani: { kind: withheld } }, then: { destination: "${5000 + i}" } }`,
      );
    else if (i % 10 === 7)
      rules.push(`  - { name: r${i}, when: { ivrChoice: opt${i} }, then: { queue: q, priority: ${i} } }`);
    else if (i % 3 === 0)
      rules.push(
        `  - { name: r${i}, when: { dnis: { exact: "${number(i)}" }, customer: { tier: vip } }, then: { queue: vip, skills: [senior] } }`,
      );
    else
      rules.push(
        `  - { name: r${i}, when: { dnis: { in: ["${number(i)}", "+33 1 41 00 ${String(i)
          .padStart(4, '0')
          .replace(/(..)(..)/, '$1 $2')}"] } }, then: { destination: "${3000 + i}" } }`,
      );
  }
  return `${HEAD}rules:\n${rules.join('\n')}\ndefault: { queue: q }\n`;
}

describe('a plan of 200 rules', () => {
  const big = plan(bigPlan());

  it('decides like first-match-wins, whichever rule the call reaches', () => {
    expect(big.decide(call({ dnis: number(199) }))).toMatchObject({
      rule: 'r199',
      destination: '3199',
      rulesTested: 200,
    });
    expect(big.decide(call({ dnis: '01 41 00 01 99' })).rule).toBe('r199');
    expect(big.decide(call({ dnis: number(0) })).rule).toBe('default'); // r0 is for VIPs
    expect(big.decide(call({ dnis: number(0), customer: card({ tier: 'vip' }) }))).toMatchObject({
      rule: 'r0',
      queue: 'vip',
      skills: ['senior'],
      rulesTested: 1,
    });
    expect(big.decide(call({ dnis: number(1), ivrChoice: 'opt7' })).rule).toBe('r1');
    expect(big.decide(call({ dnis: number(150), ivrChoice: 'opt7' })).rule).toBe('r7');
    expect(big.decide(call({ dnis: '0899 00 00 00', ani: 'anonymous' })).rule).toBe('r5');
    expect(big.decide(call({ dnis: number(500) }))).toMatchObject({ rule: 'default', rulesTested: 200 });
  });

  it('traces the first 20 rules in full, skipped or not, then only the match and near misses', () => {
    const d = big.decide(call({ dnis: number(192) }));
    expect(d.rule).toBe('default'); // r192 is for VIPs
    expect(d.rulesTested).toBe(200);
    expect(d.trace.map((t) => t.rule)).toEqual([...Array.from({ length: 20 }, (_, i) => `r${i}`), 'r192']);
    // r1 was skipped by the index; its line says what testing it would have said.
    expect(d.trace[1]).toEqual({
      rule: 'r1',
      matched: false,
      conditions: [{ test: 'dnis in +33140000001, +33141000001', passed: false, actual: '+33140000192' }],
    });
    expect(d.trace.at(-1)).toEqual({
      rule: 'r192',
      matched: false,
      conditions: [
        { test: 'dnis in +33140000192', passed: true, actual: '+33140000192' },
        { test: 'customer.tier in vip', passed: false, actual: '(no customer)' },
      ],
    });
  });

  it('decides in microseconds', () => {
    const calls = [number(199), number(3), number(500), '0899000000', '4001'].map((dnis) => call({ dnis }));
    for (let i = 0; i < 2000; i++) big.decide(calls[i % calls.length] as RoutingContext); // warm up the JIT
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) big.decide(calls[i % calls.length] as RoutingContext);
    const perDecisionUs = ((performance.now() - t0) * 1000) / n;
    // Typically 2–6 µs; the bound leaves room for a loaded machine.
    expect(perDecisionUs).toBeLessThan(100);
  });
});

/** What must not change between the indexed plan and the same plan scanned rule by rule. */
const shape = (d: PlanDecision) => ({
  rule: d.rule,
  rulesTested: d.rulesTested,
  trace: d.trace.map((t) => [t.rule, t.matched, t.conditions.map((c) => [c.passed, c.actual])]),
});

const POOL = ['01 40 00 00 01', '01 40 00 00 02', '01 40 00 00 03', '08 00 12 34 56'];
const e164 = (raw: string) => (frNormalise(raw) as { e164: string }).e164;

const ruleArb = fc.record({
  exact: fc.option(fc.subarray(POOL, { minLength: 1 }), { nil: undefined }),
  tier: fc.option(fc.constantFrom('vip', 'standard'), { nil: undefined }),
  choice: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
});
type RuleSpec = { exact: string[] | undefined; tier: string | undefined; choice: string | undefined };

/** The plan, with DNIS numbers as `exact` (indexed) or as whole-number prefixes (not indexed). */
function planOf(rules: RuleSpec[], indexed: boolean): string {
  const lines = rules.map((r, i) => {
    const when: Record<string, unknown> = {};
    if (r.exact) when.dnis = indexed ? { exact: r.exact } : { prefix: r.exact.map(e164) };
    if (r.tier) when.customer = { tier: r.tier };
    if (r.choice || Object.keys(when).length === 0) when.ivrChoice = r.choice ?? 'a';
    return rule(`r${i}`, when, { queue: 'q' });
  });
  return JSON.stringify({ queues: [{ id: 'q', device: '1' }], rules: lines, default: { destination: '9' } });
}

const ctxArb = fc.record({
  dnis: fc.constantFrom(...POOL, 'anonymous', '3012', '01 40 00 00 09'),
  tier: fc.option(fc.constantFrom('vip', 'standard'), { nil: undefined }),
  ivrChoice: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
});

describe('the DNIS index', () => {
  it('gives the decision and the trace of a rule-by-rule scan', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 45 }),
        fc.array(ctxArb, { minLength: 1, maxLength: 5 }),
        (rules, ctxs) => {
          const indexed = plan(planOf(rules, true));
          const scanned = plan(planOf(rules, false));
          for (const c of ctxs) {
            const ctx = call({
              dnis: c.dnis,
              customer: c.tier ? card({ tier: c.tier }) : null,
              ivrChoice: c.ivrChoice,
            });
            expect(shape(indexed.decide(ctx))).toEqual(shape(scanned.decide(ctx)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('random plans and calls', () => {
  const FUZZ_HEAD = {
    queues: [{ id: 'q', device: '3001' }],
    calendars: { business: { hours: { 'mon-fri': ['08:00-19:00'] }, holidays: ['12-25'] } },
  };
  const condition = fc.oneof(
    fc.record({ dnis: fc.record({ exact: fc.constantFrom(...POOL) }) }),
    fc.record({ dnis: fc.record({ prefix: fc.constantFrom('01', '0800', '+44', '30') }) }),
    fc.record({ ani: fc.record({ kind: fc.constantFrom('e164', 'withheld', 'extension', 'unknown') }) }),
    fc.record({
      ani: fc.record({ country: fc.constantFrom('FR', 'BE'), type: fc.constantFrom('mobile', 'fixed_line') }),
    }),
    fc.record({ ani: fc.record({ region: fc.constantFrom('Île-de-France', 'Nord-Ouest') }) }),
    fc.record({ customer: fc.record({ known: fc.boolean() }) }),
    fc.record({
      customer: fc.record({
        tier: fc.constantFrom('vip', 'standard'),
        language: fc.constantFrom('fr', 'en-GB'),
      }),
    }),
    fc.record({
      customer: fc.record({
        purchasedWithinDays: fc.integer({ min: 1, max: 90 }),
        sku: fc.constantFrom('TV', 'PH'),
      }),
    }),
    fc.record({
      customer: fc.record({
        openTicket: fc.boolean(),
        attributes: fc.dictionary(
          fc.constantFrom('seg', 'n', 'toString'),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
          { minKeys: 1 },
        ),
      }),
    }),
    fc.record({ time: fc.record({ calendar: fc.constant('business'), open: fc.boolean() }) }),
    fc.record({
      time: fc.record({
        between: fc.constantFrom('00:00-12:00', '12:00-24:00'),
        days: fc.subarray(['mon', 'sat', 'sun'], { minLength: 1 }),
      }),
    }),
    fc.record({ ivrChoice: fc.constantFrom('a', 'b') }),
  );
  const when = fc.oneof(
    condition,
    fc.tuple(condition, condition).map(([a, b]) => ({ ...a, ...b })),
    condition.map((c) => ({ not: c })),
    fc.array(condition, { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
  );
  const context = fc.record({
    ani: fc.oneof(
      fc.constantFrom('06 12 34 56 78', '+32 2 555 12 12', '02 99 00 00 00', 'anonymous', '', '4001'),
      fc.string(),
    ),
    dnis: fc.oneof(fc.constantFrom(...POOL, '3012'), fc.string()),
    customer: fc.option(
      fc.record({
        tier: fc.string(),
        language: fc.option(fc.string(), { nil: undefined }),
        attributes: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        purchases: fc.array(fc.record({ sku: fc.string(), daysAgo: fc.integer({ min: -10, max: 400 }) }), {
          maxLength: 3,
        }),
        dispositions: fc.array(fc.option(fc.string(), { nil: undefined }), { maxLength: 3 }),
      }),
      { nil: null },
    ),
    ivrChoice: fc.option(fc.string(), { nil: undefined }),
    now: fc.oneof(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.constantFrom(Number.NaN, -1e16, 1e16, 0),
    ),
  });

  it('never make decide throw, and each decision names a rule or the default', () => {
    fc.assert(
      fc.property(
        fc.array(when, { maxLength: 30 }),
        fc.array(context, { minLength: 1, maxLength: 5 }),
        (whens, ctxs) => {
          const p = plan(
            JSON.stringify({
              ...FUZZ_HEAD,
              rules: whens.map((w, i) => rule(`r${i}`, w, { queue: 'q' })),
              default: { queue: 'q' },
            }),
          );
          const names = new Set(['default', ...whens.map((_, i) => `r${i}`)]);
          for (const c of ctxs) {
            const d = p.decide({
              callId: 'x',
              link: 'pbx',
              ani: frNormalise(c.ani),
              dnis: frNormalise(c.dnis),
              customer:
                c.customer &&
                card({
                  tier: c.customer.tier,
                  language: c.customer.language,
                  attributes: c.customer.attributes,
                  recentPurchases: c.customer.purchases.map((x, i) => ({
                    id: `p${i}`,
                    sku: x.sku,
                    purchasedAt: WED_10H - x.daysAgo * 86_400_000,
                  })),
                  recentInteractions: c.customer.dispositions.map((disposition, i) => ({
                    id: `i${i}`,
                    at: 0,
                    channel: 'phone',
                    disposition,
                  })),
                }),
              ivrChoice: c.ivrChoice,
              now: c.now,
            });
            expect(names.has(d.rule)).toBe(true);
            expect(d.rulesTested).toBeLessThanOrEqual(whens.length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
