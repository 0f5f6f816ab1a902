/**
 * The switch side of the ECMA-269 routeing services: route registrations (RouteRegister,
 * RouteRegisterCancel), and for each call arriving at a registered route point a dialogue
 * identified by its crossRefIdentifier:
 *
 *   RouteRequest ──▶ (application) RouteSelect ──▶ [RouteUsed if routeUsedReq] ──▶ RouteEnd on delivery
 *        │
 *        └─ no RouteSelect within replyTimeout ──▶ RouteEnd (routeingTimerExpired), default route
 *
 * The application may end the dialogue itself (RouteEnd); a registering client that disconnects
 * takes its registrations with it. The latency from RouteRequest sent to RouteSelect received is
 * recorded for the benchmarks.
 */
import type { RouteDecision, RouteDialogue, RouteHow, Router } from './call-script.js';
import { UNSOLICITED_INVOKE_ID as UNSOLICITED } from './frames.js';
import type { ClientMessage } from './requests.js';
import type { StatsCounters } from './stats.js';
import type { ModelCall, SwitchModel } from './switch-model.js';
import { nowMs, type Timers } from './timers.js';
import type { CstaError, ServiceTemplates } from './xml-services.js';

export interface RouteClient {
  readonly id: number;
  send(xml: string, invokeId: string): void;
}

export interface RoutingHooks {
  routeRequest(info: { crossRefId: string; callId: string; routePoint: string; clientId: number }): void;
  routeSelect(info: { crossRefId: string; routeSelected: string; latencyMs: number; clientId: number }): void;
  routeTimeout(info: { crossRefId: string; callId: string }): void;
}

interface Registration {
  id: string;
  client: RouteClient;
  /** undefined: every route point (ECMA-269 registration without a routeing device). */
  device: string | undefined;
}

interface Dialogue {
  crossRefId: string;
  reg: Registration;
  call: ModelCall;
  routePoint: string;
  sentAt: number;
  state: 'waiting' | 'selected';
  stopTimer(): void;
  resolve(decision: RouteDecision): void;
}

/** How many ended dialogues are remembered to tell a late RouteSelect from a bogus one. */
const LATE_MEMORY = 10_000;

type RouteSelectMsg = Extract<ClientMessage, { type: 'RouteSelect' }>;
type RouteEndMsg = Extract<ClientMessage, { type: 'RouteEnd' }>;

export class RoutingService implements Router {
  private readonly registrations = new Map<string, Registration>();
  private readonly dialogues = new Map<string, Dialogue>();
  /** Dialogues the switch ended recently (timeout, abandon, delivery), to recognise late RouteSelects. */
  private readonly ended = new Set<string>();
  private nextRegId = 1;
  private nextCrossRef = 1;

  constructor(
    private readonly deps: {
      templates: ServiceTemplates;
      timers: Timers;
      model: SwitchModel;
      stats: StatsCounters;
      hooks: RoutingHooks;
      replyTimeoutMs: number;
    },
  ) {}

  /** RouteRegister: returns the routeRegisterReqID. */
  register(client: RouteClient, device: string | undefined): string {
    const id = String(this.nextRegId++);
    this.registrations.set(id, { id, client, device });
    return id;
  }

  /** RouteRegisterCancel: false when the registration is unknown or another client's. */
  cancelRegistration(client: RouteClient, id: string): boolean {
    const reg = this.registrations.get(id);
    if (!reg || reg.client !== client) return false;
    this.registrations.delete(id);
    this.endDialoguesOf((d) => d.reg === reg);
    return true;
  }

  /** The client went away: its registrations go, open dialogues fall back to the default route. */
  dropClient(client: RouteClient): void {
    for (const [id, reg] of this.registrations) if (reg.client === client) this.registrations.delete(id);
    this.endDialoguesOf((d) => d.reg.client === client);
  }

  /** Switch restart: every registration and dialogue is forgotten. */
  reset(): void {
    for (const d of this.dialogues.values()) d.stopTimer();
    this.dialogues.clear();
    this.registrations.clear();
    this.ended.clear();
  }

  get registrationCount(): number {
    return this.registrations.size;
  }

  open(call: ModelCall, routePoint: string): RouteDialogue {
    const reg = this.registrationFor(routePoint);
    const fallback = this.deps.model.defaultRouteOf(routePoint);
    if (!reg) {
      return {
        decision: Promise.resolve({ destination: fallback, how: 'unregistered' }),
        delivered() {},
        cancel() {},
      };
    }
    const crossRefId = String(this.nextCrossRef++);
    let resolve: (d: RouteDecision) => void = () => {};
    const decision = new Promise<RouteDecision>((r) => {
      resolve = r;
    });
    const dialogue: Dialogue = {
      crossRefId,
      reg,
      call,
      routePoint,
      sentAt: nowMs(),
      state: 'waiting',
      stopTimer: this.deps.timers.after(this.deps.replyTimeoutMs, () => this.timeout(dialogue)),
      resolve,
    };
    this.dialogues.set(crossRefId, dialogue);
    this.sendRouteRequest(dialogue);
    return {
      decision,
      delivered: () => this.finish(dialogue),
      cancel: () => this.finish(dialogue),
    };
  }

  /** RouteSelect from a client; returns the error to answer with, if any. */
  onRouteSelect(client: RouteClient, msg: RouteSelectMsg): CstaError | undefined {
    const d = msg.crossRefId === undefined ? undefined : this.dialogues.get(msg.crossRefId);
    if (!d || d.reg.client !== client || d.state !== 'waiting') {
      if (msg.crossRefId !== undefined && this.ended.has(msg.crossRefId)) this.deps.stats.routeSelectsLate++;
      else this.deps.stats.routeSelectsUnknown++;
      return { category: 'operation', value: 'invalidRouteingCrossReferenceID' };
    }
    const latencyMs = nowMs() - d.sentAt;
    this.deps.stats.latency.record(latencyMs);
    this.deps.stats.routeSelectsReceived++;
    d.stopTimer();
    this.deps.hooks.routeSelect({
      crossRefId: d.crossRefId,
      routeSelected: msg.routeSelected ?? '',
      latencyMs,
      clientId: client.id,
    });
    const destination =
      msg.routeSelected === undefined ? undefined : this.deps.model.resolveDevice(msg.routeSelected);
    if (destination === undefined) {
      this.deps.stats.routeSelectsInvalid++;
      this.close(d, { category: 'operation', value: 'invalidDestination' });
      d.resolve({ destination: this.deps.model.defaultRouteOf(d.routePoint), how: 'invalid' });
      return undefined;
    }
    d.state = 'selected';
    if (msg.routeUsedReq) {
      const { templates } = this.deps;
      const used = templates.routeUsed({
        crossRefId: d.crossRefId,
        routeRegisterReqId: d.reg.id,
        routeUsed: destination,
        callingDevice: d.call.parties.callingDevice,
      });
      d.reg.client.send(used, UNSOLICITED);
    }
    d.resolve({ destination, how: 'selected' });
    return undefined;
  }

  /** RouteEnd from a client: the application gives up; the call takes the default route. */
  onRouteEnd(client: RouteClient, msg: RouteEndMsg): void {
    this.deps.stats.routeEndsReceived++;
    const d = msg.crossRefId === undefined ? undefined : this.dialogues.get(msg.crossRefId);
    if (!d || d.reg.client !== client) return;
    this.settle(d, 'ended');
  }

  private registrationFor(routePoint: string): Registration | undefined {
    let catchAll: Registration | undefined;
    for (const reg of this.registrations.values()) {
      if (reg.device === routePoint) return reg;
      if (reg.device === undefined) catchAll ??= reg;
    }
    return catchAll;
  }

  private sendRouteRequest(d: Dialogue): void {
    const xml = this.deps.templates.routeRequest({
      crossRefId: d.crossRefId,
      routeRegisterReqId: d.reg.id,
      currentRoute: d.call.parties.calledDevice,
      callingDevice: d.call.parties.callingDevice,
      routeingDevice: d.routePoint,
      routedCall: { callId: d.call.id, deviceId: d.routePoint },
    });
    d.reg.client.send(xml, UNSOLICITED);
    this.deps.stats.routeRequestsSent++;
    this.deps.hooks.routeRequest({
      crossRefId: d.crossRefId,
      callId: d.call.id,
      routePoint: d.routePoint,
      clientId: d.reg.client.id,
    });
  }

  private timeout(d: Dialogue): void {
    if (!this.dialogues.has(d.crossRefId) || d.state !== 'waiting') return;
    this.deps.stats.routeTimeouts++;
    this.close(d, { category: 'operation', value: 'routeingTimerExpired' });
    this.deps.hooks.routeTimeout({ crossRefId: d.crossRefId, callId: d.call.id });
    d.resolve({ destination: this.deps.model.defaultRouteOf(d.routePoint), how: 'timeout' });
  }

  /** Ends a dialogue from the switch side: RouteEnd, then forget it. */
  private close(d: Dialogue, error?: CstaError): void {
    this.forget(d);
    const xml = this.deps.templates.routeEnd({
      crossRefId: d.crossRefId,
      routeRegisterReqId: d.reg.id,
      error,
    });
    d.reg.client.send(xml, UNSOLICITED);
  }

  /** The call was delivered or abandoned: RouteEnd if the dialogue is still open. */
  private finish(d: Dialogue): void {
    if (this.dialogues.has(d.crossRefId)) this.close(d);
  }

  /** Ends a dialogue without a RouteEnd (the client ended it, or is gone): default route. */
  private settle(d: Dialogue, how: RouteHow): void {
    this.forget(d);
    if (d.state === 'waiting') d.resolve({ destination: this.deps.model.defaultRouteOf(d.routePoint), how });
  }

  private forget(d: Dialogue): void {
    d.stopTimer();
    this.dialogues.delete(d.crossRefId);
    this.ended.add(d.crossRefId);
    if (this.ended.size > LATE_MEMORY) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  private endDialoguesOf(match: (d: Dialogue) => boolean): void {
    for (const d of [...this.dialogues.values()]) if (match(d)) this.settle(d, 'ended');
  }
}
