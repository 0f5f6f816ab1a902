/**
 * Canonical call model (DESIGN.md "The path of one call").
 * Links emit `CallEvent`s with raw numbers; the tracker turns them into `Call`s and, at clear,
 * one `CallRecord`. Routing answers with a `RouteDecision`.
 */
import type { NormalisedNumber } from './number.js';

/** Milliseconds since the Unix epoch. */
export type EpochMs = number;

interface CallEventBase {
  /** Call id, unique within the link (CSTA callID, SIP Call-ID, AMI Linkedid). */
  callId: string;
  /** Name of the link that saw the event (from the config). */
  link: string;
  /** When the event happened at the source, if it says; else when the link received it. */
  at: EpochMs;
  /** Identifier of this event at the source, when it has one; used to drop duplicates. */
  eventId?: string;
}

/** A new call reaches the contact centre. ANI/DNIS are raw: the core normalises them. */
export interface CallOffered extends CallEventBase {
  type: 'offered';
  ani: string;
  aniName?: string;
  dnis: string;
  /** Device the call was first presented to (route point, ACD group, trunk). */
  device?: string;
  /** Number the call was diverted from, if the network says so. */
  redirectingNumber?: string;
}
export interface CallQueued extends CallEventBase {
  type: 'queued';
  queue: string;
}
export interface CallAlerting extends CallEventBase {
  type: 'alerting';
  device: string;
  agentId?: string;
}
export interface CallConnected extends CallEventBase {
  type: 'connected';
  device: string;
  agentId?: string;
}
export interface CallHeld extends CallEventBase {
  type: 'held';
  device?: string;
}
export interface CallRetrieved extends CallEventBase {
  type: 'retrieved';
  device?: string;
}
export interface CallTransferred extends CallEventBase {
  type: 'transferred';
  from?: string;
  to: string;
}
export interface CallDiverted extends CallEventBase {
  type: 'diverted';
  from?: string;
  to: string;
  reason?: string;
}
export interface CallCleared extends CallEventBase {
  type: 'cleared';
  cause?: string;
}
export interface CallFailed extends CallEventBase {
  type: 'failed';
  cause: string;
}

export type CallEvent =
  | CallOffered
  | CallQueued
  | CallAlerting
  | CallConnected
  | CallHeld
  | CallRetrieved
  | CallTransferred
  | CallDiverted
  | CallCleared
  | CallFailed;

export type CallEventType = CallEvent['type'];

/**
 * States of a call in the tracker.
 *
 *   offered ─▶ queued ─▶ alerting ─▶ connected ◀─▶ held
 *      │          │          │            │
 *      └──────────┴──────────┴────────────┴──▶ cleared | failed
 */
export type CallState = 'offered' | 'queued' | 'alerting' | 'connected' | 'held' | 'cleared' | 'failed';

export interface Party {
  number: NormalisedNumber;
  name?: string;
}

export type CallOutcome = 'answered' | 'abandoned' | 'unanswered' | 'failed';

/** The tracker's live view of one call. */
export interface Call {
  id: string;
  link: string;
  state: CallState;
  ani: Party;
  dnis: Party;
  redirectingNumber?: NormalisedNumber;
  customerId?: string;
  queue?: string;
  device?: string;
  agentId?: string;
  offeredAt: EpochMs;
  queuedAt?: EpochMs;
  alertingAt?: EpochMs;
  answeredAt?: EpochMs;
  endedAt?: EpochMs;
  /** Total time on hold so far, closed hold periods only. */
  holdMs: number;
  /** Start of the hold in progress, if any. */
  heldSince?: EpochMs;
  transfers: number;
  cause?: string;
}

/** One record per call (CDR), written once at clear. */
export interface CallRecord {
  callId: string;
  link: string;
  aniKind: NormalisedNumber['kind'];
  /** E.164 or extension; undefined when withheld or unavailable. */
  ani?: string;
  dnis?: string;
  customerId?: string;
  queue?: string;
  agentId?: string;
  device?: string;
  startedAt: EpochMs;
  answeredAt?: EpochMs;
  endedAt: EpochMs;
  /** From offer to answer, or to the end when unanswered. */
  waitMs: number;
  talkMs: number;
  holdMs: number;
  transfers: number;
  outcome: CallOutcome;
  cause?: string;
}

export type RouteTarget =
  /** A queue; `device` is its ACD group on the PBX, where the call goes when no agent can be waited for. */
  | { kind: 'queue'; queue: string; device?: string }
  | { kind: 'device'; device: string }
  | { kind: 'agent'; agentId: string; device: string }
  | { kind: 'reject'; cause: string };

/**
 * A decision that put the call in a queue: the link holds the routing dialogue open and routes
 * the call to the agent reserved for it, or gives up after its own wait and sends it to the
 * queue's device.
 */
export interface QueuedRoute {
  /**
   * Resolves once an agent is reserved for the call; with undefined when none will come (a plan
   * reload removed its queue): the call then goes to the queue's device at once.
   */
  agent: Promise<{ agentId: string; device: string } | undefined>;
  /** The caller hung up, or the link stopped waiting: the call leaves the queue. */
  withdraw(reason: 'abandoned' | 'timeout'): void;
}

export interface IvrPlan {
  language?: string;
  greeting?: string;
  menuOrder?: string[];
}

/** What Relais answers the PBX for one call; links carry it out (CSTA RouteSelect, SIP 302). */
export interface RouteDecision {
  callId: string;
  target: RouteTarget;
  /** Higher is served first. */
  priority: number;
  skills?: string[];
  ivr?: IvrPlan;
  /** Why: the rule or default that matched, for the trace and the audit. */
  reason: string;
  /** Present when no agent was free: wait on it (target is then the queue). */
  queued?: QueuedRoute;
}

/** A link asks where a call should go (CSTA RouteRequest, SIP INVITE, AGI). Numbers are raw. */
export interface RouteQuery {
  link: string;
  callId: string;
  ani: string;
  aniName?: string;
  dnis: string;
  /** The routing device or address the call is at. */
  device?: string;
  at: EpochMs;
}

/** What links call to get a decision; the core provides it. */
export type Router = (query: RouteQuery) => RouteDecision | Promise<RouteDecision>;
