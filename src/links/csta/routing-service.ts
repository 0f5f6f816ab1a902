/**
 * The CSTA routing service (ECMA-269 §20): Relais is the routing server for the registered
 * routing devices. Each RouteRequest gets an answer — the decision, or the fallback when the
 * decision is late or fails, or RouteEnd when there is no fallback — never silence.
 */
import { withBudget } from '../../core/budget.js';
import type { QueuedRoute, RouteDecision, RouteQuery, Router } from '../../model/call.js';
import { rawNumberOf } from './codec/index.js';
import type { CstaMessage } from './messages.js';

type RouteRequestMsg = Extract<CstaMessage, { type: 'RouteRequest' }>;

export interface RoutingServiceOptions {
  link: string;
  router: Router;
  decisionTimeoutMs: number;
  /** Longest hold of a queued call's dialogue before it is sent to its queue's device. */
  queueWaitMs: number;
  fallback: string | undefined;
  send: (msg: CstaMessage) => void;
  /** Tells the core a call arrived at the routing device (so it is tracked and identified). */
  observe: (q: RouteQuery) => void;
  onAnswered: (result: 'selected' | 'fallback' | 'ended', seconds: number) => void;
  onError: (err: unknown) => void;
}

const MAX_DIALOGUES = 10_000;

interface Dialogue {
  query: RouteQuery;
  registration: string | undefined;
  tried: string[];
  /** The queue wait in progress, if the decision queued the call. */
  queued?: QueuedRoute;
}

export class RoutingService {
  readonly #o: RoutingServiceOptions;
  readonly #dialogues = new Map<string, Dialogue>();

  constructor(opts: RoutingServiceOptions) {
    this.#o = opts;
  }

  get openDialogues(): number {
    return this.#dialogues.size;
  }

  handle(msg: CstaMessage): boolean {
    switch (msg.type) {
      case 'RouteRequest':
        this.#request(msg);
        return true;
      case 'ReRoute': {
        const d = this.#dialogues.get(msg.crossRefId);
        if (d) void this.#answer(msg.crossRefId, d, performance.now());
        else
          this.#o.send({
            type: 'RouteEnd',
            crossRefId: msg.crossRefId,
            routeRegisterReqId: msg.routeRegisterReqId,
          });
        return true;
      }
      case 'RouteUsed':
        return true;
      case 'RouteEnd': {
        // The switch ended the dialogue (caller gone, or delivered): a queued call leaves its queue.
        this.#dialogues.get(msg.crossRefId)?.queued?.withdraw('abandoned');
        this.#dialogues.delete(msg.crossRefId);
        return true;
      }
      default:
        return false;
    }
  }

  /** The connection is gone: the switch forgets every dialogue, so do we. */
  reset(): void {
    for (const d of this.#dialogues.values()) d.queued?.withdraw('abandoned');
    this.#dialogues.clear();
  }

  #request(msg: RouteRequestMsg): void {
    const started = performance.now();
    const callId = msg.routedCall?.callId ?? `route-${msg.crossRefId}`;
    const query: RouteQuery = {
      link: this.#o.link,
      callId,
      ani: rawNumberOf(msg.callingDevice) ?? '',
      dnis: rawNumberOf(msg.currentRoute) ?? '',
      device: msg.routedCall?.deviceId,
      at: Date.now(),
    };
    const d: Dialogue = { query, registration: msg.routeRegisterReqId, tried: [] };
    this.#dialogues.set(msg.crossRefId, d);
    // A switch that never sends RouteEnd must not grow this map for ever.
    if (this.#dialogues.size > MAX_DIALOGUES)
      this.#dialogues.delete(this.#dialogues.keys().next().value as string);
    try {
      this.#o.observe(query);
    } catch (err) {
      this.#o.onError(err);
    }
    void this.#answer(msg.crossRefId, d, started);
  }

  async #answer(crossRefId: string, d: Dialogue, started: number): Promise<void> {
    let destination: string | undefined;
    let result: 'selected' | 'fallback' | 'ended' = 'selected';
    try {
      const decision = await this.#decide(d.query);
      destination = deviceOf(decision);
      if (decision.queued)
        destination = (await this.#waitForAgent(crossRefId, d, decision.queued)) ?? destination;
    } catch (err) {
      this.#o.onError(err);
    }
    // A ReRoute asks for another destination than those already tried.
    if (destination === undefined || d.tried.includes(destination)) {
      destination =
        this.#o.fallback !== undefined && !d.tried.includes(this.#o.fallback) ? this.#o.fallback : undefined;
      result = destination === undefined ? 'ended' : 'fallback';
    }
    if (!this.#dialogues.has(crossRefId)) return; // the switch ended it meanwhile
    if (destination === undefined) {
      this.#dialogues.delete(crossRefId);
      this.#o.send({
        type: 'RouteEnd',
        crossRefId,
        routeRegisterReqId: d.registration,
        errorValue: 'noRoute',
      });
    } else {
      d.tried.push(destination);
      this.#o.send({
        type: 'RouteSelect',
        crossRefId,
        routeRegisterReqId: d.registration,
        routeSelected: destination,
        routeUsedReq: false,
      });
    }
    this.#o.onAnswered(result, (performance.now() - started) / 1000);
  }

  /**
   * A queued call: the agent's device once one is reserved, or undefined when the caller left or
   * `queueWaitMs` passed (the call then goes to its queue's device).
   */
  async #waitForAgent(crossRefId: string, d: Dialogue, queued: QueuedRoute): Promise<string | undefined> {
    d.queued = queued;
    try {
      const got = await withBudget(queued.agent, this.#o.queueWaitMs);
      if (got === undefined) {
        queued.withdraw('timeout'); // out of the queue (a no-op when the queue itself is gone)
        return undefined;
      }
      if (!this.#dialogues.has(crossRefId)) {
        queued.withdraw('abandoned'); // frees the agent reserved for a caller who is gone
        return undefined;
      }
      return got.device;
    } finally {
      d.queued = undefined;
    }
  }

  /** The decision, or a rejection once `decisionTimeoutMs` has passed. */
  async #decide(q: RouteQuery): Promise<RouteDecision> {
    const decision = await withBudget(this.#o.router(q), this.#o.decisionTimeoutMs);
    if (decision === undefined) throw new Error(`no routing decision within ${this.#o.decisionTimeoutMs} ms`);
    return decision;
  }
}

function deviceOf(d: RouteDecision): string | undefined {
  switch (d.target.kind) {
    case 'device':
      return d.target.device;
    case 'queue':
      return d.target.device ?? d.target.queue;
    case 'agent':
      return d.target.device;
    case 'reject':
      return undefined;
  }
}
