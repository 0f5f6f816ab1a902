/**
 * Answers what a client asks: ECMA-354 application session, ECMA-269 monitoring, status,
 * routeing registrations and selections, snapshot. Every answer carries the request's invoke id;
 * refusals are CSTAErrorCode (ECMA-323) or the ECMA-354 negative responses.
 */
import type { ClientConnection } from './connection.js';
import { type ReceivedFrame, UNSOLICITED_INVOKE_ID } from './frames.js';
import type { MonitorRegistry } from './monitors.js';
import type { SimConfig } from './options.js';
import { type ClientMessage, parseClientMessage } from './requests.js';
import type { RoutingService } from './routing.js';
import type { StatsCounters } from './stats.js';
import type { SwitchModel } from './switch-model.js';
import type { Timers } from './timers.js';
import { readXml, type XmlNode } from './xml-reader.js';
import type { CstaError, ServiceTemplates } from './xml-services.js';

type Msg<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

export interface ServiceDeps {
  config: SimConfig;
  templates: ServiceTemplates;
  model: SwitchModel;
  monitors: MonitorRegistry;
  routing: RoutingService;
  stats: StatsCounters;
  timers: Timers;
  /** The session timer ran out (ECMA-354): the switch drops the connection. */
  sessionExpired(conn: ClientConnection): void;
  /** Every document received, by root element name. */
  received(conn: ClientConnection, type: string, invokeId: string | undefined): void;
  /** Something no switch would accept (bad XML, a request with invoke id 9999). */
  protocolError(conn: ClientConnection, message: string): void;
}

/** Placeholder invoke id of answers with the NUL framing, which carries none. */
const NO_INVOKE_ID = '0000';

/** Requests a client may send before its application session is up (`requireSession`). */
const SESSIONLESS = new Set<ClientMessage['type']>([
  'StartApplicationSession',
  'StopApplicationSession',
  'ResetApplicationSessionTimer',
  'SystemStatusResponse',
]);

export class ServiceHandler {
  private nextSession = 1;

  constructor(private readonly deps: ServiceDeps) {}

  /** Reads one received document and answers it. */
  handleFrame(conn: ClientConnection, frame: ReceivedFrame): void {
    const invokeId = frame.invokeId ?? NO_INVOKE_ID;
    let root: XmlNode;
    try {
      root = readXml(new TextDecoder('utf-8', { fatal: true }).decode(frame.payload));
    } catch (err) {
      this.deps.stats.malformedMessages++;
      this.deps.protocolError(conn, `malformed document: ${(err as Error).message}`);
      this.deps.stats.errorsSent++;
      conn.send(this.deps.templates.errorCode({ category: 'operation', value: 'generic' }), invokeId);
      return;
    }
    const msg = parseClientMessage(root);
    this.deps.stats.request(root.name);
    this.deps.received(conn, root.name, frame.invokeId);
    if (frame.invokeId === UNSOLICITED_INVOKE_ID && msg.type !== 'SystemStatusResponse') {
      this.deps.protocolError(conn, `${root.name} sent with the unsolicited invoke id 9999`);
    }
    this.handle(conn, msg, invokeId);
  }

  handle(conn: ClientConnection, msg: ClientMessage, invokeId: string): void {
    const reply = (xml: string) => conn.send(xml, invokeId);
    const refuse = (error: CstaError) => {
      this.deps.stats.errorsSent++;
      reply(this.deps.templates.errorCode(error));
    };
    if (this.deps.config.requireSession && !conn.session && !SESSIONLESS.has(msg.type)) {
      refuse({ category: 'operation', value: 'securityViolation' });
      return;
    }
    const error = this.dispatch(conn, msg, reply);
    if (error) refuse(error);
  }

  /** Handles one message; returns the error to refuse it with, if any. */
  private dispatch(
    conn: ClientConnection,
    msg: ClientMessage,
    reply: (xml: string) => void,
  ): CstaError | undefined {
    const { templates, routing } = this.deps;
    switch (msg.type) {
      case 'StartApplicationSession':
        reply(this.startSession(conn, msg));
        return undefined;
      case 'ResetApplicationSessionTimer':
        reply(this.resetSession(conn, msg));
        return undefined;
      case 'StopApplicationSession':
        reply(this.stopSession(conn, msg));
        return undefined;
      case 'MonitorStart':
        return this.monitorStart(conn, msg, reply);
      case 'MonitorStop':
        if (msg.monitorCrossRefId === undefined || !this.deps.monitors.stop(conn, msg.monitorCrossRefId)) {
          return { category: 'operation', value: 'invalidMonitorCrossReferenceID' };
        }
        reply(templates.monitorStopResponse());
        return undefined;
      case 'SnapshotDevice':
        return this.snapshot(msg, reply);
      case 'SystemStatus':
        reply(templates.systemStatusResponse());
        return undefined;
      case 'SystemStatusResponse':
        return undefined;
      case 'RouteRegister':
        return this.routeRegister(conn, msg, reply);
      case 'RouteRegisterCancel':
        if (
          msg.routeRegisterReqId === undefined ||
          !routing.cancelRegistration(conn, msg.routeRegisterReqId)
        ) {
          return { category: 'operation', value: 'invalidRouteRegistrationCrossReferenceID' };
        }
        reply(templates.routeRegisterCancelResponse());
        return undefined;
      case 'RouteSelect':
        // ECMA-269: RouteSelect has no positive acknowledgement; only errors are answered.
        return routing.onRouteSelect(conn, msg);
      case 'RouteEnd':
        routing.onRouteEnd(conn, msg);
        return undefined;
      case 'Unknown':
        return { category: 'operation', value: 'serviceNotSupported' };
    }
  }

  // ── ECMA-354 application session ─────────────────────────────────────────────────────────

  private startSession(conn: ClientConnection, msg: Msg<'StartApplicationSession'>): string {
    const { templates } = this.deps;
    const version = this.chooseVersion(msg.protocolVersions);
    if (version === undefined) return templates.startSessionNeg('unsupportedProtocolVersion');
    conn.session?.stopTimer();
    const durationSec = this.grant(msg.sessionDuration);
    const id = `sim-session-${this.nextSession++}`;
    conn.session = { id, durationSec, stopTimer: this.armTimer(conn, durationSec) };
    return templates.startSessionPos(id, version, durationSec);
  }

  private resetSession(conn: ClientConnection, msg: Msg<'ResetApplicationSessionTimer'>): string {
    const { templates } = this.deps;
    const session = conn.session;
    if (!session || (msg.sessionId !== undefined && msg.sessionId !== session.id)) {
      return templates.resetTimerNeg('invalidSessionID');
    }
    session.stopTimer();
    session.durationSec =
      msg.sessionDuration === undefined ? session.durationSec : this.grant(msg.sessionDuration);
    session.stopTimer = this.armTimer(conn, session.durationSec);
    return templates.resetTimerPos(session.durationSec);
  }

  /** Ending the session ends the monitors and registrations made in it (ECMA-354). */
  private stopSession(conn: ClientConnection, msg: Msg<'StopApplicationSession'>): string {
    const { templates } = this.deps;
    const session = conn.session;
    if (!session || (msg.sessionId !== undefined && msg.sessionId !== session.id)) {
      return templates.stopSessionNeg('invalidSessionID');
    }
    session.stopTimer();
    conn.session = undefined;
    this.deps.monitors.dropOwner(conn);
    this.deps.routing.dropClient(conn);
    return templates.stopSessionPos();
  }

  private chooseVersion(requested: string[]): string | undefined {
    const { acceptedProtocolVersions: accepted, namespaces } = this.deps.config;
    const fallback = namespaces.csta ?? 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
    if (requested.length === 0) return accepted === 'any' ? fallback : accepted[0];
    if (accepted === 'any') return requested[0];
    return requested.find((v) => accepted.includes(v));
  }

  private grant(requestedSec: number | undefined): number {
    const { sessionDurationSec, maxSessionDurationSec } = this.deps.config;
    if (requestedSec === undefined || requestedSec <= 0) return sessionDurationSec;
    return Math.min(requestedSec, maxSessionDurationSec);
  }

  private armTimer(conn: ClientConnection, durationSec: number): () => void {
    if (!this.deps.config.enforceSessionTimer) return () => {};
    return this.deps.timers.after(durationSec * 1000, () => this.deps.sessionExpired(conn));
  }

  // ── ECMA-269 monitoring, snapshot, routeing ───────────────────────────────────────────────

  private monitorStart(
    conn: ClientConnection,
    msg: Msg<'MonitorStart'>,
    reply: (xml: string) => void,
  ): CstaError | undefined {
    const device = msg.device === undefined ? undefined : this.deps.model.resolveDevice(msg.device);
    if (msg.callObject || device === undefined)
      return { category: 'operation', value: 'invalidMonitorObject' };
    reply(this.deps.templates.monitorStartResponse(this.deps.monitors.start(conn, device)));
    return undefined;
  }

  private snapshot(msg: Msg<'SnapshotDevice'>, reply: (xml: string) => void): CstaError | undefined {
    const device = msg.device === undefined ? undefined : this.deps.model.resolveDevice(msg.device);
    if (device === undefined) return { category: 'operation', value: 'invalidDeviceID' };
    reply(this.deps.templates.snapshotDeviceResponse(this.deps.model.connectionsAt(device)));
    return undefined;
  }

  private routeRegister(
    conn: ClientConnection,
    msg: Msg<'RouteRegister'>,
    reply: (xml: string) => void,
  ): CstaError | undefined {
    if (msg.misspelled) {
      this.deps.protocolError(conn, 'RouteRegister has routingDevice; ECMA-323 names it routeingDevice');
    }
    let device: string | undefined;
    if (msg.routeingDevice !== undefined) {
      device = this.deps.model.resolveDevice(msg.routeingDevice);
      if (device === undefined || this.deps.model.kindOf(device) !== 'routePoint') {
        return { category: 'operation', value: 'invalidDeviceID' };
      }
    }
    reply(this.deps.templates.routeRegisterResponse(this.deps.routing.register(conn, device)));
    return undefined;
  }
}
