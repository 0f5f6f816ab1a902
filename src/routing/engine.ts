/**
 * The routing engine: what links call for a decision. For one call it gathers the context
 * (numbers normalised, the caller's card from the directory's cache, never a lookup for a
 * withheld caller), runs the plan, and hands the call to the distributor: an agent at once, or a
 * queued call whose agent arrives later. Every decision leaves a trace in the decision log.
 */
import type { AcdEvent, AcdSettings, AgentDef, Distributor, QueueDef } from '../acd/distributor.js';
import { withBudget } from '../core/budget.js';
import type { LookupResult } from '../customers/directory.js';
import type { IvrAnswer, IvrOption } from '../ivr/decide.js';
import type { Call, RouteDecision, RouteQuery, Router } from '../model/call.js';
import type { CustomerCard } from '../model/customer.js';
import type { NormalisedNumber } from '../model/number.js';
import { dialString } from '../model/number.js';
import type { DecisionLog } from './decision-log.js';
import { type CompiledPlan, shownNumber } from './plan/compile.js';
import type { Plan } from './plan/schema.js';
import type { DecisionTrace } from './types.js';

export interface RoutingEngineOptions {
  normalise: (raw: string) => NormalisedNumber;
  lookup: (n: NormalisedNumber) => LookupResult | Promise<LookupResult>;
  plan: CompiledPlan;
  log: DecisionLog;
  now?: () => number;
}

interface Waiting {
  resolve: (a: { agentId: string; device: string } | undefined) => void;
  trace: DecisionTrace;
}

const key = (link: string, callId: string) => `${link}/${callId}`;

/** Longest an IVR answer waits for the caller's customer record. */
const IVR_LOOKUP_BUDGET_MS = 300;

/** The distributor's view of a plan. */
export function acdOf(plan: Plan): { queues: QueueDef[]; agents: AgentDef[]; settings: AcdSettings } {
  return {
    queues: plan.queues.map((q) => ({ id: q.id, device: q.device, skills: q.skills, overflow: q.overflow })),
    agents: plan.agents.map((a) => ({ id: a.id, name: a.name, device: a.device, skills: a.skills })),
    settings: plan.acd,
  };
}

export class RoutingEngine {
  #plan: CompiledPlan;
  #distributor: Distributor | undefined;
  readonly #o: RoutingEngineOptions;
  readonly #now: () => number;
  readonly #waiting = new Map<string, Waiting>();
  /** Traces of calls handed to an agent, until the call ends (for ring-no-answer and the record). */
  readonly #live = new Map<string, DecisionTrace>();
  readonly #ivrChoices = new Map<string, IvrOption>();
  /** Routed calls seen ringing at their agent's device. */
  readonly #rang = new Set<string>();

  constructor(opts: RoutingEngineOptions) {
    this.#o = opts;
    this.#plan = opts.plan;
    this.#now = opts.now ?? Date.now;
  }

  /** The distributor is built with this engine's `onAcdEvent` as its listener, then attached. */
  attach(distributor: Distributor): void {
    this.#distributor = distributor;
  }

  get plan(): CompiledPlan {
    return this.#plan;
  }

  /** Hot reload: new calls use the new plan; calls in flight keep their queue and agent. */
  setPlan(plan: CompiledPlan): void {
    const old = this.#plan;
    this.#plan = plan;
    const acd = acdOf(plan.plan);
    const orphaned = this.#distributor?.reconfigure(acd.queues, acd.agents, acd.settings).orphaned ?? [];
    // Calls whose queue the new plan removed (with no overflow left): to that queue's device now,
    // rather than waiting for the link to give up.
    for (const k of orphaned) {
      const w = this.#waiting.get(k);
      if (!w) continue;
      this.#waiting.delete(k);
      const q = old.plan.queues.find((x) => x.id === w.trace.queue);
      const waitedMs = this.#now() - w.trace.decidedAt;
      if (q) w.trace.outcome = { kind: 'queue-device', queue: q.id, device: q.device, waitedMs };
      w.trace.steps.push({ at: this.#now(), what: `queue ${w.trace.queue} removed by a plan reload` });
      void this.#o.log.record(w.trace).catch(() => {});
      w.resolve(undefined);
    }
  }

  /**
   * The caller's choice in the IVR, for the decision that follows (`ivrChoice` conditions, and the
   * option's queue and skill). An IVR that does not know the link records it for any link.
   */
  setIvrChoice(link: string | undefined, callId: string, choice: IvrOption): void {
    this.#ivrChoices.set(key(link ?? '*', callId), choice);
    if (this.#ivrChoices.size > 10_000)
      this.#ivrChoices.delete(this.#ivrChoices.keys().next().value as string);
  }

  /** The caller's IVR choice for a call, if the IVR posted one (shown on the agent's card). */
  ivrChoiceOf(link: string, callId: string): IvrOption | undefined {
    return this.#ivrChoiceOf(link, callId);
  }

  #ivrChoiceOf(link: string, callId: string): IvrOption | undefined {
    return this.#ivrChoices.get(key(link, callId)) ?? this.#ivrChoices.get(key('*', callId));
  }

  /** IVR personalisation for a call at its start; undefined when the plan has no `ivr` section. */
  async ivr(q: { callId: string; ani: string; dnis: string; link?: string }): Promise<IvrAnswer | undefined> {
    const ivr = this.#plan.ivr;
    if (!ivr) return undefined;
    const ani = this.#o.normalise(q.ani);
    const dnis = this.#o.normalise(q.dnis);
    // Withheld, unknown or malformed callers are never looked up: the line's defaults apply.
    // A caller waits on the line: a lookup that fails or takes longer than the budget gives the
    // answer without the customer rather than silence or an error.
    let customer: CustomerCard | null = null;
    let unavailable = false;
    if (ani.kind === 'e164') {
      try {
        const found = await withBudget(this.#o.lookup(ani), IVR_LOOKUP_BUDGET_MS);
        if (found === undefined) unavailable = true;
        else customer = found.customer;
      } catch {
        unavailable = true;
      }
    }
    const answer = ivr.decide({
      callId: q.callId,
      link: q.link ?? '',
      ani,
      dnis,
      customer,
      now: this.#now(),
    });
    if (unavailable) answer.reasons.push('customer record unavailable in time: answered without it');
    return answer;
  }

  /** Records a menu choice (DTMF key or option id); undefined when the menu has no such option. */
  chooseIvr(q: { callId: string; link?: string; menu?: string; choice: string }): IvrOption | undefined {
    const o = this.#plan.ivr?.choice(q.menu ?? this.#plan.plan.ivr?.menu ?? 'main', q.choice);
    if (o) this.setIvrChoice(q.link, q.callId, o);
    return o;
  }

  readonly router: Router = (q) => {
    const ani = this.#o.normalise(q.ani);
    const dnis = this.#o.normalise(q.dnis);
    // A caller who asked to hide their number is never looked up by it.
    const found = ani.kind === 'e164' ? this.#o.lookup(ani) : undefined;
    if (found instanceof Promise) return found.then((r) => this.#decide(q, ani, dnis, r.customer));
    return this.#decide(q, ani, dnis, found?.customer ?? null);
  };

  #decide(
    q: RouteQuery,
    ani: NormalisedNumber,
    dnis: NormalisedNumber,
    customer: CustomerCard | null,
  ): RouteDecision {
    const k = key(q.link, q.callId);
    const now = this.#now();
    const choice = this.#ivrChoiceOf(q.link, q.callId);
    const pd = this.#plan.decide({
      callId: q.callId,
      link: q.link,
      ani,
      dnis,
      customer,
      ivrChoice: choice?.id,
      now,
    });
    // The IVR option's queue and skill refine a queued decision, unless the rule already chose on
    // the option itself (it tested ivrChoice) or sent the call to a destination.
    const matched = pd.trace.find((t) => t.matched && t.rule === pd.rule);
    const ruleTestedChoice = matched?.conditions.some((c) => c.test.startsWith('ivr choice')) === true;
    if (choice && pd.destination === undefined && !ruleTestedChoice) {
      if (choice.queue !== undefined) pd.queue = choice.queue;
      if (choice.skill !== undefined && !pd.skills.includes(choice.skill))
        pd.skills = [...pd.skills, choice.skill];
    }
    const trace: DecisionTrace = {
      link: q.link,
      callId: q.callId,
      decidedAt: now,
      ani: shownNumber(ani),
      aniKind: ani.kind,
      dnis: dialString(dnis) ?? dnis.kind,
      customerId: customer?.id,
      tier: customer?.tier,
      rule: pd.rule,
      rules: pd.trace,
      rulesTested: pd.rulesTested,
      queue: pd.queue,
      destination: pd.destination,
      priority: pd.priority,
      skills: pd.skills,
      preferredAgent: pd.preferredAgent,
      candidates: [],
      steps: [],
      outcome: { kind: 'rejected', cause: 'no queue nor destination' },
    };
    const base = { callId: q.callId, priority: pd.priority, skills: pd.skills, reason: `rule ${pd.rule}` };
    const queue = pd.queue === undefined ? undefined : this.#plan.plan.queues.find((x) => x.id === pd.queue);
    if (pd.destination !== undefined || !queue || !this.#distributor) {
      const device = pd.destination ?? queue?.device ?? pd.fallback;
      if (device === undefined) {
        void this.#o.log.record(trace).catch(() => {});
        return { ...base, target: { kind: 'reject', cause: 'no route' } };
      }
      trace.outcome = { kind: 'device', device };
      void this.#o.log.record(trace).catch(() => {});
      return { ...base, target: { kind: 'device', device } };
    }
    // ReRoute of a call already distributed: its previous agent did not take it.
    this.#distributor.release(k);
    this.#waiting.delete(k);
    const r = this.#distributor.offer({
      callId: k,
      queue: queue.id,
      priority: pd.priority,
      skills: pd.skills,
      preferredAgent: pd.preferredAgent,
      overflow: pd.overflow,
    });
    trace.candidates = r.candidates;
    if (r.kind === 'assigned') {
      trace.outcome = { kind: 'agent', agentId: r.agentId, device: r.device, waitedMs: 0 };
      this.#live.set(k, trace);
      void this.#o.log.record(trace).catch(() => {});
      return { ...base, target: { kind: 'agent', agentId: r.agentId, device: r.device } };
    }
    trace.outcome = { kind: 'queued', queue: queue.id };
    trace.steps.push({ at: now, what: `queued in ${queue.id} at position ${r.position}` });
    void this.#o.log.record(trace).catch(() => {});
    const agent = new Promise<{ agentId: string; device: string } | undefined>((resolve) => {
      this.#waiting.set(k, { resolve, trace });
    });
    return {
      ...base,
      target: { kind: 'queue', queue: queue.id, device: queue.device },
      queued: {
        agent,
        withdraw: (why) => {
          const w = this.#waiting.get(k);
          this.#waiting.delete(k);
          this.#distributor?.release(k);
          if (!w) return;
          const waitedMs = this.#now() - w.trace.decidedAt;
          const q2 = this.#plan.plan.queues.find((x) => x.id === (w.trace.queue ?? queue.id)) ?? queue;
          w.trace.outcome =
            why === 'timeout'
              ? { kind: 'queue-device', queue: q2.id, device: q2.device, waitedMs }
              : { kind: 'abandoned', waitedMs };
          w.trace.steps.push({
            at: this.#now(),
            what: why === 'timeout' ? `sent to ${q2.device} after ${waitedMs} ms` : 'caller left',
          });
          void this.#o.log.record(w.trace).catch(() => {});
        },
      },
    };
  }

  /** The distributor's events: a queued call got its agent, or moved to another queue. */
  onAcdEvent = (e: AcdEvent): void => {
    if (e.type === 'assigned') {
      const w = this.#waiting.get(e.callId);
      if (!w) return;
      this.#waiting.delete(e.callId);
      w.trace.outcome = { kind: 'agent', agentId: e.agentId, device: e.device, waitedMs: e.waitedMs };
      w.trace.steps.push({
        at: this.#now(),
        what: `${e.agentId} reserved after ${e.waitedMs} ms in ${e.queue}`,
      });
      this.#live.set(e.callId, w.trace);
      void this.#o.log.record(w.trace).catch(() => {});
      w.resolve({ agentId: e.agentId, device: e.device });
    } else if (e.type === 'overflowed') {
      const w = this.#waiting.get(e.callId);
      if (!w) return;
      w.trace.queue = e.to;
      w.trace.steps.push({ at: this.#now(), what: `overflowed from ${e.from} to ${e.to}` });
    }
  };

  /**
   * Follows a routed call as the PBX reports it (the tracker's view): answered at the agent's
   * device, or gone elsewhere unanswered after ringing there (ring-no-answer), or failed there
   * (busy): the distributor learns which.
   */
  observe(call: Call): void {
    const k = key(call.link, call.id);
    const t = this.#live.get(k);
    if (t?.outcome.kind !== 'agent') return;
    const device = t.outcome.device;
    if (call.state === 'connected' && call.device === device) {
      this.#rang.delete(k);
      this.#distributor?.answered(k);
      return;
    }
    if (call.answeredAt !== undefined) return;
    if (call.device === device && call.state === 'alerting') {
      this.#rang.add(k);
      return;
    }
    const why =
      call.state === 'failed' && (call.device === device || call.device === undefined)
        ? 'busy-at-device'
        : this.#rang.has(k) && call.device !== device && call.state !== 'cleared'
          ? 'ring-no-answer'
          : undefined;
    if (why === undefined) return;
    this.#rang.delete(k);
    this.#live.delete(k);
    t.steps.push({ at: this.#now(), what: `${t.outcome.agentId} did not answer (${why})` });
    void this.#o.log.record(t).catch(() => {});
    this.#distributor?.notAnswered(k, why);
  }

  /** The queue a routed call went to, while Relais follows it. */
  queueOf(link: string, callId: string): string | undefined {
    return this.#live.get(key(link, callId))?.queue ?? this.#waiting.get(key(link, callId))?.trace.queue;
  }

  /** The routed call ended: its agent is free again (after wrap-up). */
  ended(link: string, callId: string): void {
    const k = key(link, callId);
    this.#live.delete(k);
    this.#rang.delete(k);
    this.#ivrChoices.delete(k);
    this.#ivrChoices.delete(key('*', callId));
    this.#distributor?.release(k);
  }
}
