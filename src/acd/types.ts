/**
 * The distributor's contracts: agents, queues, options, offers and events. Pure data; the
 * distributor (`distributor.ts`) is the only behaviour.
 */
import type { CandidateTrace } from '../routing/types.js';

/**
 * An agent's state.
 *
 *   logged_off ──login──▶ available ──call reserved──▶ busy ──answered call ends──▶ wrap_up
 *                          ▲  ▲                           │  │  (wrapUpSeconds > 0)       │
 *                          │  └──unanswered call ends─────┘  │                            │
 *                          └──────────── wrapUpSeconds later ┼────────────────────────────┘
 *                                                            └──ring-no-answer──▶ away
 *
 *   `setState` moves a logged-in agent to away (with a reason), available, busy or wrap_up;
 *   `logout` works from any state.
 *
 * - An agent MUST hold at most one call; a call MUST be held by at most one agent.
 * - Only an `available` agent with a device and no call is offered a call.
 * - An agent cannot be made `available` by hand while a call is reserved for them: its end frees them.
 */
export type AgentState = 'logged_off' | 'available' | 'busy' | 'wrap_up' | 'away';

export interface AgentDef {
  id: string;
  name?: string;
  /** Where the agent usually sits; `login` may name another device. */
  device?: string;
  /** Skill → level 1..9. `senior` is a skill like any other. */
  skills: Record<string, number>;
}

export interface QueueDef {
  id: string;
  /** The queue's ACD group on the PBX, where a call goes when Relais stops waiting for an agent. */
  device: string;
  /** Every agent taking a call of this queue has all of these. */
  skills: string[];
  /** A call still waiting `afterSeconds` after entering this queue moves to `to`. */
  overflow?: { afterSeconds: number; to: string };
}

export interface AcdOptions {
  /**
   * A waiting call gains `pointsPerSecond` of priority a second; one that has waited
   * `maxWaitSeconds` or more goes before every call that has not (oldest first).
   */
  ageing: { pointsPerSecond: number; maxWaitSeconds: number };
  /** How long a call waits for its preferred agent (logged in, not free) before anyone takes it. */
  preferredAgentWaitSeconds: number;
  /** After an answered call, the agent is in `wrap_up` this long, then available (0: at once). */
  wrapUpSeconds?: number;
}

/** The name the routing plan uses for the same options. */
export type AcdSettings = AcdOptions;

/** Injected so that tests drive time; production passes `realClock`. */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export interface CallOffer {
  callId: string;
  queue: string;
  /** Higher is served first. */
  priority: number;
  /** Skills on top of the queue's. */
  skills: string[];
  /** The agent offered first (the customer's last agent). */
  preferredAgent?: string;
  /** How long to wait for the preferred agent; the options' `preferredAgentWaitSeconds` when absent. */
  preferredAgentWaitSeconds?: number;
  /** The rule's own overflow: applies first, in place of the queue's; then the queues' chain. */
  overflow?: { afterSeconds: number; to: string };
  /**
   * When the caller started waiting (e.g. before the IVR), for ageing and `waitedMs`; now when
   * absent, never later than now. Timers (preferred agent, overflow) run from the offer.
   */
  at?: number;
}

export type OfferResult =
  | { kind: 'assigned'; agentId: string; device: string; candidates: CandidateTrace[] }
  /** `position` is 1 for the call served next among the queue's calls, skills aside. */
  | { kind: 'queued'; queue: string; position: number; candidates: CandidateTrace[] };

/** Why a call left the distributor without reaching an agent. */
export type LeftReason =
  /** `remove()`: the caller hung up while waiting. */
  | 'abandoned'
  /** `release()` while waiting: the link stopped waiting or routed the call elsewhere. */
  | 'withdrawn'
  /** `reconfigure()` removed its queue and left it nowhere to overflow to. */
  | 'orphaned';

/**
 * What the distributor tells its listener, synchronously before the method that caused it
 * returns, in the order things happened, and only once its own state is consistent (a listener
 * may call the distributor back).
 */
export type AcdEvent =
  | { type: 'assigned'; callId: string; agentId: string; device: string; queue: string; waitedMs: number }
  | { type: 'queued'; callId: string; queue: string; position: number }
  | { type: 'overflowed'; callId: string; from: string; to: string }
  /** A waiting call left its queue without an agent. */
  | { type: 'left'; callId: string; queue: string; waitedMs: number; reason: LeftReason }
  /** An agent's state changed (or was set again with a reason). */
  | { type: 'agent'; agentId: string; state: AgentState; reason?: string };

export interface AgentView {
  id: string;
  name?: string;
  state: AgentState;
  /** When the agent entered this state. */
  since: number;
  /** When the agent last became available: the longest idle is offered first. */
  idleSince: number;
  device?: string;
  skills: Record<string, number>;
  /** The call reserved for or answered by the agent. */
  callId?: string;
  /** Why away (`lunch`, `ring-no-answer`…). */
  reason?: string;
}

export interface CallView {
  callId: string;
  queue: string;
  priority: number;
  /** Queue skills ∪ call skills, sorted. */
  required: string[];
  state: 'waiting' | 'assigned' | 'answered';
  agentId?: string;
  /** While only this agent may take the call (the preferred agent's wait). */
  waitingFor?: string;
  /** Given back (ring-no-answer, agent logged off) and served before the queue's other calls. */
  returned: boolean;
  arrivedAt: number;
}

export interface QueueStats {
  id: string;
  waiting: number;
  /** Wait of the oldest waiting call; 0 when none waits. */
  longestWaitMs: number;
  /** Agents having every skill of the queue, by state. */
  agents: Record<AgentState, number>;
}

export interface AcdStats {
  queues: QueueStats[];
  /** All agents by state. */
  agents: Record<AgentState, number>;
}
