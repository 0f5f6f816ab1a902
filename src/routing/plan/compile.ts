/**
 * Compiles a checked plan into closures: numbers normalised, sets built, calendars resolved, once.
 * `decide` then runs the rules in order with no I/O and no parsing: a few microseconds per call.
 * Every reference the schema cannot check (queues, skills, calendars, tiers, time ranges, overflow
 * cycles, unreachable rules) is checked here and reported with its path.
 */
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import { type CompiledIvr, compileIvr } from '../../ivr/decide.js';
import { dialString, type NormalisedNumber } from '../../model/number.js';
import { maskNumber } from '../../numbers/mask.js';
import type { ConditionTrace, PlanDecision, RoutingContext, RuleTrace } from '../types.js';
import { lastAgentOf } from '../types.js';
import { type Action, type Condition, DAY_NAMES, type DayName, type Plan } from './schema.js';

export interface PlanProblem {
  path: Array<string | number>;
  message: string;
}

export interface CompileOptions {
  normalise: (raw: string) => NormalisedNumber;
  /** Country of national numbers (`0800…` prefixes become `+33800…`). */
  defaultCountry: string;
  /** Customer tiers the directory knows (customers.tiers). */
  tiers: readonly string[];
}

export interface CompiledPlan {
  readonly plan: Plan;
  decide(ctx: RoutingContext): PlanDecision;
  /** IVR personalisation, when the plan has an `ivr` section. */
  readonly ivr: CompiledIvr | undefined;
}

type Test = (ctx: RoutingContext, local: LocalClock) => ConditionTrace;

const DAY_MS = 86_400_000;
/** Rules listed in full in every trace; after them only near misses (see decide). */
const FULL_TRACE_RULES = 20;
const OPEN_DISPOSITIONS = new Set(['open', 'pending', 'ticket-open']);

/** Local wall-clock time in a time zone, computed once per zone per decision. */
class LocalClock {
  readonly #cache = new Map<string, { day: DayName; minutes: number; date: string }>();
  constructor(readonly now: number) {}
  at(tz: string): { day: DayName; minutes: number; date: string } {
    let v = this.#cache.get(tz);
    if (!v) {
      const parts = formatter(tz).formatToParts(this.now);
      const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
      v = {
        day: get('weekday').toLowerCase().slice(0, 3) as DayName,
        minutes: Number(get('hour')) * 60 + Number(get('minute')),
        date: `${get('year')}-${get('month')}-${get('day')}`,
      };
      this.#cache.set(tz, v);
    }
    return v;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

function validZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM-HH:MM` → minutes [from, to); undefined when malformed or empty. */
function parseRange(s: string): [number, number] | undefined {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$/.exec(s);
  if (!m) return undefined;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  return from < to && to <= 24 * 60 ? [from, to] : undefined;
}

function expandDays(key: string): DayName[] {
  const [a, b] = key.split('-') as [DayName, DayName | undefined];
  const i = DAY_NAMES.indexOf(a);
  const j = b === undefined ? i : DAY_NAMES.indexOf(b);
  return i <= j ? DAY_NAMES.slice(i, j + 1) : [...DAY_NAMES.slice(i), ...DAY_NAMES.slice(0, j + 1)];
}

const list = <V>(v: V | V[] | undefined): V[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function shown(n: NormalisedNumber): string {
  if (n.kind === 'e164') return maskNumber(n.e164);
  if (n.kind === 'extension') return n.extension;
  return n.kind;
}

export function compilePlan(
  plan: Plan,
  opts: CompileOptions,
): { compiled?: CompiledPlan; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const problem = (path: Array<string | number>, message: string) => problems.push({ path, message });
  const skills = new Set(plan.skills);
  const queues = new Map(plan.queues.map((q) => [q.id, q]));
  const tiers = new Set(opts.tiers);
  const callingCode = (() => {
    try {
      return getCountryCallingCode(opts.defaultCountry as CountryCode);
    } catch {
      return undefined;
    }
  })();

  if (!validZone(plan.timezone)) problem(['timezone'], `unknown time zone "${plan.timezone}"`);

  // Ids are unique.
  const seen = (what: string, ids: string[], at: (i: number) => Array<string | number>) => {
    const s = new Set<string>();
    ids.forEach((id, i) => {
      if (s.has(id)) problem(at(i), `duplicate ${what} "${id}"`);
      s.add(id);
    });
  };
  seen(
    'queue',
    plan.queues.map((q) => q.id),
    (i) => ['queues', i, 'id'],
  );
  seen(
    'agent',
    plan.agents.map((a) => a.id),
    (i) => ['agents', i, 'id'],
  );
  seen(
    'rule',
    plan.rules.map((r) => r.name),
    (i) => ['rules', i, 'name'],
  );

  const checkSkill = (s: string, path: Array<string | number>) => {
    if (!skills.has(s)) problem(path, `unknown skill "${s}" (declare it under skills)`);
  };
  plan.queues.forEach((q, i) => {
    q.skills.forEach((s, j) => {
      checkSkill(s, ['queues', i, 'skills', j]);
    });
    if (q.overflow && !queues.has(q.overflow.to))
      problem(['queues', i, 'overflow', 'to'], `overflow to unknown queue "${q.overflow.to}"`);
  });
  plan.agents.forEach((a, i) => {
    for (const s of Object.keys(a.skills)) checkSkill(s, ['agents', i, 'skills', s]);
  });
  // Overflow chains must end.
  plan.queues.forEach((q, i) => {
    const path = [q.id];
    let cur = q.overflow?.to;
    while (cur !== undefined && queues.has(cur)) {
      if (path.includes(cur)) {
        if (cur === q.id)
          problem(['queues', i, 'overflow', 'to'], `overflow cycle: ${[...path, cur].join(' → ')}`);
        break;
      }
      path.push(cur);
      cur = queues.get(cur)?.overflow?.to;
    }
  });

  // Calendars.
  const calendars = new Map<
    string,
    { tz: string; open: Map<DayName, Array<[number, number]>>; holidays: Set<string> }
  >();
  for (const [name, c] of Object.entries(plan.calendars)) {
    const tz = c.timezone ?? plan.timezone;
    if (!validZone(tz)) problem(['calendars', name, 'timezone'], `unknown time zone "${tz}"`);
    const open = new Map<DayName, Array<[number, number]>>();
    for (const [days, ranges] of Object.entries(c.hours)) {
      ranges.forEach((r, j) => {
        const range = parseRange(r);
        if (!range) {
          problem(
            ['calendars', name, 'hours', days, j],
            `"${r}" is not a time range HH:MM-HH:MM with start < end`,
          );
          return;
        }
        for (const d of expandDays(days)) open.set(d, [...(open.get(d) ?? []), range]);
      });
    }
    calendars.set(name, { tz, open, holidays: new Set(c.holidays ?? []) });
  }

  /** A DNIS prefix as written (`0800`, `+33800`, `00338`, `30` for extensions) → the dial-string prefix. */
  const dnisPrefix = (p: string, path: Array<string | number>): string | undefined => {
    const compact = p.replace(/[\s.()-]/g, '');
    if (!/^\+?[0-9]+$/.test(compact)) {
      problem(path, `prefix "${p}" has characters a number cannot have`);
      return undefined;
    }
    if (compact.startsWith('+')) return compact;
    if (compact.startsWith('00')) return `+${compact.slice(2)}`;
    if (compact.startsWith('0') && callingCode !== undefined) return `+${callingCode}${compact.slice(1)}`;
    return compact; // an extension prefix
  };

  const compileCondition = (c: Condition, path: Array<string | number>): Test[] => {
    const tests: Test[] = [];
    if (c.dnis) {
      const exact = list(c.dnis.exact).map((raw, j) => {
        const key = dialString(opts.normalise(raw));
        if (key === undefined) problem([...path, 'dnis', 'exact', j], `"${raw}" is not a number`);
        return key;
      });
      if (exact.length > 0) {
        const set = new Set(exact.filter((k): k is string => k !== undefined));
        const test = `dnis in ${[...set].join(', ')}`;
        tests.push((ctx) => {
          const key = dialString(ctx.dnis);
          return { test, passed: key !== undefined && set.has(key), actual: key ?? ctx.dnis.kind };
        });
      }
      const prefixes = list(c.dnis.prefix)
        .map((p, j) => dnisPrefix(p, [...path, 'dnis', 'prefix', j]))
        .filter((p): p is string => p !== undefined);
      if (prefixes.length > 0) {
        const test = `dnis starts with ${prefixes.join(' or ')}`;
        tests.push((ctx) => {
          const key = dialString(ctx.dnis);
          return {
            test,
            passed: key !== undefined && prefixes.some((p) => key.startsWith(p)),
            actual: key ?? ctx.dnis.kind,
          };
        });
      }
    }
    if (c.ani) {
      const kinds = new Set(list(c.ani.kind));
      if (kinds.size > 0) {
        const test = `ani.kind in ${[...kinds].join(', ')}`;
        tests.push((ctx) => ({ test, passed: kinds.has(ctx.ani.kind), actual: ctx.ani.kind }));
      }
      const field = (name: 'country' | 'region' | 'type', values: string[]) => {
        if (values.length === 0) return;
        const set = new Set(values);
        const test = `ani.${name} in ${values.join(', ')}`;
        tests.push((ctx) => {
          const v = ctx.ani.kind === 'e164' ? ctx.ani[name] : undefined;
          return { test, passed: v !== undefined && set.has(v), actual: v ?? `(${ctx.ani.kind})` };
        });
      };
      field('country', list(c.ani.country));
      field('region', list(c.ani.region));
      field('type', list(c.ani.type));
    }
    if (c.customer) {
      const cu = c.customer;
      if (cu.known !== undefined) {
        const want = cu.known;
        tests.push((ctx) => ({
          test: `customer ${want ? 'known' : 'unknown'}`,
          passed: (ctx.customer !== null) === want,
          actual: ctx.customer ? 'known' : 'unknown',
        }));
      }
      const tierList = list(cu.tier);
      tierList.forEach((t, j) => {
        if (!tiers.has(t))
          problem(
            [...path, 'customer', 'tier', ...(Array.isArray(cu.tier) ? [j] : [])],
            `unknown tier "${t}" (customers.tiers: ${opts.tiers.join(', ')})`,
          );
      });
      if (tierList.length > 0) {
        const set = new Set(tierList);
        const test = `customer.tier in ${tierList.join(', ')}`;
        tests.push((ctx) => ({
          test,
          passed: ctx.customer !== null && set.has(ctx.customer.tier),
          actual: ctx.customer?.tier ?? '(no customer)',
        }));
      }
      const langs = list(cu.language).map((l) => l.toLowerCase());
      if (langs.length > 0) {
        const test = `customer.language in ${langs.join(', ')}`;
        tests.push((ctx) => {
          const l = ctx.customer?.language?.toLowerCase();
          // `fr` matches `fr-FR` and the reverse: a preference is often stored without region.
          const passed =
            l !== undefined && langs.some((w) => w === l || l.startsWith(`${w}-`) || w.startsWith(`${l}-`));
          return { test, passed, actual: l ?? '(none)' };
        });
      }
      for (const [k, v] of Object.entries(cu.attributes ?? {})) {
        const test = `customer.attributes.${k} = ${String(v)}`;
        tests.push((ctx) => {
          const a = ctx.customer?.attributes[k];
          return { test, passed: a === v, actual: a === undefined ? '(unset)' : String(a) };
        });
      }
      if (cu.purchasedWithinDays !== undefined) {
        const days = cu.purchasedWithinDays;
        if (days < 1) problem([...path, 'customer', 'purchasedWithinDays'], 'must be at least 1 day');
        const sku = cu.sku;
        const test = `customer bought${sku ? ` ${sku}…` : ''} within ${days} days`;
        tests.push((ctx) => {
          const p = ctx.customer?.recentPurchases.find((x) => sku === undefined || x.sku.startsWith(sku));
          const age = p === undefined ? undefined : Math.floor((ctx.now - p.purchasedAt) / DAY_MS);
          return {
            test,
            passed: age !== undefined && age <= days,
            actual: age === undefined ? 'no purchase' : `${age} days ago`,
          };
        });
      } else if (cu.sku !== undefined) problem([...path, 'customer', 'sku'], 'sku needs purchasedWithinDays');
      if (cu.openTicket !== undefined) {
        const want = cu.openTicket;
        tests.push((ctx) => {
          const open = hasOpenTicket(ctx);
          return {
            test: `customer has ${want ? 'an' : 'no'} open ticket`,
            passed: open === want,
            actual: open ? 'open ticket' : 'none',
          };
        });
      }
    }
    if (c.time) {
      const t = c.time;
      const tz = t.timezone ?? plan.timezone;
      if (t.timezone !== undefined && !validZone(t.timezone))
        problem([...path, 'time', 'timezone'], `unknown time zone "${t.timezone}"`);
      if (t.calendar !== undefined) {
        const cal = calendars.get(t.calendar);
        if (!cal) problem([...path, 'time', 'calendar'], `unknown calendar "${t.calendar}"`);
        else {
          const want = t.open ?? true;
          const test = `calendar ${t.calendar} ${want ? 'open' : 'closed'}`;
          tests.push((_ctx, clock) => {
            const l = clock.at(cal.tz);
            const holiday = cal.holidays.has(l.date);
            const open =
              !holiday && (cal.open.get(l.day) ?? []).some(([a, b]) => l.minutes >= a && l.minutes < b);
            return {
              test,
              passed: open === want,
              actual: `${l.date} ${l.day} ${hhmm(l.minutes)}${holiday ? ' holiday' : ''}`,
            };
          });
        }
      } else if (t.open !== undefined) problem([...path, 'time', 'open'], 'open needs a calendar');
      if (t.between !== undefined) {
        const range = parseRange(t.between);
        if (!range)
          problem(
            [...path, 'time', 'between'],
            `"${t.between}" is not a time range HH:MM-HH:MM with start < end`,
          );
        else {
          const test = `time between ${t.between}`;
          tests.push((_ctx, clock) => {
            const l = clock.at(tz);
            return { test, passed: l.minutes >= range[0] && l.minutes < range[1], actual: hhmm(l.minutes) };
          });
        }
      }
      if (t.days !== undefined) {
        if (t.days.length === 0) problem([...path, 'time', 'days'], 'no day can match an empty list');
        const days = new Set(t.days);
        const test = `day in ${t.days.join(', ')}`;
        tests.push((_ctx, clock) => {
          const l = clock.at(tz);
          return { test, passed: days.has(l.day), actual: l.day };
        });
      }
    }
    if (c.ivrChoice !== undefined) {
      const set = new Set(list(c.ivrChoice));
      const test = `ivr choice in ${[...set].join(', ')}`;
      tests.push((ctx) => ({
        test,
        passed: ctx.ivrChoice !== undefined && set.has(ctx.ivrChoice),
        actual: ctx.ivrChoice ?? '(none)',
      }));
    }
    if (c.not) {
      const inner = compileCondition(c.not, [...path, 'not']);
      tests.push((ctx, clock) => {
        const r = inner.map((t) => t(ctx, clock));
        return { test: `not (${r.map((x) => x.test).join(' and ')})`, passed: !r.every((x) => x.passed) };
      });
    }
    if (c.any) {
      const branches = c.any.map((b, j) => compileCondition(b, [...path, 'any', j]));
      tests.push((ctx, clock) => {
        const names: string[] = [];
        let passed = false;
        for (const b of branches) {
          const r = b.map((t) => t(ctx, clock));
          names.push(r.map((x) => x.test).join(' and '));
          if (r.every((x) => x.passed)) {
            passed = true;
            break;
          }
        }
        return { test: `any of (${names.join(') or (')})`, passed };
      });
    }
    return tests;
  };

  const checkAction = (a: Action, path: Array<string | number>) => {
    if (a.overflow !== undefined && !queues.has(a.overflow.to))
      problem([...path, 'overflow', 'to'], `overflow to unknown queue "${a.overflow.to}"`);
    if (a.overflow !== undefined && a.queue === undefined)
      problem([...path, 'overflow'], 'an overflow needs a queue to overflow from');
    if (a.overflow !== undefined && a.overflow.to === a.queue)
      problem([...path, 'overflow', 'to'], `overflow to the queue the call is already in ("${a.queue}")`);
    if (a.queue !== undefined && !queues.has(a.queue))
      problem([...path, 'queue'], `unknown queue "${a.queue}"`);
    (a.skills ?? []).forEach((s, j) => {
      checkSkill(s, [...path, 'skills', j]);
    });
    if (a.queue === undefined && a.destination === undefined)
      problem(path, 'an action needs a queue or a destination');
    if (a.queue !== undefined && a.destination !== undefined)
      problem(path, 'an action has a queue or a destination, not both');
  };

  const rules = plan.rules.map((r, i) => {
    const path = ['rules', i];
    checkAction(r.then, [...path, 'then']);
    const tests = r.when ? compileCondition(r.when, [...path, 'when']) : [];
    return { name: r.name, action: r.then, tests };
  });
  // A rule after one that always matches can never run.
  const always = rules.findIndex((r) => r.tests.length === 0);
  if (always !== -1 && always < rules.length - 1)
    problem(
      ['rules', always + 1, 'name'],
      `rule "${rules[always + 1]?.name}" can never match: rule "${rules[always]?.name}" before it has no conditions`,
    );
  if (plan.default) checkAction(plan.default, ['default']);
  const ivr =
    plan.ivr &&
    compileIvr(plan.ivr, {
      predicate: (c, path) => {
        const tests = compileCondition(c as Condition, path);
        return (ctx) => {
          const clock = new LocalClock(ctx.now);
          return tests.every((t) => t(ctx, clock).passed);
        };
      },
      problem,
      queues: new Set(queues.keys()),
      skills,
      dialKey: (raw) => dialString(opts.normalise(raw)),
      tiers,
    });

  if (problems.length > 0) return { problems };

  const decide = (ctx: RoutingContext): PlanDecision => {
    const clock = new LocalClock(ctx.now);
    const trace: RuleTrace[] = [];
    let tested = 0;
    for (const r of rules) {
      tested++;
      const conditions: ConditionTrace[] = [];
      let matched = true;
      for (const t of r.tests) {
        const c = t(ctx, clock);
        conditions.push(c);
        if (!c.passed) {
          matched = false;
          break; // later conditions of this rule are not evaluated: the trace says which one failed
        }
      }
      // Past the first rules, one that failed on its first condition is counted, not listed: a trace
      // of hundreds of campaign rules per call would weigh more than the call.
      if (matched || tested <= FULL_TRACE_RULES || conditions.length > 1)
        trace.push({ rule: r.name, matched, conditions });
      if (matched) return toDecision(r.name, r.action, ctx, trace, tested);
    }
    return toDecision('default', plan.default, ctx, trace, tested);
  };
  return { compiled: { plan, decide, ivr }, problems };
}

function hasOpenTicket(ctx: RoutingContext): boolean {
  const c = ctx.customer;
  if (!c) return false;
  if (c.attributes.openTicket === true) return true;
  const last = c.recentInteractions[0];
  return last?.disposition !== undefined && OPEN_DISPOSITIONS.has(last.disposition);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function toDecision(
  rule: string,
  a: Action | undefined,
  ctx: RoutingContext,
  trace: RuleTrace[],
  rulesTested: number,
): PlanDecision {
  const preferredAgent = a?.preferLastAgent ? lastAgentOf(ctx.customer) : undefined;
  return {
    rule,
    queue: a?.queue,
    destination: a?.destination,
    priority: a?.priority ?? 0,
    skills: a?.skills ?? [],
    preferredAgent,
    message: a?.message,
    fallback: a?.fallback,
    overflow: a?.overflow,
    trace,
    rulesTested,
  };
}

export { shown as shownNumber };
