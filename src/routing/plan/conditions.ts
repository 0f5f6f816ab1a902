/**
 * The condition compiler: a rule's `when` (and an IVR ordering rule's) becomes a list of tests,
 * each a closure over what was precomputed (normalised numbers, sets, calendars). A test returns
 * its own trace line; the rule stops at the first that fails. Problems the schema cannot see are
 * reported with their path, and compiling goes on so that every problem is listed at once.
 */
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { CustomerCard } from '../../model/customer.js';
import { dialString, type NormalisedNumber, type PhoneNumberType } from '../../model/number.js';
import type { ConditionTrace, RoutingContext } from '../types.js';
import {
  type CompiledCalendar,
  closedOn,
  hhmm,
  isOpen,
  type LocalClock,
  parseRange,
  validZone,
} from './calendar.js';
import type { Condition } from './schema.js';

export type Path = Array<string | number>;
export type Test = (ctx: RoutingContext, clock: LocalClock) => ConditionTrace;

export interface ConditionEnv {
  normalise: (raw: string) => NormalisedNumber;
  /** Calling code of `defaultCountry` (`33`), to read national prefixes; undefined if unknown. */
  callingCode: string | undefined;
  /** Zone of time conditions without their own. */
  timezone: string;
  calendars: ReadonlyMap<string, CompiledCalendar>;
  tiers: readonly string[];
  /** Region names the number plan knows, when given: a typo in `ani.region` is then refused. */
  regions: ReadonlySet<string> | undefined;
  problem(path: Path, message: string): void;
}

export interface CompiledCondition {
  tests: Test[];
  /**
   * The dial strings of this level's `dnis.exact`/`dnis.in`, when there is one: it is then the
   * first test, which lets the plan index rules by DNIS (see evaluate.ts).
   */
  dnisExact?: { keys: ReadonlySet<string>; test: string };
}

const DAY_MS = 86_400_000;
/** The call's `now` is no instant (never from a real clock): every time condition fails. */
const NO_TIME = 'no valid time';
/** Interaction dispositions that leave a ticket open (documented in docs/routing.md). */
const OPEN_DISPOSITIONS = new Set(['open', 'pending', 'ticket-open']);
/** How a yes is written in an attribute imported from CSV (attributes arrive as text). */
const TRUE_TEXT = new Set(['true', 'yes', '1', 'oui']);
const NUMBER_TYPES: ReadonlySet<PhoneNumberType> = new Set<PhoneNumberType>([
  'mobile',
  'fixed_line',
  'fixed_line_or_mobile',
  'toll_free',
  'premium_rate',
  'shared_cost',
  'voip',
  'personal_number',
  'pager',
  'uan',
  'voicemail',
  'unknown',
]);

const list = <V>(v: V | V[] | undefined): V[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function compileCondition(c: Condition, path: Path, env: ConditionEnv): CompiledCondition {
  const out: CompiledCondition = { tests: [] };
  if (Object.keys(c).length === 0)
    env.problem(path, 'an empty condition (a rule without `when` always matches)');
  const part = (key: 'dnis' | 'ani' | 'customer' | 'time', tests: Test[]) => {
    // `customer: {}` tests nothing; a part whose tests were refused is reported as such already.
    if (Object.keys(c[key] ?? {}).length === 0) env.problem([...path, key], `\`${key}\` has no test`);
    out.tests.push(...tests);
  };
  if (c.dnis) {
    const dp = [...path, 'dnis'];
    const exact = dnisExact(
      [
        ...list(c.dnis.exact).map((raw, j) => ({
          raw,
          path: Array.isArray(c.dnis?.exact) ? [...dp, 'exact', j] : [...dp, 'exact'],
        })),
        ...(c.dnis.in ?? []).map((raw, j) => ({ raw, path: [...dp, 'in', j] })),
      ],
      env,
    );
    if (exact) out.dnisExact = { keys: exact.keys, test: exact.test };
    part('dnis', [...(exact ? [exact.fn] : []), ...dnisPrefix(list(c.dnis.prefix), dp, env)]);
  }
  if (c.ani) part('ani', aniTests(c.ani, [...path, 'ani'], env));
  if (c.customer) part('customer', customerTests(c.customer, [...path, 'customer'], env));
  if (c.time) part('time', timeTests(c.time, [...path, 'time'], env));
  if (c.ivrChoice !== undefined)
    out.tests.push(oneOf('ivr choice', list(c.ivrChoice), (ctx) => ctx.ivrChoice));
  if (c.not) out.tests.push(notTest(compileCondition(c.not, [...path, 'not'], env).tests));
  if (c.any)
    out.tests.push(anyTest(c.any.map((b, j) => compileCondition(b, [...path, 'any', j], env).tests)));
  return out;
}

/** Runs tests as one rule would: in order, stopping at the first failure. */
export function allPass(tests: readonly Test[], ctx: RoutingContext, clock: LocalClock): boolean {
  for (const t of tests) if (!t(ctx, clock).passed) return false;
  return true;
}

/** `label in a, b`: the value read from the call is one of the values. */
function oneOf(
  label: string,
  values: readonly string[],
  read: (ctx: RoutingContext) => string | undefined,
  absent: (ctx: RoutingContext) => string = () => '(none)',
): Test {
  const set = new Set(values);
  const test = `${label} in ${[...set].join(', ')}`;
  return (ctx) => {
    const v = read(ctx);
    return { test, passed: v !== undefined && set.has(v), actual: v ?? absent(ctx) };
  };
}

function dnisExact(
  entries: Array<{ raw: string; path: Path }>,
  env: ConditionEnv,
): { fn: Test; keys: ReadonlySet<string>; test: string } | undefined {
  if (entries.length === 0) return undefined;
  const keys = new Set<string>();
  for (const { raw, path } of entries) {
    const key = dialString(env.normalise(raw));
    if (key === undefined) env.problem(path, `"${raw}" is not a number`);
    else keys.add(key);
  }
  const test = `dnis in ${[...keys].join(', ')}`;
  const fn: Test = (ctx) => {
    const key = dialString(ctx.dnis);
    // The DNIS is the centre's own number: shown in full.
    return { test, passed: key !== undefined && keys.has(key), actual: key ?? ctx.dnis.kind };
  };
  return { fn, keys, test };
}

/** A DNIS prefix as written (`0800`, `+33800`, `00338`, `30` for extensions) → a dial-string prefix. */
function dnisPrefix(raws: string[], path: Path, env: ConditionEnv): Test[] {
  const prefixes: string[] = [];
  raws.forEach((p, j) => {
    const compact = p.replace(/[\s.()-]/g, '');
    if (!/^\+?[0-9]+$/.test(compact)) {
      env.problem([...path, 'prefix', j], `prefix "${p}" has characters a number cannot have`);
      return;
    }
    if (compact.startsWith('+')) prefixes.push(compact);
    else if (compact.startsWith('00')) prefixes.push(`+${compact.slice(2)}`);
    else if (compact.startsWith('0') && env.callingCode !== undefined)
      prefixes.push(`+${env.callingCode}${compact.slice(1)}`);
    else prefixes.push(compact); // an extension prefix
  });
  if (prefixes.length === 0) return [];
  const test = `dnis starts with ${prefixes.join(' or ')}`;
  return [
    (ctx) => {
      const key = dialString(ctx.dnis);
      let passed = false;
      if (key !== undefined) for (const p of prefixes) if (key.startsWith(p)) passed = true;
      return { test, passed, actual: key ?? ctx.dnis.kind };
    },
  ];
}

function aniTests(a: NonNullable<Condition['ani']>, path: Path, env: ConditionEnv): Test[] {
  const tests: Test[] = [];
  const kinds = list(a.kind);
  if (kinds.length > 0) tests.push(oneOf('ani.kind', kinds, (ctx) => ctx.ani.kind));
  const countries = list(a.country);
  countries.forEach((c, j) => {
    if (!isSupportedCountry(c))
      env.problem([...path, 'country', ...(Array.isArray(a.country) ? [j] : [])], `unknown country "${c}"`);
  });
  const regions = list(a.region);
  if (env.regions) {
    const known = env.regions;
    regions.forEach((r, j) => {
      if (!known.has(r))
        env.problem(
          [...path, 'region', ...(Array.isArray(a.region) ? [j] : [])],
          `unknown region "${r}" (numbers.regions: ${[...known].join(', ')})`,
        );
    });
  }
  const types = list(a.type);
  types.forEach((t, j) => {
    if (!NUMBER_TYPES.has(t as PhoneNumberType))
      env.problem(
        [...path, 'type', ...(Array.isArray(a.type) ? [j] : [])],
        `unknown number type "${t}" (${[...NUMBER_TYPES].join(', ')})`,
      );
  });
  const field = (name: 'country' | 'region' | 'type', values: string[]) => {
    if (values.length > 0)
      tests.push(
        oneOf(
          `ani.${name}`,
          values,
          (ctx) => (ctx.ani.kind === 'e164' ? ctx.ani[name] : undefined),
          (ctx) => `(${ctx.ani.kind === 'e164' ? 'none' : ctx.ani.kind})`,
        ),
      );
  };
  field('country', countries);
  field('region', regions);
  field('type', types);
  return tests;
}

function customerTests(cu: NonNullable<Condition['customer']>, path: Path, env: ConditionEnv): Test[] {
  const tests: Test[] = [];
  if (cu.known !== undefined) {
    const want = cu.known;
    const test = `customer ${want ? 'known' : 'unknown'}`;
    tests.push((ctx) => ({
      test,
      passed: (ctx.customer !== null) === want,
      actual: ctx.customer ? 'known' : 'unknown',
    }));
  }
  const tiers = list(cu.tier);
  tiers.forEach((t, j) => {
    if (!env.tiers.includes(t))
      env.problem(
        [...path, 'tier', ...(Array.isArray(cu.tier) ? [j] : [])],
        `unknown tier "${t}" (customers.tiers: ${env.tiers.join(', ')})`,
      );
  });
  if (tiers.length > 0)
    tests.push(
      oneOf(
        'customer.tier',
        tiers,
        (ctx) => ctx.customer?.tier,
        () => '(no customer)',
      ),
    );
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
    const want = String(v);
    const test = `customer.attributes.${k} = ${want}`;
    tests.push((ctx) => {
      const attrs = ctx.customer?.attributes;
      // Own keys only: a plan key `constructor` must not read Object.prototype.
      const a = attrs && Object.hasOwn(attrs, k) ? attrs[k] : undefined;
      // Compared as text: attributes imported from CSV are strings (`"3"`, `"true"`).
      return {
        test,
        passed: a !== undefined && String(a) === want,
        actual: a === undefined ? '(unset)' : String(a),
      };
    });
  }
  if (cu.purchasedWithinDays !== undefined)
    tests.push(purchaseTest(cu.purchasedWithinDays, cu.sku, path, env));
  else if (cu.sku !== undefined) env.problem([...path, 'sku'], 'sku needs purchasedWithinDays');
  if (cu.openTicket !== undefined) {
    const want = cu.openTicket;
    const test = `customer has ${want ? 'an' : 'no'} open ticket`;
    tests.push((ctx) => {
      const open = hasOpenTicket(ctx.customer);
      return { test, passed: open === want, actual: open ? 'open ticket' : 'none' };
    });
  }
  return tests;
}

function purchaseTest(days: number, sku: string | undefined, path: Path, env: ConditionEnv): Test {
  if (days < 1) env.problem([...path, 'purchasedWithinDays'], 'must be at least 1 day');
  const test = `customer bought${sku ? ` ${sku}…` : ''} within ${days} days`;
  return (ctx) => {
    const p = ctx.customer?.recentPurchases.find((x) => sku === undefined || x.sku.startsWith(sku));
    const age = p === undefined ? undefined : Math.floor((ctx.now - p.purchasedAt) / DAY_MS);
    return {
      test,
      passed: age !== undefined && age <= days,
      actual: age === undefined ? 'no purchase' : `${age} days ago`,
    };
  };
}

/**
 * An open ticket: the attribute `openTicket` says yes (from the CRM or a CSV import), or the
 * latest interaction was left open. Only the latest: a later closed call settles an older one.
 */
export function hasOpenTicket(c: CustomerCard | null): boolean {
  if (!c) return false;
  const a = c.attributes.openTicket;
  if (a === true || (typeof a === 'string' && TRUE_TEXT.has(a.toLowerCase()))) return true;
  const last = c.recentInteractions[0];
  return last?.disposition !== undefined && OPEN_DISPOSITIONS.has(last.disposition);
}

function timeTests(t: NonNullable<Condition['time']>, path: Path, env: ConditionEnv): Test[] {
  const tests: Test[] = [];
  if (t.timezone !== undefined && !validZone(t.timezone))
    env.problem([...path, 'timezone'], `unknown time zone "${t.timezone}"`);
  const tz = t.timezone !== undefined && validZone(t.timezone) ? t.timezone : env.timezone;
  if (t.calendar !== undefined) {
    const cal = env.calendars.get(t.calendar);
    if (!cal) env.problem([...path, 'calendar'], `unknown calendar "${t.calendar}"`);
    else tests.push(calendarTest(t.calendar, cal, t.open ?? true));
  } else if (t.open !== undefined) env.problem([...path, 'open'], 'open needs a calendar');
  if (t.between !== undefined) {
    const range = parseRange(t.between);
    if (!range)
      env.problem([...path, 'between'], `"${t.between}" is not a time range HH:MM-HH:MM with start < end`);
    else {
      const test = `time between ${t.between}`;
      tests.push((_ctx, clock) => {
        const l = clock.at(tz);
        if (!l) return { test, passed: false, actual: NO_TIME };
        return { test, passed: l.minutes >= range[0] && l.minutes < range[1], actual: hhmm(l.minutes) };
      });
    }
  }
  if (t.days !== undefined) {
    if (t.days.length === 0) env.problem([...path, 'days'], 'no day can match an empty list');
    const days = new Set<string>(t.days);
    const test = `day in ${t.days.join(', ')}`;
    tests.push((_ctx, clock) => {
      const l = clock.at(tz);
      return l ? { test, passed: days.has(l.day), actual: l.day } : { test, passed: false, actual: NO_TIME };
    });
  }
  return tests;
}

function calendarTest(name: string, cal: CompiledCalendar, want: boolean): Test {
  const test = `calendar ${name} ${want ? 'open' : 'closed'}`;
  return (_ctx, clock) => {
    const l = clock.at(cal.tz);
    if (!l) return { test, passed: false, actual: NO_TIME };
    const closed = closedOn(cal, l.date);
    return {
      test,
      passed: isOpen(cal, l) === want,
      actual: `${l.date} ${l.day} ${hhmm(l.minutes)}${closed ? ` ${closed}` : ''}`,
    };
  };
}

function notTest(inner: readonly Test[]): Test {
  return (ctx, clock) => {
    const r = inner.map((t) => t(ctx, clock));
    return { test: `not (${r.map((x) => x.test).join(' and ')})`, passed: !r.every((x) => x.passed) };
  };
}

function anyTest(branches: ReadonlyArray<readonly Test[]>): Test {
  return (ctx, clock) => {
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
  };
}
