/**
 * Runs compiled rules for one call: first match wins, no I/O, no parsing, and the trace of what
 * was tested.
 *
 * Rules whose conditions start with `dnis.exact` (or `dnis.in`) are indexed by number, so a call
 * only runs the rules of its own number plus the rules without such a condition, in plan order. The
 * others are known to fail on their first test without running it; the result and the trace are
 * the same as testing every rule in order (the skipped rules among the first 20 get their trace
 * line, with the call's DNIS as `actual`, and `rulesTested` counts them), so the index is
 * invisible in decisions.
 */
import { dialString } from '../../model/number.js';
import type { ConditionTrace, PlanDecision, RoutingContext, RuleTrace } from '../types.js';
import { lastAgentOf } from '../types.js';
import { LocalClock } from './calendar.js';
import type { CompiledCondition, Test } from './conditions.js';
import type { Action } from './schema.js';

export interface CompiledRule {
  name: string;
  action: Action;
  tests: readonly Test[];
  dnisExact: CompiledCondition['dnisExact'];
}

export interface EvaluateSettings {
  /** Priority of a queue's calls when the rule sets none. */
  queuePriority: ReadonlyMap<string, number>;
  preferredAgentWaitSeconds: number;
}

/** Rules listed in full in every trace; after them only the match and near misses. */
export const FULL_TRACE_RULES = 20;

const NONE: readonly number[] = [];

export function makeDecide(
  rules: readonly CompiledRule[],
  fallback: Action | undefined,
  settings: EvaluateSettings,
): (ctx: RoutingContext) => PlanDecision {
  const byDnis = new Map<string, number[]>();
  const unindexed: number[] = [];
  rules.forEach((r, i) => {
    if (!r.dnisExact) unindexed.push(i);
    else
      for (const k of r.dnisExact.keys) {
        const l = byDnis.get(k);
        if (l) l.push(i);
        else byDnis.set(k, [i]);
      }
  });
  const end = rules.length;

  return (ctx) => {
    const clock = new LocalClock(ctx.now);
    const key = dialString(ctx.dnis);
    const keyed = (key !== undefined && byDnis.get(key)) || NONE;
    const trace: RuleTrace[] = [];
    let a = 0;
    let b = 0;
    let next = 0;
    for (;;) {
      // The next rule in plan order among this number's rules and the unindexed ones.
      const i = Math.min(keyed[a] ?? end, unindexed[b] ?? end);
      for (let j = next; j < i && j < FULL_TRACE_RULES; j++) trace.push(skipped(rules[j], ctx));
      if (i === end) break;
      if (keyed[a] === i) a++;
      else b++;
      next = i + 1;
      const r = rules[i] as CompiledRule;
      const conditions: ConditionTrace[] = [];
      let matched = true;
      for (const t of r.tests) {
        const c = t(ctx, clock);
        conditions.push(c);
        if (!c.passed) {
          matched = false;
          break; // later conditions are not evaluated: the trace says which one failed
        }
      }
      // Past the first rules, one that failed on its first condition is counted, not listed: a trace
      // of hundreds of campaign rules per call would weigh more than the call.
      if (matched || i < FULL_TRACE_RULES || conditions.length > 1)
        trace.push({ rule: r.name, matched, conditions });
      if (matched) return toDecision(r.name, r.action, ctx, trace, i + 1, settings);
    }
    return toDecision('default', fallback, ctx, trace, end, settings);
  };
}

/** The trace line of a rule the index skipped: it would have failed on its DNIS test. */
function skipped(r: CompiledRule | undefined, ctx: RoutingContext): RuleTrace {
  const key = dialString(ctx.dnis);
  return {
    rule: r?.name ?? '',
    matched: false,
    conditions: [{ test: r?.dnisExact?.test ?? 'dnis', passed: false, actual: key ?? ctx.dnis.kind }],
  };
}

function toDecision(
  rule: string,
  a: Action | undefined,
  ctx: RoutingContext,
  trace: RuleTrace[],
  rulesTested: number,
  settings: EvaluateSettings,
): PlanDecision {
  const preferredAgent = a?.preferLastAgent ? lastAgentOf(ctx.customer) : undefined;
  const queuePriority = a?.queue === undefined ? undefined : settings.queuePriority.get(a.queue);
  return {
    rule,
    queue: a?.queue,
    destination: a?.destination,
    priority: a?.priority ?? queuePriority ?? 0,
    // A copy: the decision is the caller's to amend (the IVR's skill), the plan's list is not.
    skills: a?.skills ? [...a.skills] : [],
    preferredAgent,
    preferredAgentWaitSeconds: preferredAgent === undefined ? undefined : settings.preferredAgentWaitSeconds,
    message: a?.message,
    fallback: a?.fallback,
    overflow: a?.overflow,
    trace,
    rulesTested,
  };
}
