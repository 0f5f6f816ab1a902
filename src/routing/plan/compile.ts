/**
 * Compiles a schema-checked plan once: numbers normalised, sets built, calendars resolved, rules
 * indexed by DNIS. `decide` then runs with no I/O and no parsing: a few microseconds per call.
 * Every reference the schema cannot check (queues, skills, calendars, tiers, dates, time ranges,
 * overflow cycles, unreachable rules) is checked here and reported with its path, all at once.
 */
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import { type CompiledIvr, compileIvr } from '../../ivr/decide.js';
import { dialString, type NormalisedNumber } from '../../model/number.js';
import { maskNumber } from '../../numbers/mask.js';
import type { PlanDecision, RoutingContext } from '../types.js';
import {
  type CompiledCalendar,
  expandDays,
  LocalClock,
  type MinuteRange,
  parseRange,
  validDate,
  validZone,
} from './calendar.js';
import { allPass, type ConditionEnv, compileCondition, type Path } from './conditions.js';
import { type CompiledRule, makeDecide } from './evaluate.js';
import type { Action, Condition, DayName, Plan } from './schema.js';

export interface PlanProblem {
  path: Path;
  message: string;
}

export interface CompileOptions {
  normalise: (raw: string) => NormalisedNumber;
  /** Country of national numbers (`0800…` prefixes become `+33800…`). */
  defaultCountry: string;
  /** Customer tiers the directory knows (customers.tiers). */
  tiers: readonly string[];
  /** Region names of the number plan (numbers.regions); when given, `ani.region` must be one. */
  regions?: readonly string[];
}

export interface CompiledPlan {
  readonly plan: Plan;
  /** Pure and synchronous; never throws for any context (numbers of any kind, no customer). */
  decide(ctx: RoutingContext): PlanDecision;
  /** IVR personalisation, when the plan has an `ivr` section. */
  readonly ivr: CompiledIvr | undefined;
}

export function compilePlan(
  plan: Plan,
  opts: CompileOptions,
): { compiled?: CompiledPlan; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const problem = (path: Path, message: string) => {
    problems.push({ path, message });
  };
  const skills = new Set(plan.skills);
  const queues = new Set(plan.queues.map((q) => q.id));
  const checkSkill = (s: string, path: Path) => {
    if (!skills.has(s)) problem(path, `unknown skill "${s}" (declare it under skills)`);
  };

  if (!validZone(plan.timezone)) problem(['timezone'], `unknown time zone "${plan.timezone}"`);
  checkIds(plan, problem);
  checkQueuesAndAgents(plan, queues, checkSkill, problem);
  const env: ConditionEnv = {
    normalise: opts.normalise,
    callingCode: callingCodeOf(opts.defaultCountry),
    timezone: plan.timezone,
    calendars: compileCalendars(plan, problem),
    tiers: opts.tiers,
    regions: opts.regions && new Set(opts.regions),
    problem,
  };
  const checkAction = (a: Action, path: Path) => {
    checkActionRefs(a, path, queues, problem);
    (a.skills ?? []).forEach((s, j) => {
      checkSkill(s, [...path, 'skills', j]);
    });
  };
  const rules = plan.rules.map((r, i): CompiledRule => {
    checkAction(r.then, ['rules', i, 'then']);
    const c = r.when ? compileCondition(r.when, ['rules', i, 'when'], env) : { tests: [] };
    return { name: r.name, action: r.then, tests: c.tests, dnisExact: c.dnisExact };
  });
  checkReachable(plan, problem);
  if (plan.default) checkAction(plan.default, ['default']);
  const ivr =
    plan.ivr &&
    compileIvr(plan.ivr, {
      predicate: (c, path) => {
        const { tests } = compileCondition(c as Condition, path, env);
        return (ctx) => allPass(tests, ctx, new LocalClock(ctx.now));
      },
      problem,
      queues,
      skills,
      dialKey: (raw) => dialString(opts.normalise(raw)),
      tiers: new Set(opts.tiers),
    });

  if (problems.length > 0) return { problems };
  const decide = makeDecide(rules, plan.default, {
    queuePriority: new Map(
      plan.queues.flatMap((q) => (q.priority === undefined ? [] : [[q.id, q.priority]])),
    ),
    preferredAgentWaitSeconds: plan.acd.preferredAgentWaitSeconds,
  });
  return { compiled: { plan, decide, ivr }, problems };
}

function callingCodeOf(country: string): string | undefined {
  try {
    return getCountryCallingCode(country as CountryCode);
  } catch {
    return undefined;
  }
}

function checkIds(plan: Plan, problem: (path: Path, message: string) => void): void {
  const unique = (what: string, ids: string[], at: (i: number) => Path) => {
    const s = new Set<string>();
    ids.forEach((id, i) => {
      if (s.has(id)) problem(at(i), `duplicate ${what} "${id}"`);
      s.add(id);
    });
  };
  unique(
    'queue',
    plan.queues.map((q) => q.id),
    (i) => ['queues', i, 'id'],
  );
  unique(
    'agent',
    plan.agents.map((a) => a.id),
    (i) => ['agents', i, 'id'],
  );
  unique(
    'rule',
    plan.rules.map((r) => r.name),
    (i) => ['rules', i, 'name'],
  );
}

function checkQueuesAndAgents(
  plan: Plan,
  queues: ReadonlySet<string>,
  checkSkill: (s: string, path: Path) => void,
  problem: (path: Path, message: string) => void,
): void {
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
  // Overflow chains must end. Each cycle is reported once, at its first queue in the file.
  const next = new Map(plan.queues.map((q) => [q.id, q.overflow?.to]));
  const reported = new Set<string>();
  plan.queues.forEach((q, i) => {
    const chain = [q.id];
    let cur = q.overflow?.to;
    while (cur !== undefined && next.has(cur) && !chain.includes(cur)) {
      chain.push(cur);
      cur = next.get(cur);
    }
    if (cur !== q.id || reported.has(q.id)) return;
    for (const id of chain) reported.add(id);
    problem(['queues', i, 'overflow', 'to'], `overflow cycle: ${[...chain, q.id].join(' → ')}`);
  });
}

function compileCalendars(
  plan: Plan,
  problem: (path: Path, message: string) => void,
): Map<string, CompiledCalendar> {
  const calendars = new Map<string, CompiledCalendar>();
  for (const [name, c] of Object.entries(plan.calendars)) {
    const tz = c.timezone ?? plan.timezone;
    if (c.timezone !== undefined && !validZone(c.timezone))
      problem(['calendars', name, 'timezone'], `unknown time zone "${c.timezone}"`);
    const open = new Map<DayName, MinuteRange[]>();
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
    const closed = new Map<string, 'holiday' | 'closed date'>();
    const dates = (key: 'holidays' | 'closedDates', why: 'holiday' | 'closed date') => {
      (c[key] ?? []).forEach((d, j) => {
        if (!validDate(d)) problem(['calendars', name, key, j], `"${d}" is not a date`);
        else closed.set(d, why);
      });
    };
    dates('closedDates', 'closed date');
    dates('holidays', 'holiday');
    calendars.set(name, { tz, open, closed });
  }
  return calendars;
}

function checkActionRefs(
  a: Action,
  path: Path,
  queues: ReadonlySet<string>,
  problem: (path: Path, message: string) => void,
): void {
  if (a.queue !== undefined && !queues.has(a.queue))
    problem([...path, 'queue'], `unknown queue "${a.queue}"`);
  if (a.queue === undefined && a.destination === undefined)
    problem(path, 'an action needs a queue or a destination');
  if (a.queue !== undefined && a.destination !== undefined)
    problem(path, 'an action has a queue or a destination, not both');
  if (a.overflow === undefined) return;
  if (!queues.has(a.overflow.to))
    problem([...path, 'overflow', 'to'], `overflow to unknown queue "${a.overflow.to}"`);
  if (a.queue === undefined) problem([...path, 'overflow'], 'an overflow needs a queue to overflow from');
  if (a.overflow.to === a.queue)
    problem([...path, 'overflow', 'to'], `overflow to the queue the call is already in ("${a.queue}")`);
}

/** A rule after one without conditions (it always matches) can never run. */
function checkReachable(plan: Plan, problem: (path: Path, message: string) => void): void {
  const always = plan.rules.findIndex((r) => r.when === undefined);
  if (always === -1) return;
  for (let i = always + 1; i < plan.rules.length; i++)
    problem(
      ['rules', i, 'name'],
      `rule "${plan.rules[i]?.name}" can never match: rule "${plan.rules[always]?.name}" before it has no conditions`,
    );
}

/** A number as traces show it: E.164 masked, an extension in full, else its kind. */
function shown(n: NormalisedNumber): string {
  if (n.kind === 'e164') return maskNumber(n.e164);
  if (n.kind === 'extension') return n.extension;
  return n.kind;
}

export { shown as shownNumber };
