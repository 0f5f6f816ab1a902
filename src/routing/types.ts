/**
 * The contracts between the parts of routing (issue 4): the routing plan engine (`routing/plan/`),
 * the automatic call distributor (`acd/`) and IVR personalisation (`ivr/`). Each part is pure
 * (no I/O, the clock injected); the composition root wires them to the links and the directory.
 */
import type { EpochMs } from '../model/call.js';
import type { CustomerCard } from '../model/customer.js';
import type { NormalisedNumber } from '../model/number.js';

/** Everything a rule may test about one call, gathered before the plan runs. */
export interface RoutingContext {
  callId: string;
  link: string;
  ani: NormalisedNumber;
  dnis: NormalisedNumber;
  /** The caller's customer card, when the ANI matched one (never looked up for a withheld ANI). */
  customer: CustomerCard | null;
  /** The option the caller chose in the IVR, if the IVR posted one back (e.g. `after-sales`). */
  ivrChoice?: string;
  now: EpochMs;
}

/** One condition as the plan evaluated it: for the trace. */
export interface ConditionTrace {
  /** The condition as written, e.g. `dnis.prefix 0800`, `customer.tier = vip`, `calendar business open`. */
  test: string;
  passed: boolean;
  /** What the call had, masked where it is personal (numbers masked with numbers/mask.ts). */
  actual?: string;
}

export interface RuleTrace {
  rule: string;
  matched: boolean;
  conditions: ConditionTrace[];
}

/** What the plan decided for one call: the first matching rule's actions, resolved. */
export interface PlanDecision {
  /** Name of the rule that matched, or `default` when none did. */
  rule: string;
  /** The queue the call goes to, unless `destination` sends it to a device directly. */
  queue?: string;
  /** A device (number) to send the call to without queueing: closed message, voicemail, fallback. */
  destination?: string;
  /** Higher is served first; ageing in the ACD adds to it with time. */
  priority: number;
  /** Skills the agent must have, on top of the queue's (e.g. `senior` for VIPs). */
  skills: string[];
  /** Agent id to offer first (the customer's last agent), when `preferLastAgent` says so. */
  preferredAgent?: string;
  /** How long the preferred agent is waited for before any matching agent is taken. */
  preferredAgentWaitSeconds?: number;
  /** The rule's own overflow (after N seconds waiting, to another queue), before the queue's. */
  overflow?: { afterSeconds: number; to: string };
  /** Message / script / greeting id for the agent or the IVR (e.g. `vip-greeting`, `closed`). */
  message?: string;
  /** Where the call goes if nothing else can be done (queue overflow chain exhausted, error). */
  fallback?: string;
  /**
   * The rules tested, in plan order, up to and including the one that matched: the first 20 in
   * full; after them only the match and the near misses (a rule that passed a condition before
   * failing). `rulesTested` counts them all.
   */
  trace: RuleTrace[];
  rulesTested: number;
}

/** What became of a routed call, as the trace tells it. */
export type DecisionOutcome =
  | { kind: 'agent'; agentId: string; device: string; waitedMs: number }
  | { kind: 'queued'; queue: string }
  | { kind: 'device'; device: string }
  | { kind: 'queue-device'; queue: string; device: string; waitedMs: number }
  | { kind: 'abandoned'; waitedMs: number }
  | { kind: 'rejected'; cause: string };

/** An agent the distributor considered for the call, for "why did this call go there?". */
export interface CandidateTrace {
  agentId: string;
  chosen: boolean;
  /** Why chosen or passed over: `preferred`, `idle 42 s`, `busy`, `missing skill senior`… */
  why: string;
}

/**
 * The structured trace of one routing decision, kept with the call (`routing_decisions`) and
 * served by `GET /api/v1/calls/{id}/decision`. Numbers are masked: a trace is for supervisors.
 */
export interface DecisionTrace {
  link: string;
  callId: string;
  decidedAt: EpochMs;
  /** Masked ANI (`+33 6 •• •• •• 78`) and its kind; the DNIS in full (it is the centre's own number). */
  ani: string;
  aniKind: NormalisedNumber['kind'];
  dnis: string;
  customerId?: string;
  tier?: string;
  /** The rule that matched (or `default`) and every rule tested before it. */
  rule: string;
  rules: RuleTrace[];
  rulesTested: number;
  queue?: string;
  destination?: string;
  priority: number;
  skills: string[];
  preferredAgent?: string;
  candidates: CandidateTrace[];
  /** Later steps: overflow to another queue, an agent reserved after a wait, a timeout. */
  steps: Array<{ at: EpochMs; what: string }>;
  outcome: DecisionOutcome;
}

/** The customer's last agent, from the card's interactions (most recent first). */
export function lastAgentOf(card: CustomerCard | null): string | undefined {
  return card?.recentInteractions.find((i) => i.agentId !== undefined)?.agentId;
}
