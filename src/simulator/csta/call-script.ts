/**
 * Plays one inbound call through the switch model, in time: arrival at a route point (RouteRequest
 * to the application that registered for it), distribution by an ACD group (queueing when no agent
 * is free), ringing, answer, hold, consultation transfer, clearing; or abandon by the caller before
 * an agent answers, or a busy destination. What each step reports is the model's business; this
 * script decides the order and the waits.
 */
import type { CallOutcome, CallPlan } from './call-plan.js';
import type { EventCause } from './events.js';
import type { ModelCall, SwitchModel } from './switch-model.js';
import type { Sleep, Timers } from './timers.js';

export type RouteHow = 'selected' | 'timeout' | 'unregistered' | 'ended' | 'invalid';

export interface RouteDecision {
  destination: string;
  how: RouteHow;
}

/** One routeing dialogue (ECMA-269 routeing services) for one call at one route point. */
export interface RouteDialogue {
  decision: Promise<RouteDecision>;
  /** The call reached its destination: the switch ends the dialogue (RouteEnd) if still open. */
  delivered(): void;
  /** The caller hung up while the dialogue was open: RouteEnd. */
  cancel(): void;
}

export interface Router {
  open(call: ModelCall, routePoint: string): RouteDialogue;
}

export interface CallContext {
  model: SwitchModel;
  router: Router;
  timers: Timers;
  ringNoAnswerMs: number;
  busyToneMs: number;
  /** Aborted when the switch restarts or closes: every script stops where it is. */
  signal: AbortSignal;
}

/** Longest chain of route points, groups and forwards a call may follow (guards routeing loops). */
const MAX_HOPS = 16;
const ABANDONED = Symbol('abandoned');
const HALTED = Symbol('halted');
type Abandoned = typeof ABANDONED;

export interface StartedCall {
  callId: string;
  done: Promise<CallOutcome>;
}

/** Seizes a trunk and starts the call; throws SIM_NO_TRUNK synchronously when none is free. */
export function startInboundCall(ctx: CallContext, plan: CallPlan): StartedCall {
  const call = ctx.model.startCall(plan);
  const run = new CallRun(ctx, call, plan);
  const done = run.play().catch((err: unknown) => {
    if (err !== HALTED) throw err;
    ctx.model.drop(run.call);
    return run.outcome('reset');
  });
  return { callId: call.id, done };
}

class CallRun {
  call: ModelCall;
  private readonly firstId: string;
  private agent: string | undefined;
  private routing: RouteHow | undefined;
  private dialogue: RouteDialogue | undefined;
  private readonly abandonTimer: Sleep | undefined;
  private readonly excluded: string[] = [];

  constructor(
    private readonly ctx: CallContext,
    call: ModelCall,
    private readonly plan: CallPlan,
  ) {
    this.call = call;
    this.firstId = call.id;
    this.abandonTimer = plan.fate === 'abandon' ? ctx.timers.sleep(plan.abandonAfterMs) : undefined;
  }

  outcome(result: CallOutcome['result']): CallOutcome {
    this.abandonTimer?.cancel();
    return {
      callId: this.firstId,
      finalCallId: this.call.id,
      plan: this.plan,
      result,
      agent: this.agent,
      routing: this.routing,
    };
  }

  async play(): Promise<CallOutcome> {
    const { model } = this.ctx;
    let at = this.plan.entry ?? model.entryFor(this.plan.dnis);
    let cause: EventCause = 'newCall';
    let reserved = false;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const kind = model.kindOf(at);
      if (kind === 'routePoint') {
        const next = await this.routeAt(at, cause);
        if (next === ABANDONED) return this.abandon();
        [at, cause, reserved] = [next, 'redirected', false];
      } else if (kind === 'acd') {
        const agent = await this.distribute(at, cause);
        if (agent === ABANDONED) return this.abandon();
        [at, cause, reserved] = [agent, 'distributed', true];
      } else if (kind === 'agent') {
        const rung = await this.ring(at, cause, reserved);
        if (rung === ABANDONED) return this.abandon();
        if (rung === 'failed') return this.outcome('failed');
        if (rung === 'answered') return this.talk();
        [at, cause, reserved] = [rung.forwardTo, 'callForwardNoAnswer', rung.reserved];
      } else {
        // A trunk or a number the switch does not know: the switch's default route.
        at = model.defaultRouteOf(at);
      }
    }
    model.clear(this.call, this.call.trunk, 'normalClearing');
    return this.outcome('failed');
  }

  /** Delivered at the route point, then the application's decision (or the default route). */
  private async routeAt(routePoint: string, cause: EventCause): Promise<string | Abandoned> {
    const { model } = this.ctx;
    model.arrive(this.call, routePoint, cause);
    const dialogue = this.ctx.router.open(this.call, routePoint);
    this.dialogue = dialogue;
    const decision = await this.race(dialogue.decision, true);
    if (decision === ABANDONED) return ABANDONED;
    this.routing = decision.how;
    model.divert(this.call, routePoint, decision.destination, 'redirected');
    return decision.destination;
  }

  /** Delivered at the ACD group; Queued when no agent is free; Diverted to the agent chosen. */
  private async distribute(acd: string, cause: EventCause): Promise<string | Abandoned> {
    const { model } = this.ctx;
    model.arrive(this.call, acd, cause);
    let agent = model.agents.takeFree(acd, this.excluded);
    if (agent === undefined) {
      model.queue(this.call, acd);
      this.endRouting();
      const wait = model.agents.waitFor(this.call.id, acd);
      const got = await this.race(wait.promise, true);
      if (got === ABANDONED) {
        if (!wait.cancel()) void wait.promise.then((a) => model.agents.unreserve(a));
        return ABANDONED;
      }
      agent = got;
    }
    model.divert(this.call, acd, agent, 'distributed');
    return agent;
  }

  /** The extension rings; busy → Failed; ring-no-answer → Diverted onwards. */
  private async ring(
    agent: string,
    cause: EventCause,
    reserved: boolean,
  ): Promise<'answered' | 'failed' | Abandoned | { forwardTo: string; reserved: boolean }> {
    const { model } = this.ctx;
    if (!reserved) {
      if (!model.agents.isAvailable(agent)) return this.busy(agent);
      model.agents.reserve(agent);
    }
    model.alert(this.call, agent, cause);
    this.endRouting();
    if (this.plan.ringNoAnswer && this.excluded.length === 0) {
      if ((await this.race(this.sleep(this.ctx.ringNoAnswerMs), true)) === ABANDONED) return ABANDONED;
      this.excluded.push(agent);
      const group = model.agents.groupOf(agent);
      const next = group === undefined ? undefined : model.agents.takeFree(group, this.excluded);
      const forwardTo = next ?? group ?? model.defaultRouteOf(agent);
      model.divert(this.call, agent, forwardTo, 'callForwardNoAnswer');
      return { forwardTo, reserved: next !== undefined };
    }
    if ((await this.race(this.sleep(this.plan.ringMs), true)) === ABANDONED) return ABANDONED;
    this.abandonTimer?.cancel();
    model.answer(this.call, agent, cause);
    this.agent = agent;
    return 'answered';
  }

  private async busy(agent: string): Promise<'failed'> {
    const { model } = this.ctx;
    model.fail(this.call, agent, 'busy');
    this.endRouting();
    await this.race(this.sleep(this.ctx.busyToneMs), false);
    model.clear(this.call, this.call.trunk, 'normalClearing');
    return 'failed';
  }

  /** Conversation, with the hold and transfer of the plan spread over the talk time. */
  private async talk(): Promise<CallOutcome> {
    const { model } = this.ctx;
    const { holdMs, transferTo, talkMs, releasedBy } = this.plan;
    const segment = talkMs / (1 + (holdMs === undefined ? 0 : 1) + (transferTo === undefined ? 0 : 1));
    await this.race(this.sleep(segment), false);
    const agent = () => this.agent ?? this.call.trunk;
    if (holdMs !== undefined) {
      model.hold(this.call, agent(), 'normal');
      await this.race(this.sleep(holdMs), false);
      model.retrieve(this.call, agent(), 'normal');
      await this.race(this.sleep(segment), false);
    }
    if (transferTo !== undefined && (await this.transfer(agent(), transferTo, segment))) {
      await this.race(this.sleep(segment), false);
    }
    model.clear(this.call, releasedBy === 'caller' ? this.call.trunk : agent(), 'normalClearing');
    return this.outcome('answered');
  }

  /** Consultation transfer to another agent; false when no agent can take it. */
  private async transfer(from: string, to: string, segment: number): Promise<boolean> {
    const { model } = this.ctx;
    let target: string | undefined;
    if (to === 'any') {
      const group = model.agents.groupOf(from);
      target = group === undefined ? undefined : model.agents.takeFree(group, [from]);
    } else if (to !== from && model.agents.isAvailable(to)) {
      target = to;
      model.agents.reserve(to);
    }
    if (target === undefined) return false;
    model.hold(this.call, from, 'consultation');
    const consultation = model.consult(this.call, from, target);
    await this.race(this.sleep(Math.min(this.plan.ringMs, segment)), false);
    model.answer(consultation, target, 'consultation');
    await this.race(this.sleep(segment / 4), false);
    this.call = model.transfer(this.call, consultation, from, target);
    this.agent = target;
    return true;
  }

  /** The caller hangs up before an agent answered (ECMA-269 cause callCancelled). */
  private abandon(): CallOutcome {
    this.ctx.model.clear(this.call, this.call.trunk, 'callCancelled');
    this.dialogue?.cancel();
    this.dialogue = undefined;
    return this.outcome('abandoned');
  }

  private endRouting(): void {
    this.dialogue?.delivered();
    this.dialogue = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return this.ctx.timers.sleep(ms).promise;
  }

  /** Waits for `p`, unless the caller abandons (when `abandonable`) or the switch halts. */
  private race<T>(p: Promise<T>, abandonable: boolean): Promise<T | Abandoned> {
    const { signal } = this.ctx;
    return new Promise<T | Abandoned>((resolve, reject) => {
      if (signal.aborted) {
        reject(HALTED);
        return;
      }
      const onAbort = () => reject(HALTED);
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (value: T | Abandoned) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      p.then(settle, (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      });
      if (abandonable && this.abandonTimer) void this.abandonTimer.promise.then(() => settle(ABANDONED));
    });
  }
}
