/** Refused plans: each kind of problem, with its file, line, rule and reason, all listed at once. */
import { describe, expect, it } from 'vitest';
import { opts, problemsOf, refusal, rule } from './helpers.js';

const lines = (text: string) => refusal(text).message.split('\n').slice(1);
const QS = 'skills: [support]\nqueues: [{ id: q, device: "1" }]\n';

describe('refused plans', () => {
  it('lists every problem of the rules, each as file:line: rule "name": reason, with details', () => {
    const e = refusal(`skills: [support]
queues:
  - { id: support, device: "3001" }
rules:
  - name: vip
    when: { customer: { tier: platinum } }
    then: { queue: suport }
  - name: hours
    when: { time: { between: "19:00-08:00" } }
    then: { queue: support, skills: [senoir] }
`);
    expect(e.code).toBe('RELAIS_ERR_ROUTING_PLAN');
    expect(e.message.split('\n')).toEqual([
      'the routing plan was refused (4 problems):',
      'routing.yaml:6: rule "vip": unknown tier "platinum" (customers.tiers: standard, vip)',
      'routing.yaml:7: rule "vip": unknown queue "suport"',
      'routing.yaml:9: rule "hours": "19:00-08:00" is not a time range HH:MM-HH:MM with start < end',
      'routing.yaml:10: rule "hours": unknown skill "senoir" (declare it under skills)',
    ]);
    expect(problemsOf(e)[0]).toEqual({
      line: 6,
      path: 'when.customer.tier',
      rule: 'vip',
      message: 'unknown tier "platinum" (customers.tiers: standard, vip)',
    });
    expect(e.details?.file).toBe('routing.yaml');
  });

  it('refuses unknown skills of queues and agents, and overflows to unknown queues', () => {
    expect(
      lines(`skills: [support]
queues:
  - { id: a, device: "1", skills: [sales], overflow: { afterSeconds: 5, to: b } }
agents:
  - id: alice
    skills: { support: 2, senior: 1 }
`),
    ).toEqual([
      'routing.yaml:3: queues.0.skills.0: unknown skill "sales" (declare it under skills)',
      'routing.yaml:3: queues.0.overflow.to: overflow to unknown queue "b"',
      'routing.yaml:6: agents.0.skills.senior: unknown skill "senior" (declare it under skills)',
    ]);
  });

  it('refuses a cycle of overflows once, at its first queue', () => {
    expect(
      lines(`queues:
  - { id: a, device: "1", overflow: { afterSeconds: 5, to: b } }
  - { id: b, device: "2", overflow: { afterSeconds: 5, to: c } }
  - { id: c, device: "3", overflow: { afterSeconds: 5, to: a } }
  - { id: d, device: "4", overflow: { afterSeconds: 5, to: a } }
  - { id: e, device: "5", overflow: { afterSeconds: 5, to: e } }
`),
    ).toEqual([
      'routing.yaml:2: queues.0.overflow.to: overflow cycle: a → b → c → a',
      'routing.yaml:6: queues.4.overflow.to: overflow cycle: e → e',
    ]);
  });

  it('refuses duplicate rule, queue and agent ids', () => {
    expect(
      lines(`queues:
  - { id: q, device: "1" }
  - { id: q, device: "2" }
agents: [{ id: a }, { id: a }]
rules:
  - { name: r, when: { ivrChoice: x }, then: { queue: q } }
  - { name: r, when: { ivrChoice: y }, then: { queue: q } }
`),
    ).toEqual([
      'routing.yaml:3: queues.1.id: duplicate queue "q"',
      'routing.yaml:4: agents.1.id: duplicate agent "a"',
      'routing.yaml:7: rule "r": duplicate rule "r"',
    ]);
  });

  it('refuses impossible conditions', () => {
    const text = `${QS}calendars:
  office: { hours: { mon-fri: ["08:00-8:30", "12:00-12:00"] }, holidays: ["2026-02-30"] }
rules:
  - name: a
    when: { dnis: { prefix: "08ab" } }
    then: { queue: q }
  - name: b
    when: { customer: { purchasedWithinDays: 0 } }
    then: { queue: q }
  - name: c
    when: { time: { calendar: shop } }
    then: { queue: q }
  - name: d
    when: { time: { between: "25:00-26:00", timezone: Mars/Olympus } }
    then: { queue: q }
  - name: e
    when: { ani: { type: mobil, country: UK } }
    then: { queue: q }
  - name: f
    when: { dnis: { exact: "hello" }, time: { days: [] } }
    then: { queue: q }
  - name: g
    when: { customer: {}, time: { open: true } }
    then: { queue: q }
`;
    expect(lines(text)).toEqual([
      'routing.yaml:4: calendars.office.hours.mon-fri.0: "08:00-8:30" is not a time range HH:MM-HH:MM with start < end',
      'routing.yaml:4: calendars.office.hours.mon-fri.1: "12:00-12:00" is not a time range HH:MM-HH:MM with start < end',
      'routing.yaml:4: calendars.office.holidays.0: "2026-02-30" is not a date',
      'routing.yaml:7: rule "a": prefix "08ab" has characters a number cannot have',
      'routing.yaml:10: rule "b": must be at least 1 day',
      'routing.yaml:13: rule "c": unknown calendar "shop"',
      'routing.yaml:16: rule "d": unknown time zone "Mars/Olympus"',
      'routing.yaml:16: rule "d": "25:00-26:00" is not a time range HH:MM-HH:MM with start < end',
      'routing.yaml:19: rule "e": unknown country "UK"',
      expect.stringMatching(
        /^routing\.yaml:19: rule "e": unknown number type "mobil" \(mobile, fixed_line, /,
      ),
      'routing.yaml:22: rule "f": "hello" is not a number',
      'routing.yaml:22: rule "f": no day can match an empty list',
      'routing.yaml:25: rule "g": `customer` has no test',
      'routing.yaml:25: rule "g": open needs a calendar',
    ]);
  });

  it('refuses a tier outside customers.tiers and a region outside numbers.regions when given', () => {
    const text = `${QS}rules:\n  - { name: a, when: { customer: { tier: gold }, ani: { region: Idf } }, then: { queue: q } }\n`;
    expect(lines(text)).toEqual([
      'routing.yaml:4: rule "a": unknown tier "gold" (customers.tiers: standard, vip)',
    ]);
    expect(refusal(text, { ...opts, tiers: ['gold'], regions: ['Île-de-France'] }).message).toContain(
      'routing.yaml:4: rule "a": unknown region "Idf" (numbers.regions: Île-de-France)',
    );
  });

  it('refuses every rule after an unconditional one, and an empty condition', () => {
    expect(
      lines(`${QS}rules:
  - { name: catch-all, then: { queue: q } }
  - { name: late, when: { ivrChoice: x }, then: { queue: q } }
  - { name: later, when: { ivrChoice: y }, then: { queue: q } }
`),
    ).toEqual([
      'routing.yaml:5: rule "late": rule "late" can never match: rule "catch-all" before it has no conditions',
      'routing.yaml:6: rule "later": rule "later" can never match: rule "catch-all" before it has no conditions',
    ]);
    expect(lines(`${QS}rules:\n  - { name: a, when: {}, then: { queue: q } }\n`)).toEqual([
      'routing.yaml:4: rule "a": an empty condition (a rule without `when` always matches)',
    ]);
    // The last rule may be unconditional: it is then the default in all but name.
    expect(() => refusal(`${QS}rules:\n  - { name: a, then: { queue: q } }\n`)).toThrow('accepted');
  });

  it('refuses bad actions', () => {
    expect(
      lines(`${QS}rules:
  - { name: a, when: { ivrChoice: x }, then: { message: hi } }
  - { name: b, when: { ivrChoice: y }, then: { queue: q, destination: "5000" } }
  - { name: c, when: { ivrChoice: z }, then: { destination: "5000", overflow: { afterSeconds: 5, to: q } } }
  - { name: d, when: { ivrChoice: w }, then: { queue: q, overflow: { afterSeconds: 5, to: q } } }
default: { queue: nowhere }
`),
    ).toEqual([
      'routing.yaml:4: rule "a": an action needs a queue or a destination',
      'routing.yaml:5: rule "b": an action has a queue or a destination, not both',
      'routing.yaml:6: rule "c": an overflow needs a queue to overflow from',
      'routing.yaml:7: rule "d": overflow to the queue the call is already in ("q")',
      'routing.yaml:8: default.queue: unknown queue "nowhere"',
    ]);
  });

  it('refuses unknown keys, wrong types and a match other than first, with the value found', () => {
    expect(
      lines(`match: any
queues:
  - { id: Support, device: "3001" }
rules:
  - name: a
    wen: { ivrChoice: x }
    then: { destination: "1", priority: high }
`),
    ).toEqual([
      expect.stringMatching(/^routing\.yaml:1: match: Expected .*first.* \(got "any"\)$/),
      expect.stringMatching(
        /^routing\.yaml:3: queues\.0\.id: Expected string to match .* \(got "Support"\)$/,
      ),
      'routing.yaml:6: rule "a": wen: Unexpected property (got {"ivrChoice":"x"})',
      'routing.yaml:7: rule "a": Expected integer (got "high")',
    ]);
  });

  it('refuses a bad time zone of the plan or of a calendar', () => {
    expect(
      lines(
        'timezone: Europe/Pariss\ncalendars:\n  b:\n    timezone: Nowhere/City\n    hours: { mon: ["08:00-09:00"] }\n',
      ),
    ).toEqual([
      'routing.yaml:1: timezone: unknown time zone "Europe/Pariss"',
      'routing.yaml:4: calendars.b.timezone: unknown time zone "Nowhere/City"',
    ]);
  });

  it('gives lines in JSON plans too, and the parser error of broken YAML', () => {
    const json = JSON.stringify(
      {
        queues: [{ id: 'q', device: '1' }],
        rules: [rule('a', { ivrChoice: 'x' }, { queue: 'r' })],
      },
      null,
      2,
    );
    expect(refusal(json, opts, 'routing.json').message).toContain(
      'routing.json:15: rule "a": unknown queue "r"',
    );
    expect(lines('rules: [\n  { name: a\n')[0]).toMatch(
      /^routing\.yaml:3: Flow map in block collection must be sufficiently indented/,
    );
    expect(lines('queues: [{ id: q, device: "1" }]\nqueues: []\n')[0]).toMatch(
      /^routing\.yaml:2: Map keys must be unique/,
    );
  });
});
