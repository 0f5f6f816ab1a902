/** The simulator's options, their defaults, and the numbering plan of the simulated switch. */
import { SimulatorError } from './errors.js';
import type { Framing } from './frames.js';
import type { IdentifierStyle } from './identifiers.js';
import {
  APPL_SESSION_NAMESPACE,
  CSTA_ED2_NAMESPACE,
  CSTA_ED3_NAMESPACE,
  type Namespaces,
} from './xml-services.js';

export interface DevicePlanOptions {
  /** Agent extensions (default 2001–2050). */
  agents?: string[];
  /** ACD groups and their members (default 3001 with every agent). */
  acdGroups?: Array<{ id: string; members?: string[] }>;
  /** Route points and where a call goes when no application routes it (default 3000 → 3001). */
  routePoints?: Array<{ id: string; defaultRoute?: string }>;
  /** Trunks; each inbound call seizes one (default T001–T120). */
  trunks?: string[];
  /** DNIS → the device the call enters at (default: the first route point, else the first ACD). */
  dnisRoutes?: Record<string, string>;
  /** Where a call goes when routeing fails (default: the first ACD group). */
  defaultRoute?: string;
}

export interface DevicePlan {
  agents: string[];
  acdGroups: Array<{ id: string; members: string[] }>;
  routePoints: Array<{ id: string; defaultRoute: string }>;
  trunks: string[];
  dnisRoutes: Record<string, string>;
  defaultRoute: string;
}

export interface SimulatorOptions {
  /** `header` (8-byte header with invoke id, the default) or `nul` (NUL-terminated documents). */
  framing?: Framing;
  /** CSTA namespace: `ed3` (default), `ed2`, `none` (namespace-less documents) or a URI. */
  namespace?: 'ed3' | 'ed2' | 'none' | (string & {});
  /** How external numbers are written (default `plain`). */
  identifiers?: IdentifierStyle;
  /** Country calling code of the switch (default 33). */
  countryCode?: string;
  nationalPrefix?: string;
  internationalPrefix?: string;
  devices?: DevicePlanOptions;
  /** Refuse every request but StartApplicationSession until a session is started (ECMA-354). */
  requireSession?: boolean;
  /** Protocol versions StartApplicationSession may ask for (default: the namespace in use). */
  acceptedProtocolVersions?: string[];
  /** Session duration granted when the client asks for none, in seconds (default 180). */
  sessionDurationSec?: number;
  /** Longest session duration granted (default 3600). */
  maxSessionDurationSec?: number;
  /** Drop the connection when the session timer runs out without a reset (default true). */
  enforceSessionTimer?: boolean;
  /** How long a RouteRequest waits for RouteSelect before the default route (default 5000). */
  replyTimeoutMs?: number;
  /** Send SystemStatus `normal` to every client this often; 0 (default) never. */
  systemStatusIntervalMs?: number;
  /** Time the switch stays down in restart() (default 1000). */
  restartDelayMs?: number;
  /** Ring time before a ring-no-answer forward (default 4000). */
  ringNoAnswerMs?: number;
  /** Time a caller listens to busy tone before hanging up (default 500). */
  busyToneMs?: number;
  /** Largest frame accepted from a client (default 1 MiB). */
  maxFrameBytes?: number;
  /** RouteRequest → RouteSelect latency samples kept (default 131072). */
  latencySamples?: number;
  /** First call id (default 1); call ids are decimal. */
  callIdStart?: number;
}

export interface SimConfig {
  framing: Framing;
  namespaces: Namespaces;
  acceptedProtocolVersions: string[] | 'any';
  identifiers: IdentifierStyle;
  countryCode: string;
  nationalPrefix: string;
  internationalPrefix: string;
  devices: DevicePlan;
  requireSession: boolean;
  sessionDurationSec: number;
  maxSessionDurationSec: number;
  enforceSessionTimer: boolean;
  replyTimeoutMs: number;
  systemStatusIntervalMs: number;
  restartDelayMs: number;
  ringNoAnswerMs: number;
  busyToneMs: number;
  maxFrameBytes: number;
  latencySamples: number;
  callIdStart: number;
}

function range(prefix: string, from: number, to: number, width = 0): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}${String(i).padStart(width, '0')}`);
  return out;
}

function namespacesFor(option: SimulatorOptions['namespace']): Namespaces {
  if (option === 'none') return { csta: undefined, session: undefined };
  const csta =
    option === undefined || option === 'ed3'
      ? CSTA_ED3_NAMESPACE
      : option === 'ed2'
        ? CSTA_ED2_NAMESPACE
        : option;
  return { csta, session: APPL_SESSION_NAMESPACE };
}

export function resolveDevicePlan(o: DevicePlanOptions = {}): DevicePlan {
  const agents = o.agents ?? range('', 2001, 2050);
  const acdGroups = (o.acdGroups ?? [{ id: '3001' }]).map((g) => ({
    id: g.id,
    members: g.members ?? [...agents],
  }));
  const firstAcd = acdGroups[0]?.id;
  const defaultRoute = o.defaultRoute ?? firstAcd ?? agents[0];
  if (defaultRoute === undefined)
    throw new SimulatorError('SIM_BAD_OPTION', 'the switch has no device to route calls to');
  const routePoints = (o.routePoints ?? [{ id: '3000' }]).map((r) => ({
    id: r.id,
    defaultRoute: r.defaultRoute ?? defaultRoute,
  }));
  const entry = routePoints[0]?.id ?? defaultRoute;
  const plan: DevicePlan = {
    agents,
    acdGroups,
    routePoints,
    trunks: o.trunks ?? range('T', 1, 120, 3),
    dnisRoutes: o.dnisRoutes ?? { '*': entry },
    defaultRoute,
  };
  validatePlan(plan);
  return plan;
}

function validatePlan(plan: DevicePlan): void {
  const all = [
    ...plan.agents,
    ...plan.acdGroups.map((g) => g.id),
    ...plan.routePoints.map((r) => r.id),
    ...plan.trunks,
  ];
  const seen = new Set<string>();
  for (const id of all) {
    if (seen.has(id)) throw new SimulatorError('SIM_BAD_OPTION', `device ${id} is configured twice`);
    seen.add(id);
  }
  const internal = new Set(all);
  const check = (id: string, what: string) => {
    if (!internal.has(id)) throw new SimulatorError('SIM_BAD_OPTION', `${what} names unknown device ${id}`);
  };
  for (const g of plan.acdGroups) for (const m of g.members) check(m, `ACD group ${g.id}`);
  for (const r of plan.routePoints) check(r.defaultRoute, `route point ${r.id}`);
  for (const [dnis, target] of Object.entries(plan.dnisRoutes)) check(target, `DNIS route ${dnis}`);
  check(plan.defaultRoute, 'defaultRoute');
}

export function resolveOptions(o: SimulatorOptions = {}): SimConfig {
  const namespaces = namespacesFor(o.namespace);
  const positive = (name: string, v: number | undefined, dflt: number) => {
    const value = v ?? dflt;
    if (!Number.isFinite(value) || value < 0)
      throw new SimulatorError('SIM_BAD_OPTION', `${name} must be ≥ 0`);
    return value;
  };
  return {
    framing: o.framing ?? 'header',
    namespaces,
    acceptedProtocolVersions: o.acceptedProtocolVersions ?? (namespaces.csta ? [namespaces.csta] : 'any'),
    identifiers: o.identifiers ?? 'plain',
    countryCode: o.countryCode ?? '33',
    nationalPrefix: o.nationalPrefix ?? '0',
    internationalPrefix: o.internationalPrefix ?? '00',
    devices: resolveDevicePlan(o.devices),
    requireSession: o.requireSession ?? false,
    sessionDurationSec: positive('sessionDurationSec', o.sessionDurationSec, 180),
    maxSessionDurationSec: positive('maxSessionDurationSec', o.maxSessionDurationSec, 3600),
    enforceSessionTimer: o.enforceSessionTimer ?? true,
    replyTimeoutMs: positive('replyTimeoutMs', o.replyTimeoutMs, 5000),
    systemStatusIntervalMs: positive('systemStatusIntervalMs', o.systemStatusIntervalMs, 0),
    restartDelayMs: positive('restartDelayMs', o.restartDelayMs, 1000),
    ringNoAnswerMs: positive('ringNoAnswerMs', o.ringNoAnswerMs, 4000),
    busyToneMs: positive('busyToneMs', o.busyToneMs, 500),
    maxFrameBytes: positive('maxFrameBytes', o.maxFrameBytes, 1 << 20),
    latencySamples: Math.max(1, positive('latencySamples', o.latencySamples, 1 << 17)),
    callIdStart: positive('callIdStart', o.callIdStart, 1),
  };
}
