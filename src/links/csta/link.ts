/**
 * A CSTA link: Relais as the computing function of one switch, over TCP or TLS, as client (the
 * usual deployment) or server. It owns the connection's life; the session owns the protocol.
 *
 *   stopped ──start──▶ connecting ──▶ starting ──▶ up
 *                          ▲              │         │
 *                          └── waiting ◀──┴─────────┘  (drop, refusal, keep-alive timeout)
 *
 * MUST-rules:
 * 1. After every (re)connection the link re-establishes, by itself and in this order, the
 *    application session (if configured), every monitor and every routing registration. Until
 *    then nothing else is sent (the session is not `up`).
 * 2. A lost connection is retried with exponential backoff; the attempt counter resets once the
 *    link is `up` again.
 * 3. A keep-alive request goes out every `keepAliveSeconds`; an unanswered one resets the
 *    connection (a switch that went silent, or a half frame that never completes).
 * 4. Nothing the switch sends can stop the process: protocol problems are logged with the peer,
 *    counted, and the frame dropped (or the connection reset when the framing is lost).
 */
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { CstaLinkConfig } from '../../config/links.js';
import type { AgentStateReport, ReportedAgentState } from '../../model/agent.js';
import type { CallEvent, RouteQuery, Router } from '../../model/call.js';
import type { Connector } from '../transport/connector.js';
import { CallMapper, type DeviceKind } from './call-mapper.js';
import { CSTA_NAMESPACES, deviceKey } from './codec/index.js';
import { framingByName } from './framing/index.js';
import type { LinkMetrics } from './link-metrics.js';
import type { CstaEventName, CstaMessage } from './messages.js';
import { RoutingService } from './routing-service.js';
import { CstaError, CstaSession, type SessionProblem } from './session.js';

export type CstaLinkState = 'stopped' | 'connecting' | 'starting' | 'up' | 'waiting';

export interface CstaLinkStatus {
  name: string;
  state: CstaLinkState;
  peer: string | undefined;
  monitors: number;
  registrations: number;
  since: number;
}

export interface CstaLinkDeps {
  config: CstaLinkConfig;
  /** Client mode: how to reach the switch. Server mode: undefined, sockets come through `accept`. */
  connector: Connector | undefined;
  backoff: (attempt: number) => number;
  ingest: (event: CallEvent) => void;
  router: Router;
  logger: Logger;
  metrics: LinkMetrics;
  clock?: () => number;
  /** Agent state events of monitored devices (logged on, ready, not ready…). */
  onAgentState?: (r: AgentStateReport) => void;
}

/** ECMA-269 logical device feature events → the agent state they report. */
const AGENT_STATES: Partial<Record<CstaEventName, ReportedAgentState>> = {
  AgentLoggedOn: 'logged_on',
  AgentLoggedOff: 'logged_off',
  AgentReady: 'ready',
  AgentNotReady: 'not_ready',
  AgentBusy: 'busy',
  AgentWorkingAfterCall: 'wrap_up',
};

export class CstaLink {
  readonly #d: CstaLinkDeps;
  readonly #log: Logger;
  readonly #mapper: CallMapper;
  readonly #routing: RoutingService;
  #state: CstaLinkState = 'stopped';
  #since = Date.now();
  #peer: string | undefined;
  #session: CstaSession | undefined;
  #monitors = new Map<string, string>(); // monitorCrossRefId → device
  #registrations = new Map<string, string>(); // routeRegisterReqId → device
  #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(deps: CstaLinkDeps) {
    this.#d = deps;
    this.#log = deps.logger.child({ link: deps.config.name });
    const kinds = new Map<string, DeviceKind>(
      deps.config.devices.map((d) => [deviceKey({ id: d.id }), d.kind]),
    );
    for (const r of deps.config.routing.devices) kinds.set(deviceKey({ id: r }), 'routePoint');
    this.#mapper = new CallMapper({ link: deps.config.name, deviceKinds: kinds });
    this.#routing = new RoutingService({
      link: deps.config.name,
      router: deps.router,
      decisionTimeoutMs: deps.config.routing.decisionTimeoutMs,
      queueWaitMs: deps.config.routing.queueWaitMs,
      fallback: deps.config.routing.fallback ?? deps.config.routing.default,
      send: (msg) => this.#session?.send(msg),
      observe: (q) => this.#observeRouted(q),
      onAnswered: (result, seconds) => {
        deps.metrics.routeRequests.inc({ link: deps.config.name, result });
        deps.metrics.routeDecisionSeconds.observe({ link: deps.config.name }, seconds);
      },
      onError: (err) => this.#log.warn({ err }, 'routing decision failed; answered with the fallback'),
    });
  }

  get name(): string {
    return this.#d.config.name;
  }

  status(): CstaLinkStatus {
    return {
      name: this.name,
      state: this.#state,
      peer: this.#peer,
      monitors: this.#monitors.size,
      registrations: this.#registrations.size,
      since: this.#since,
    };
  }

  /** Client mode: starts the connect loop (returns at once). */
  start(): void {
    if (this.#loop || !this.#d.connector) return;
    this.#abort = new AbortController();
    this.#loop = this.#run(this.#d.connector);
  }

  /** Server mode: serves one connection the switch opened; resolves when it ends. */
  async accept(socket: Duplex, peer: string): Promise<void> {
    if (this.#session?.isOpen) {
      this.#log.warn({ peer }, 'a second switch connection replaces the first');
      this.#session.close('replaced by a new connection from the switch');
    }
    await this.#serve(socket, peer);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    this.#session?.close('link stopped');
    await this.#loop;
    this.#loop = undefined;
    this.#setState('stopped');
  }

  async #run(connector: Connector): Promise<void> {
    let attempt = 0;
    while (!this.#abort.signal.aborted) {
      this.#setState('connecting');
      let socket: Duplex;
      try {
        socket = await connector.connect(this.#abort.signal);
      } catch (err) {
        if (this.#abort.signal.aborted) break;
        this.#log.warn(
          { err: errText(err), peer: connector.description, attempt },
          'cannot reach the switch',
        );
        await this.#sleep(this.#d.backoff(attempt++));
        continue;
      }
      const wasUp = await this.#serve(socket, connector.description);
      if (wasUp) attempt = 0;
      if (!this.#abort.signal.aborted) await this.#sleep(this.#d.backoff(attempt++));
    }
  }

  /** Runs one connection to its end. Returns whether it reached `up`. */
  async #serve(socket: Duplex, peer: string): Promise<boolean> {
    const name = this.name;
    const c = this.#d.config;
    this.#peer = peer;
    const session = new CstaSession(socket, {
      framing:
        framingByName(c.framing) ??
        (framingByName('header') as NonNullable<ReturnType<typeof framingByName>>),
      maxFrameBytes: c.maxFrameBytes,
      namespace: CSTA_NAMESPACES[c.namespace],
      requestTimeoutMs: c.requestTimeoutMs,
      onMessage: (msg, invokeId) => this.#onMessage(msg, invokeId),
      onProblem: (p) => this.#onProblem(p),
      onTraffic: (direction, type) => this.#d.metrics.messages.inc({ link: name, direction, type }),
    });
    this.#session = session;
    this.#d.metrics.connects.inc({ link: name });
    this.#log.info({ peer }, 'connected to the switch');
    let up = false;
    let keepAlive: NodeJS.Timeout | undefined;
    try {
      this.#setState('starting');
      const appSession = await this.#establish(session);
      up = true;
      this.#setState('up');
      keepAlive = setInterval(() => this.#keepAlive(session, appSession), c.keepAliveSeconds * 1000);
    } catch (err) {
      if (session.isOpen) {
        this.#log.warn({ err: errText(err), peer }, 'link set-up failed; resetting the connection');
        session.close('set-up failed');
      }
    }
    const reason = await session.closed;
    clearInterval(keepAlive);
    this.#monitors.clear();
    this.#registrations.clear();
    this.#routing.reset();
    this.#d.metrics.disconnects.inc({ link: name });
    if (this.#session === session) {
      this.#session = undefined;
      this.#setState(this.#abort.signal.aborted ? 'stopped' : 'waiting');
    }
    this.#log.warn(
      { peer, reason: reason ? errText(reason) : 'closed by the peer' },
      'switch connection ended',
    );
    return up;
  }

  /** Rule 1: application session, monitors, routing registrations. Returns the session id, if any. */
  async #establish(session: CstaSession): Promise<string | undefined> {
    const c = this.#d.config;
    let sessionId: string | undefined;
    if (c.applicationSession) {
      const r = await session.request({
        type: 'StartApplicationSession',
        applicationId: c.applicationSession.applicationId,
        protocolVersions: [CSTA_NAMESPACES[c.namespace]],
        sessionDuration: c.applicationSession.durationSeconds,
      });
      if (r.type !== 'StartApplicationSessionPosResponse')
        throw new Error(`application session refused (${r.type})`);
      sessionId = r.sessionId;
    }
    for (const d of c.devices) {
      const r = await this.#refusable(
        session.request({ type: 'MonitorStart', device: d.id, monitorType: 'device' }),
        d.id,
      );
      if (r?.type === 'MonitorStartResponse') this.#monitors.set(r.monitorCrossRefId, d.id);
    }
    for (const device of c.routing.devices) {
      const r = await this.#refusable(
        session.request({ type: 'RouteRegister', routingDevice: device }),
        device,
      );
      if (r?.type === 'RouteRegisterResponse') this.#registrations.set(r.routeRegisterReqId, device);
    }
    this.#log.info({ monitors: this.#monitors.size, registrations: this.#registrations.size }, 'link up');
    return sessionId;
  }

  /**
   * A device the switch refuses (unknown, not licensed) must not keep the others down: the refusal
   * is logged and counted, and the link goes on. No answer at all still fails the set-up.
   */
  async #refusable(request: Promise<CstaMessage>, device: string): Promise<CstaMessage | undefined> {
    try {
      return await request;
    } catch (err) {
      if (!(err instanceof CstaError)) throw err;
      this.#log.error(
        { device, refusal: `${err.category}/${err.value}`, request: err.request },
        'the switch refused a device',
      );
      this.#d.metrics.problems.inc({ link: this.name, kind: 'refused', code: err.value });
      return undefined;
    }
  }

  #keepAlive(session: CstaSession, sessionId: string | undefined): void {
    const c = this.#d.config;
    const req: CstaMessage =
      sessionId !== undefined && c.applicationSession
        ? {
            type: 'ResetApplicationSessionTimer',
            sessionId,
            sessionDuration: c.applicationSession.durationSeconds,
          }
        : { type: 'SystemStatus', status: 'normal' };
    session.request(req).catch((err) => {
      if (!session.isOpen) return;
      this.#log.warn({ err: errText(err) }, 'keep-alive unanswered; resetting the connection');
      this.#d.metrics.problems.inc({ link: this.name, kind: 'keep-alive', code: 'timeout' });
      session.close('keep-alive unanswered');
    });
  }

  #onMessage(msg: CstaMessage, invokeId: string | undefined): void {
    switch (msg.type) {
      case 'Event': {
        const at = this.#d.clock?.() ?? Date.now();
        const agentState = AGENT_STATES[msg.event.name];
        if (agentState !== undefined) {
          const e = msg.event;
          this.#d.onAgentState?.({
            link: this.name,
            device: e.subjectDevice === undefined ? undefined : deviceKey(e.subjectDevice),
            agentId: e.agentId,
            state: agentState,
            reason: e.cause,
            at,
          });
          return;
        }
        for (const e of this.#mapper.map(msg.event, at)) this.#d.ingest(e);
        return;
      }
      case 'SystemStatus':
        // ECMA-269 §11.1.4: the switch reports its status; acknowledge with its invoke id.
        this.#session?.send({ type: 'SystemStatusResponse' }, invokeId);
        if (msg.status !== 'normal') this.#log.warn({ status: msg.status }, 'switch reports a system status');
        return;
      case 'RouteRegisterAbort': {
        const device = this.#registrations.get(msg.routeRegisterReqId);
        this.#registrations.delete(msg.routeRegisterReqId);
        if (device !== undefined) void this.#reregister(device);
        return;
      }
      default:
        if (this.#routing.handle(msg)) return;
        this.#d.metrics.problems.inc({ link: this.name, kind: 'unhandled', code: msg.type });
        this.#log.debug({ type: msg.type }, 'message not handled');
    }
  }

  async #reregister(device: string): Promise<void> {
    try {
      const r = await this.#session?.request({ type: 'RouteRegister', routingDevice: device });
      if (r?.type === 'RouteRegisterResponse') this.#registrations.set(r.routeRegisterReqId, device);
    } catch (err) {
      this.#log.warn({ err: errText(err), device }, 'cannot register the routing device again');
    }
  }

  /** A routed call is a call: the tracker follows it from the routing request on. */
  #observeRouted(q: RouteQuery): void {
    this.#d.ingest({
      type: 'offered',
      callId: q.callId,
      link: q.link,
      at: q.at,
      ani: q.ani,
      dnis: q.dnis,
      device: q.device,
    });
  }

  #onProblem(p: SessionProblem): void {
    const code = 'code' in p ? p.code : p.kind;
    this.#d.metrics.problems.inc({ link: this.name, kind: p.kind, code });
    // A RouteSelect refused because the caller hung up meanwhile is a late route, not a fault.
    if (p.kind === 'refused')
      this.#log.info({ peer: this.#peer, problem: p }, 'the switch refused a message');
    else this.#log.warn({ peer: this.#peer, problem: p }, 'protocol problem');
  }

  #setState(state: CstaLinkState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#since = Date.now();
    this.#d.metrics.up.set({ link: this.name }, state === 'up' ? 1 : 0);
  }

  #sleep(ms: number): Promise<void> {
    this.#setState('waiting');
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.#wake = done;
    });
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
