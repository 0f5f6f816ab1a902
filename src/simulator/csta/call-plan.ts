/**
 * What happens to one inbound call, decided before it starts: the scripted API and the traffic
 * generator both produce plans, and the call script plays them.
 */
import type { Presentation } from './identifiers.js';

export interface CallPlan {
  /** Caller number (E.164 or national); absent when not known. */
  ani: string | undefined;
  presentation: Presentation;
  /** Shown in the unify identifier style (`;displayNumber=`). */
  callerName: string | undefined;
  /** Number the caller dialled. */
  dnis: string;
  /** Device the call enters at (route point, ACD group or extension); default from the DNIS routes. */
  entry: string | undefined;
  /** `abandon`: the caller hangs up before an agent answers, after `abandonAfterMs`. */
  fate: 'answer' | 'abandon';
  abandonAfterMs: number;
  /** Time an agent lets the call ring before answering. */
  ringMs: number;
  /** The first alerted agent does not answer: ring-no-answer forward to another agent. */
  ringNoAnswer: boolean;
  /** Hold during the conversation (undefined: no hold). */
  holdMs: number | undefined;
  /** Consultation transfer to another agent: a device, `any` free agent, or undefined (none). */
  transferTo: string | undefined;
  /** Conversation time (split around hold and transfer). */
  talkMs: number;
  releasedBy: 'caller' | 'agent';
}

export interface PlaceCallOptions {
  ani?: string;
  /** Default `allowed`; `restricted` sends `<restricted/>`, `notKnown` sends `<notKnown/>`. */
  presentation?: Presentation;
  callerName?: string;
  dnis: string;
  /** Device the call enters at; default from the DNIS routes. */
  routePoint?: string;
  /** false: the caller abandons after `abandonAfterMs` (default true). */
  answer?: boolean;
  abandonAfterMs?: number;
  /** Default 0. */
  ringMs?: number;
  ringNoAnswer?: boolean;
  holdMs?: number;
  transferTo?: string;
  /** Default 0: the call clears as soon as it is answered (and held/transferred if asked). */
  talkMs?: number;
  /** Default `agent`. */
  releasedBy?: 'caller' | 'agent';
}

export function planFromOptions(o: PlaceCallOptions): CallPlan {
  const presentation = o.presentation ?? (o.ani === undefined ? 'notKnown' : 'allowed');
  return {
    ani: o.ani,
    presentation,
    callerName: o.callerName,
    dnis: o.dnis,
    entry: o.routePoint,
    fate: o.answer === false ? 'abandon' : 'answer',
    abandonAfterMs: o.abandonAfterMs ?? 0,
    ringMs: o.ringMs ?? 0,
    ringNoAnswer: o.ringNoAnswer ?? false,
    holdMs: o.holdMs,
    transferTo: o.transferTo,
    talkMs: o.talkMs ?? 0,
    releasedBy: o.releasedBy ?? 'agent',
  };
}

export type CallResult = 'answered' | 'abandoned' | 'failed' | 'reset';

export interface CallOutcome {
  /** Call id the call entered with (a transfer gives the call a new id, see `finalCallId`). */
  callId: string;
  finalCallId: string;
  plan: CallPlan;
  result: CallResult;
  /** The agent who answered (the last one after a transfer). */
  agent: string | undefined;
  /** How the route point chose the destination, when the call went through one. */
  routing: 'selected' | 'timeout' | 'unregistered' | 'ended' | 'invalid' | undefined;
}
