/**
 * A CSTA switching function (a fake PBX) speaking ECMA-323 XML over TCP or TLS, for integration
 * tests, demos and benchmarks of CTI servers. It listens (the usual deployment: the CTI server
 * connects to the switch) or connects (when the CTI server listens), serves several clients at
 * once, models a small contact-centre switch (agents, ACD groups, route points, trunks), and has
 * switches for the faults a real link shows.
 *
 *   const sim = new CstaSimulator({ identifiers: 'e164' });
 *   const { port } = await sim.listen({ port: 0 });
 *   … the client starts a session and monitors …
 *   const call = sim.placeCall({ ani: '+33612345678', dnis: '+33140000000', talkMs: 50 });
 *   await call.done;
 */
import { EventEmitter, setMaxListeners } from 'node:events';
import type { Server, Socket } from 'node:net';
import { type CallOutcome, type CallPlan, type PlaceCallOptions, planFromOptions } from './call-plan.js';
import { type CallContext, type StartedCall, startInboundCall } from './call-script.js';
import { ClientHub } from './clients.js';
import type { ClientConnection } from './connection.js';
import { SimulatorError } from './errors.js';
import { encodeFrame, UNSOLICITED_INVOKE_ID } from './frames.js';
import { DeviceNaming } from './identifiers.js';
import { LatencyRing } from './latency.js';
import { MonitorRegistry } from './monitors.js';
import { resolveOptions, type SimConfig, type SimulatorOptions } from './options.js';
import { RoutingService } from './routing.js';
import { ServiceHandler } from './services.js';
import { type SimulatorStats, StatsCounters } from './stats.js';
import { SwitchModel } from './switch-model.js';
import { nowMs, Timers } from './timers.js';
import { type TrafficHandle, type TrafficOptions, TrafficPlanner, TrafficRun } from './traffic.js';
import {
  type BoundAddress,
  type ConnectOptions,
  closeListener,
  dial,
  type ListenOptions,
  openListener,
} from './transport.js';
import { type AgentStateEventName, renderAgentEvent } from './xml-events.js';
import { ServiceTemplates, type SystemStatusValue } from './xml-services.js';

export interface ClientInfo {
  id: number;
  remoteAddress: string;
}

/** Events for tests (node:events, typed). */
export type SimulatorEvents = {
  'client-connected': [ClientInfo];
  'client-disconnected': [ClientInfo];
  /** Every document a client sent, by root element name, with the frame's invoke id. */
  request: [{ clientId: number; type: string; invokeId: string | undefined }];
  'route-request': [{ crossRefId: string; callId: string; routePoint: string; clientId: number }];
  'route-select': [{ crossRefId: string; routeSelected: string; latencyMs: number; clientId: number }];
  'route-timeout': [{ crossRefId: string; callId: string }];
  'call-placed': [{ callId: string; plan: CallPlan }];
  'call-ended': [CallOutcome];
  /** A call started ringing at a device (Delivered sent), with performance.now() at that moment. */
  delivered: [{ callId: string; device: string | undefined; at: number }];
  'session-expired': [ClientInfo];
  /** Something a client sent that a switch would not accept (bad frame, bad XML, invoke id 9999…). */
  'protocol-error': [{ clientId: number; message: string }];
  restarted: [];
};

export interface PlacedCall {
  callId: string;
  done: Promise<CallOutcome>;
}

export interface RestartOptions {
  /** Time the switch stays down (default: the `restartDelayMs` option). */
  delayMs?: number;
}

type Mode =
  | { kind: 'idle' }
  | { kind: 'listen'; opts: ListenOptions; server: Server | undefined; address: BoundAddress }
  | { kind: 'connect'; opts: ConnectOptions };

/** Grace given to a socket to flush its last bytes (SystemStatus) before it is destroyed. */
const FLUSH_GRACE_MS = 200;

export class CstaSimulator extends EventEmitter<SimulatorEvents> {
  readonly config: SimConfig;
  private readonly templates: ServiceTemplates;
  /** Timers of the switch's own life: cleared by restart() and close(). */
  private readonly switchTimers = new Timers();
  /** Timers outside the switch (traffic, redial, socket grace): cleared by close() only. */
  private readonly outsideTimers = new Timers();
  private readonly counters: StatsCounters;
  private readonly model: SwitchModel;
  private readonly monitors = new MonitorRegistry();
  private readonly routing: RoutingService;
  private readonly services: ServiceHandler;
  private readonly hub: ClientHub;
  private readonly traffic = new Set<TrafficRun>();
  /** Aborted by restart() and close(): every call script stops where it is. */
  private epoch = newEpoch();
  /** Aborted by close(): ends the waits of restart() and of the dialler. */
  private readonly lifetime = new AbortController();
  private mode: Mode = { kind: 'idle' };
  private closed = false;
  private down = false;
  private announceNormal = false;

  constructor(options: SimulatorOptions = {}) {
    super();
    const c = resolveOptions(options);
    this.config = c;
    const naming = new DeviceNaming({
      style: c.identifiers,
      countryCode: c.countryCode,
      nationalPrefix: c.nationalPrefix,
      internationalPrefix: c.internationalPrefix,
    });
    this.templates = new ServiceTemplates(c.namespaces);
    this.counters = new StatsCounters(new LatencyRing(c.latencySamples));
    this.model = new SwitchModel(
      c.devices,
      naming,
      (e) => {
        this.monitors.deliver(e, c.namespaces.csta, this.counters);
        // For measurements (the screen pop benchmark): when a call started ringing where.
        if (e.body.name === 'Delivered' && this.listenerCount('delivered') > 0) {
          const d = e.body.alertingDevice;
          this.emit('delivered', {
            callId: e.body.connection.callId,
            device: d.kind === 'id' ? d.id : undefined,
            at: performance.now(),
          });
        }
      },
      c.callIdStart,
    );
    this.routing = new RoutingService({
      templates: this.templates,
      timers: this.switchTimers,
      model: this.model,
      stats: this.counters,
      replyTimeoutMs: c.replyTimeoutMs,
      hooks: {
        routeRequest: (i) => this.emit('route-request', i),
        routeSelect: (i) => this.emit('route-select', i),
        routeTimeout: (i) => this.emit('route-timeout', i),
      },
    });
    this.services = new ServiceHandler({
      config: c,
      templates: this.templates,
      model: this.model,
      monitors: this.monitors,
      routing: this.routing,
      stats: this.counters,
      timers: this.switchTimers,
      sessionExpired: (conn) => {
        this.emit('session-expired', info(conn));
        conn.destroy();
      },
      received: (conn, type, invokeId) => this.emit('request', { clientId: conn.id, type, invokeId }),
      protocolError: (conn, message) => this.emit('protocol-error', { clientId: conn.id, message }),
    });
    this.hub = new ClientHub(c.framing, c.maxFrameBytes, {
      frame: (conn, frame) => this.services.handleFrame(conn, frame),
      framingError: (conn, error) => {
        this.counters.framingErrors++;
        this.emit('protocol-error', { clientId: conn.id, message: error.message });
      },
      opened: (conn) => this.opened(conn),
      closed: (conn) => this.closedConnection(conn),
    });
  }

  // ── Transport ─────────────────────────────────────────────────────────────────────────────

  /** Listens for CTI servers (default 127.0.0.1, a free port); resolves with the bound address. */
  async listen(opts: ListenOptions = {}): Promise<BoundAddress> {
    this.assertIdle();
    const { server, address } = await openListener(opts, (s) => this.accept(s));
    this.mode = { kind: 'listen', opts, server, address };
    this.startStatusTimer();
    return address;
  }

  /** Dials a listening CTI server, and dials again whenever the connection drops. */
  async connect(opts: ConnectOptions): Promise<void> {
    this.assertIdle();
    this.mode = { kind: 'connect', opts };
    this.startStatusTimer();
    await this.dialUntilConnected(opts);
  }

  /** Where the simulator listens (undefined in connect mode or before listen()). */
  get address(): BoundAddress | undefined {
    return this.mode.kind === 'listen' ? this.mode.address : undefined;
  }

  get clients(): ClientInfo[] {
    return this.hub.list.map(info);
  }

  /** Stops everything: traffic, calls, timers, connections, listener. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lifetime.abort();
    for (const run of this.traffic) run.stop();
    this.halt();
    this.outsideTimers.clearAll();
    this.hub.destroyAll();
    if (this.mode.kind === 'listen' && this.mode.server) await closeListener(this.mode.server);
  }

  // ── Calls ─────────────────────────────────────────────────────────────────────────────────

  /**
   * An agent at `device` changes state at their phone (logs on, becomes ready, goes not ready…):
   * the switch reports it to the device's monitors (ECMA-269 logical device feature events).
   */
  agentState(device: string, event: AgentStateEventName, agentId?: string, cause?: string): void {
    for (const m of this.monitors.forDevice(device)) {
      m.owner.send(
        renderAgentEvent(this.config.namespaces.csta, m.crossRefId, event, device, agentId, cause),
        UNSOLICITED_INVOKE_ID,
      );
    }
  }

  /** Places one inbound call; `done` resolves with its outcome once it has cleared. */
  placeCall(options: PlaceCallOptions): PlacedCall {
    const plan = planFromOptions(options);
    if (plan.entry !== undefined && this.model.kindOf(plan.entry) === undefined) {
      throw new SimulatorError('SIM_UNKNOWN_DEVICE', `${plan.entry} is not a device of the switch`);
    }
    return this.start(plan);
  }

  /** Starts generated traffic; see TrafficOptions for the ratios and ranges. */
  startTraffic(options: TrafficOptions): TrafficHandle {
    if (this.closed) throw new SimulatorError('SIM_NOT_RUNNING', 'the simulator is closed');
    const run = new TrafficRun(
      new TrafficPlanner(options),
      options,
      (ms, fn) => this.outsideTimers.after(ms, fn),
      nowMs,
      (plan) => this.tryStart(plan),
    );
    this.traffic.add(run);
    void run.finished.then(() => this.traffic.delete(run));
    return run.start();
  }

  /** Makes an agent busy (or free) for reasons outside the simulated calls: calls to it fail. */
  setDeviceBusy(device: string, busy: boolean): void {
    this.model.agents.setExternalBusy(device, busy);
  }

  get activeCalls(): number {
    return this.model.activeCalls;
  }

  get monitorCount(): number {
    return this.monitors.size;
  }

  get registrationCount(): number {
    return this.routing.registrationCount;
  }

  /** Sends SystemStatus (ECMA-269) to every client. */
  sendSystemStatus(status: SystemStatusValue): void {
    this.hub.broadcast(this.templates.systemStatus(status));
  }

  // ── Faults ────────────────────────────────────────────────────────────────────────────────

  /** Destroys every client socket at once (in connect mode the switch dials again). */
  dropAll(): void {
    this.hub.destroyAll();
  }

  /**
   * Reboots the switch: SystemStatus `initializing` to every client, then connections and
   * listener close; calls, monitors, registrations and sessions are forgotten. After the delay
   * the switch listens (or dials) again and greets each new connection with SystemStatus `normal`.
   */
  async restart(options: RestartOptions = {}): Promise<void> {
    if (this.closed || this.down) return;
    this.down = true;
    this.sendSystemStatus('initializing');
    this.halt();
    this.hub.closeGently(this.outsideTimers, FLUSH_GRACE_MS);
    const mode = this.mode;
    if (mode.kind === 'listen' && mode.server) {
      await closeListener(mode.server);
      mode.server = undefined;
    }
    await this.pause(options.delayMs ?? this.config.restartDelayMs);
    if (this.closed) return;
    this.announceNormal = true;
    this.down = false;
    this.startStatusTimer();
    if (mode.kind === 'listen') {
      const again = { ...mode.opts, host: mode.address.host, port: mode.address.port };
      mode.server = (await openListener(again, (s) => this.accept(s))).server;
    } else if (mode.kind === 'connect') {
      void this.dialUntilConnected(mode.opts);
    }
    this.emit('restarted');
  }

  /** Writes bytes as they are to every client (malformed XML, bad headers: see `malformed`). */
  sendRaw(bytes: Buffer | string): void {
    this.hub.sendRaw(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  /** Sends half of a SystemStatus frame to every client, then holds every later byte. */
  sendHalfFrameAndStall(): void {
    const xml = this.templates.systemStatus('normal');
    this.hub.stallAfterHalf(
      encodeFrame(this.config.framing, Buffer.from(xml, 'utf8'), UNSOLICITED_INVOKE_ID),
    );
  }

  /** Ends the stall: the rest of the frame and every held byte go out. */
  unstall(): void {
    this.hub.unstall();
  }

  /** Stops reading from clients (TCP back-pressure reaches them; requests wait unanswered). */
  pauseReading(): void {
    this.hub.pauseReading();
  }

  resumeReading(): void {
    this.hub.resumeReading();
  }

  // ── Counters ──────────────────────────────────────────────────────────────────────────────

  stats(): SimulatorStats {
    return this.counters.snapshot();
  }

  resetStats(): void {
    this.counters.reset();
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────

  private assertIdle(): void {
    if (this.closed) throw new SimulatorError('SIM_NOT_RUNNING', 'the simulator is closed');
    if (this.mode.kind !== 'idle') {
      throw new SimulatorError('SIM_BAD_OPTION', 'the simulator already listens or connects');
    }
  }

  private start(plan: CallPlan): StartedCall {
    if (this.closed) throw new SimulatorError('SIM_NOT_RUNNING', 'the simulator is closed');
    const ctx: CallContext = {
      model: this.model,
      router: this.routing,
      timers: this.switchTimers,
      ringNoAnswerMs: this.config.ringNoAnswerMs,
      busyToneMs: this.config.busyToneMs,
      signal: this.epoch.signal,
    };
    let started: StartedCall;
    try {
      started = startInboundCall(ctx, plan);
    } catch (err) {
      if (err instanceof SimulatorError && err.code === 'SIM_NO_TRUNK') this.counters.callsBlocked++;
      throw err;
    }
    this.counters.callsPlaced++;
    this.emit('call-placed', { callId: started.callId, plan });
    const done = started.done.then((outcome) => {
      if (outcome.result === 'answered') this.counters.callsAnswered++;
      else if (outcome.result === 'abandoned') this.counters.callsAbandoned++;
      else if (outcome.result === 'failed') this.counters.callsFailed++;
      this.emit('call-ended', outcome);
      return outcome;
    });
    return { callId: started.callId, done };
  }

  /** A traffic call: undefined when every trunk is seized (counted as blocked). */
  private tryStart(plan: CallPlan): Promise<CallOutcome> | undefined {
    try {
      return this.start(plan).done;
    } catch (err) {
      if (err instanceof SimulatorError && err.code === 'SIM_NO_TRUNK') return undefined;
      throw err;
    }
  }

  /** Stops the switch's own activity: call scripts, timers, calls, monitors, registrations. */
  private halt(): void {
    this.epoch.abort();
    this.epoch = newEpoch();
    this.switchTimers.clearAll();
    this.model.reset();
    this.monitors.reset();
    this.routing.reset();
    this.hub.clearSessions();
  }

  private startStatusTimer(): void {
    const every = this.config.systemStatusIntervalMs;
    if (every > 0) this.switchTimers.every(every, () => this.sendSystemStatus('normal'));
  }

  private async dialUntilConnected(opts: ConnectOptions): Promise<void> {
    while (!this.closed && !this.down) {
      try {
        this.accept(await dial(opts));
        return;
      } catch {
        await this.pause(opts.reconnectDelayMs ?? 1000);
      }
    }
  }

  /** Waits `ms`, or less if the simulator closes meanwhile. */
  private pause(ms: number): Promise<void> {
    const signal = this.lifetime.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleep = this.outsideTimers.sleep(ms);
      const onClose = () => {
        sleep.cancel();
        resolve();
      };
      signal.addEventListener('abort', onClose, { once: true });
      void sleep.promise.then(() => {
        signal.removeEventListener('abort', onClose);
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.closed || this.down) socket.destroy();
    else this.hub.adopt(socket);
  }

  private opened(conn: ClientConnection): void {
    this.counters.connectionsAccepted++;
    this.emit('client-connected', info(conn));
    if (this.announceNormal) conn.send(this.templates.systemStatus('normal'), UNSOLICITED_INVOKE_ID);
  }

  private closedConnection(conn: ClientConnection): void {
    this.monitors.dropOwner(conn);
    this.routing.dropClient(conn);
    this.emit('client-disconnected', info(conn));
    const mode = this.mode;
    if (mode.kind === 'connect' && !this.closed && !this.down) {
      const delay = mode.opts.reconnectDelayMs ?? 1000;
      this.outsideTimers.after(delay, () => void this.dialUntilConnected(mode.opts));
    }
  }
}

/** Each call in progress listens to the epoch's signal: thousands at a time under load. */
function newEpoch(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

function info(conn: ClientConnection): ClientInfo {
  return { id: conn.id, remoteAddress: conn.remoteAddress };
}
