/** Shared by the routing plan tests: a French number plan, a customer card, a call, a refusal. */
import { isRelaisError, type RelaisError } from '../../../src/errors.js';
import type { CustomerCard } from '../../../src/model/customer.js';
import type { CompiledPlan, CompileOptions } from '../../../src/routing/plan/compile.js';
import type { LocatedProblem } from '../../../src/routing/plan/load.js';
import { parsePlan } from '../../../src/routing/plan/load.js';
import type { RoutingContext } from '../../../src/routing/types.js';
import { frNormalise } from '../../helpers/numbers.js';

export const opts: CompileOptions = {
  normalise: frNormalise,
  defaultCountry: 'FR',
  tiers: ['standard', 'vip'],
};

/** Wednesday 25 November 2026, 10:00 in Paris (UTC+1). */
export const WED_10H = Date.parse('2026-11-25T09:00:00Z');
export const DAY = 86_400_000;

export const plan = (text: string, o: CompileOptions = opts, file = 'routing.yaml'): CompiledPlan =>
  parsePlan(text, file, o);

/** The RelaisError a refused plan throws; fails the test if the plan is accepted. */
export function refusal(text: string, o: CompileOptions = opts, file = 'routing.yaml'): RelaisError {
  try {
    parsePlan(text, file, o);
  } catch (e) {
    if (isRelaisError(e, 'RELAIS_ERR_ROUTING_PLAN')) return e;
    throw e;
  }
  throw new Error('the plan was accepted');
}

export function problemsOf(e: RelaisError): LocatedProblem[] {
  return (e.details?.problems ?? []) as LocatedProblem[];
}

export function card(over: Partial<CustomerCard> = {}): CustomerCard {
  return {
    id: 'c-1',
    name: 'Camille Martin',
    phones: [{ e164: '+33612345678' }],
    tier: 'standard',
    consent: {},
    attributes: {},
    createdAt: 0,
    updatedAt: 0,
    recentPurchases: [],
    recentInteractions: [],
    ...over,
  };
}

/** A call: ANI and DNIS raw (normalised like a link's), Wednesday 10:00 in Paris unless told. */
export function call(
  over: Partial<Omit<RoutingContext, 'ani' | 'dnis'>> & { ani?: string; dnis?: string } = {},
): RoutingContext {
  const { ani, dnis, ...rest } = over;
  return {
    callId: 'c1',
    link: 'pbx',
    ani: frNormalise(ani ?? '0612345678'),
    dnis: frNormalise(dnis ?? '0140000000'),
    customer: null,
    now: WED_10H,
    ...rest,
  };
}

/** A rule as plan files write it, for plans built as objects. */
export function rule(name: string, when: unknown, action: unknown): Record<string, unknown> {
  // biome-ignore lint/suspicious/noThenProperty: a rule reads "when … then …" in the plan file; never awaited
  return { name, when, then: action };
}
