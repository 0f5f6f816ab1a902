/**
 * The state of the simulated switch: its devices, the calls in progress with their connections,
 * agents' availability and the ACD queues. Every state change produces the ECMA-269 event that
 * reports it, addressed to the devices involved; the model does no I/O and owns no timer (the
 * call script decides when things happen).
 *
 * A call's connections are keyed by switch device. The caller's connection sits on the trunk the
 * call seized; on the wire its deviceID is the caller's number, or the trunk when the number is
 * withheld or unknown. Agents and queues are in AgentPool (agents.ts).
 */

import { AgentPool } from './agents.js';
import type { CallPlan } from './call-plan.js';
import { SimulatorError } from './errors.js';
import type {
  CallEventBody,
  ConnRef,
  EventCause,
  LocalConnectionState,
  PartyFields,
  Recipient,
  SwitchEvent,
} from './events.js';
import { type DeviceNaming, deviceId, NOT_REQUIRED } from './identifiers.js';
import type { DevicePlan } from './options.js';

export type DeviceKind = 'agent' | 'acd' | 'routePoint' | 'trunk';

interface Connection {
  device: string;
  /** deviceID on the wire. */
  wireId: string;
  state: LocalConnectionState;
}

export interface ModelCall {
  id: string;
  plan: CallPlan;
  trunk: string;
  callerWireId: string;
  parties: PartyFields;
  connections: Map<string, Connection>;
  cleared: boolean;
}

export class SwitchModel {
  readonly agents: AgentPool;
  private readonly kinds = new Map<string, DeviceKind>();
  private readonly freeTrunks: string[];
  private readonly active = new Map<string, ModelCall>();
  private nextCallId: number;

  constructor(
    private readonly plan: DevicePlan,
    private readonly naming: DeviceNaming,
    private readonly sink: (event: SwitchEvent) => void,
    firstCallId: number,
  ) {
    this.nextCallId = firstCallId;
    this.agents = new AgentPool(plan.agents, plan.acdGroups);
    for (const a of plan.agents) this.kinds.set(a, 'agent');
    for (const g of plan.acdGroups) this.kinds.set(g.id, 'acd');
    for (const r of plan.routePoints) this.kinds.set(r.id, 'routePoint');
    for (const t of plan.trunks) this.kinds.set(t, 'trunk');
    this.freeTrunks = [...plan.trunks];
  }

  // ── Numbering plan ────────────────────────────────────────────────────────────────────────

  kindOf(device: string): DeviceKind | undefined {
    return this.kinds.get(device);
  }

  /** The switch device an identifier names, in any style (`2001`, `N<2001>`…). */
  resolveDevice(identifier: string): string | undefined {
    if (this.kinds.has(identifier)) return identifier;
    const bare = this.naming.bare(identifier);
    return this.kinds.has(bare) ? bare : undefined;
  }

  /** The device a call to `dnis` enters at (DNIS routes, then `*`, then the default route). */
  entryFor(dnis: string): string {
    const routes = this.plan.dnisRoutes;
    return routes[dnis] ?? routes[this.naming.bare(dnis)] ?? routes['*'] ?? this.plan.defaultRoute;
  }

  defaultRouteOf(routePoint: string): string {
    return this.plan.routePoints.find((r) => r.id === routePoint)?.defaultRoute ?? this.plan.defaultRoute;
  }

  /** Calls at a device and the state of its connection in each (SnapshotDevice). */
  connectionsAt(device: string): Array<{ callId: string; deviceId: string; state: LocalConnectionState }> {
    const out = [];
    for (const call of this.active.values()) {
      const c = call.connections.get(device);
      if (c) out.push({ callId: call.id, deviceId: c.wireId, state: c.state });
    }
    return out;
  }

  get activeCalls(): number {
    return this.active.size;
  }

  // ── Call life ─────────────────────────────────────────────────────────────────────────────

  /** An inbound call seizes a trunk; nothing is reported until it reaches a device. */
  startCall(plan: CallPlan): ModelCall {
    const trunk = this.freeTrunks.shift();
    if (trunk === undefined) throw new SimulatorError('SIM_NO_TRUNK', 'every trunk is seized');
    const callingDevice = this.naming.caller(plan.ani, plan.presentation, plan.callerName);
    const called = deviceId(this.naming.external(plan.dnis));
    const call: ModelCall = {
      id: this.newCallId(),
      plan,
      trunk,
      callerWireId: callingDevice.kind === 'id' ? callingDevice.id : trunk,
      parties: {
        callingDevice,
        calledDevice: called,
        lastRedirectionDevice: NOT_REQUIRED,
        networkCallingDevice: callingDevice,
        networkCalledDevice: called,
      },
      connections: new Map([[trunk, { device: trunk, wireId: '', state: 'connected' }]]),
      cleared: false,
    };
    const callerConn = call.connections.get(trunk);
    if (callerConn) callerConn.wireId = call.callerWireId;
    this.active.set(call.id, call);
    return call;
  }

  /** ECMA-269 Delivered at a distribution device (route point, ACD group): entering distribution. */
  arrive(call: ModelCall, device: string, cause: EventCause): void {
    this.connect(call, device, 'alerting');
    this.emit(call, {
      name: 'Delivered',
      connection: this.conn(call, device),
      alertingDevice: deviceId(device),
      cause,
      ...call.parties,
    });
  }

  /** ECMA-269 Queued: no agent of the group is free. */
  queue(call: ModelCall, acd: string): void {
    this.connect(call, acd, 'queued');
    this.emit(call, {
      name: 'Queued',
      queuedConnection: this.conn(call, acd),
      queue: deviceId(acd),
      numberQueued: this.agents.queueLength(acd) + 1,
      cause: 'noAvailableAgents',
      ...call.parties,
    });
  }

  /** ECMA-269 Diverted: the call leaves `from` for `to`; `from` becomes the last redirection device. */
  divert(call: ModelCall, from: string, to: string, cause: EventCause): void {
    const connection = this.conn(call, from);
    const recipients = this.recipients(call);
    call.connections.delete(from);
    this.stateOf(recipients, from, 'null');
    this.sink({
      body: {
        name: 'Diverted',
        connection,
        divertingDevice: deviceId(from),
        newDestination: deviceId(to),
        cause,
        ...call.parties,
      },
      recipients,
    });
    if (this.kinds.get(from) === 'agent') this.agents.setState(from, 'idle');
    call.parties.lastRedirectionDevice = deviceId(from);
  }

  /** ECMA-269 Delivered at an extension: it rings. The agent must be reserved or free. */
  alert(call: ModelCall, agent: string, cause: EventCause): void {
    this.agents.setState(agent, 'alerting');
    this.connect(call, agent, 'alerting');
    this.emit(call, {
      name: 'Delivered',
      connection: this.conn(call, agent),
      alertingDevice: deviceId(agent),
      cause,
      ...call.parties,
    });
  }

  /** ECMA-269 Established: the agent answers. */
  answer(call: ModelCall, agent: string, cause: EventCause): void {
    this.agents.setState(agent, 'connected');
    this.connect(call, agent, 'connected');
    this.emit(call, {
      name: 'Established',
      establishedConnection: this.conn(call, agent),
      answeringDevice: deviceId(agent),
      cause,
      ...call.parties,
    });
  }

  /** ECMA-269 Failed: the destination is busy (the connection there is in the fail state). */
  fail(call: ModelCall, device: string, cause: EventCause): void {
    call.connections.set(device, { device, wireId: device, state: 'fail' });
    this.emit(call, {
      name: 'Failed',
      failedConnection: this.conn(call, device),
      failingDevice: deviceId(device),
      cause,
      ...call.parties,
    });
  }

  /** ECMA-269 Held. */
  hold(call: ModelCall, agent: string, cause: EventCause): void {
    this.agents.setState(agent, 'held');
    this.connect(call, agent, 'hold');
    this.emit(call, {
      name: 'Held',
      heldConnection: this.conn(call, agent),
      holdingDevice: deviceId(agent),
      cause,
    });
  }

  /** ECMA-269 Retrieved. */
  retrieve(call: ModelCall, agent: string, cause: EventCause): void {
    this.agents.setState(agent, 'connected');
    this.connect(call, agent, 'connected');
    this.emit(call, {
      name: 'Retrieved',
      retrievedConnection: this.conn(call, agent),
      retrievingDevice: deviceId(agent),
      cause,
    });
  }

  /**
   * A consultation call from `from` (who holds the original call) to `to`: ServiceInitiated and
   * Originated at `from`, then Delivered at `to`. `to` must be reserved.
   */
  consult(original: ModelCall, from: string, to: string): ModelCall {
    const call: ModelCall = {
      id: this.newCallId(),
      plan: original.plan,
      trunk: original.trunk,
      callerWireId: from,
      parties: {
        callingDevice: deviceId(from),
        calledDevice: deviceId(to),
        lastRedirectionDevice: NOT_REQUIRED,
        networkCallingDevice: deviceId(from),
        networkCalledDevice: deviceId(to),
      },
      connections: new Map(),
      cleared: false,
    };
    this.active.set(call.id, call);
    this.connect(call, from, 'initiated');
    this.emit(call, {
      name: 'ServiceInitiated',
      initiatedConnection: this.conn(call, from),
      initiatingDevice: deviceId(from),
      cause: 'consultation',
    });
    this.connect(call, from, 'connected');
    this.emit(call, {
      name: 'Originated',
      originatedConnection: this.conn(call, from),
      callingDevice: deviceId(from),
      calledDevice: deviceId(to),
      cause: 'consultation',
    });
    this.alert(call, to, 'consultation');
    return call;
  }

  /**
   * ECMA-269 Transfered: `transferring` joins the held call and the consultation call and drops
   * out. Like most switches, the resulting call gets a new call id.
   */
  transfer(held: ModelCall, consultation: ModelCall, transferring: string, transferredTo: string): ModelCall {
    const result: ModelCall = {
      ...held,
      id: this.newCallId(),
      parties: { ...held.parties },
      connections: new Map(),
      cleared: false,
    };
    const moved: Array<{ newConnection: ConnRef; oldConnection: ConnRef; endpoint: string }> = [];
    for (const source of [held, consultation]) {
      for (const c of source.connections.values()) {
        if (c.device === transferring) continue;
        result.connections.set(c.device, { ...c, state: c.state === 'hold' ? 'connected' : c.state });
        moved.push({
          oldConnection: { callId: source.id, deviceId: c.wireId },
          newConnection: { callId: result.id, deviceId: c.wireId },
          endpoint: c.wireId,
        });
      }
    }
    const recipients = [...this.recipients(result), { device: transferring, state: 'null' as const }];
    this.sink({
      body: {
        name: 'Transfered',
        primaryOldCall: this.conn(held, transferring),
        secondaryOldCall: this.conn(consultation, transferring),
        transferringDevice: deviceId(transferring),
        transferredToDevice: deviceId(transferredTo),
        transferredConnections: moved,
        cause: 'transfer',
      },
      recipients,
    });
    for (const old of [held, consultation]) {
      old.cleared = true;
      this.active.delete(old.id);
    }
    this.active.set(result.id, result);
    this.agents.setState(transferring, 'idle');
    return result;
  }

  /**
   * Clears the call: ConnectionCleared for the releasing device first, then for every other party,
   * then CallCleared, each reported to every device that was in the call.
   */
  clear(call: ModelCall, releasing: string, cause: EventCause): void {
    if (call.cleared) return;
    const recipients = this.recipients(call);
    const devices = [...call.connections.keys()];
    const order = [releasing, ...devices.filter((d) => d !== releasing)];
    for (const device of order) {
      const c = call.connections.get(device);
      if (!c) continue;
      const droppedConnection = this.conn(call, device);
      call.connections.delete(device);
      this.stateOf(recipients, device, 'null');
      const releasingDevice = deviceId(c.wireId);
      this.sink({
        body: { name: 'ConnectionCleared', droppedConnection, releasingDevice, cause },
        recipients: recipients.map((r) => ({ ...r })),
      });
    }
    this.sink({ body: { name: 'CallCleared', clearedCall: { callId: call.id }, cause }, recipients });
    this.dispose(call, devices);
  }

  /** Ends a call without a word on the wire (switch restart), freeing what it held. */
  drop(call: ModelCall): void {
    if (call.cleared) return;
    this.dispose(call);
  }

  /** Forgets every call and queue (switch restart). */
  reset(): void {
    for (const call of [...this.active.values()]) this.dispose(call);
    this.agents.reset();
  }

  /** Forgets the call and frees its agents (those of `devices`, by default its connections). */
  private dispose(call: ModelCall, devices = [...call.connections.keys()]): void {
    call.cleared = true;
    this.active.delete(call.id);
    this.agents.forgetWaitsOf(call.id);
    call.connections.clear();
    for (const device of devices)
      if (this.kinds.get(device) === 'agent') this.agents.setState(device, 'idle');
    const stillUsed = [...this.active.values()].some((c) => c.trunk === call.trunk);
    if (!stillUsed && !this.freeTrunks.includes(call.trunk)) this.freeTrunks.push(call.trunk);
  }

  // ── Helpers ───────────────────────────────────────────────────────────────────────────────

  private newCallId(): string {
    return String(this.nextCallId++);
  }

  private connect(call: ModelCall, device: string, state: LocalConnectionState): void {
    const existing = call.connections.get(device);
    if (existing) existing.state = state;
    else call.connections.set(device, { device, wireId: device, state });
  }

  private conn(call: ModelCall, device: string): ConnRef {
    return { callId: call.id, deviceId: call.connections.get(device)?.wireId ?? device };
  }

  private recipients(call: ModelCall): Recipient[] {
    return [...call.connections.values()].map((c) => ({ device: c.device, state: c.state }));
  }

  private stateOf(recipients: Recipient[], device: string, state: LocalConnectionState): void {
    for (const r of recipients) if (r.device === device) r.state = state;
  }

  private emit(call: ModelCall, body: CallEventBody): void {
    this.sink({ body, recipients: this.recipients(call) });
  }
}
