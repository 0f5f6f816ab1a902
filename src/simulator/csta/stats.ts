/** Counters of what the switch received and sent, for tests and benchmarks. */
import type { LatencyRing, LatencySummary } from './latency.js';

export interface SimulatorStats {
  /** Client messages by type (`MonitorStart`, `RouteSelect`, `Unknown`…). */
  requestsByType: Record<string, number>;
  eventsSent: number;
  eventsByType: Record<string, number>;
  /** CSTAErrorCode and negative responses sent. */
  errorsSent: number;
  routeRequestsSent: number;
  /** RouteSelects that answered an open RouteRequest. */
  routeSelectsReceived: number;
  /** RouteRequests that got no RouteSelect within the reply timeout. */
  routeTimeouts: number;
  /** RouteSelects for a dialogue the switch had already ended (timeout, caller gone, answered twice). */
  routeSelectsLate: number;
  /** RouteSelects naming a dialogue the switch never opened (or of another client). */
  routeSelectsUnknown: number;
  /** RouteSelects whose routeSelected is not a device of the switch. */
  routeSelectsInvalid: number;
  routeEndsReceived: number;
  callsPlaced: number;
  callsAnswered: number;
  callsAbandoned: number;
  callsFailed: number;
  /** Calls refused because every trunk was seized. */
  callsBlocked: number;
  framingErrors: number;
  malformedMessages: number;
  connectionsAccepted: number;
  /** Milliseconds between RouteRequest sent and RouteSelect received. */
  routeLatency: LatencySummary;
}

export class StatsCounters {
  readonly requests = new Map<string, number>();
  readonly events = new Map<string, number>();
  eventsSent = 0;
  errorsSent = 0;
  routeRequestsSent = 0;
  routeSelectsReceived = 0;
  routeTimeouts = 0;
  routeSelectsLate = 0;
  routeSelectsUnknown = 0;
  routeSelectsInvalid = 0;
  routeEndsReceived = 0;
  callsPlaced = 0;
  callsAnswered = 0;
  callsAbandoned = 0;
  callsFailed = 0;
  callsBlocked = 0;
  framingErrors = 0;
  malformedMessages = 0;
  connectionsAccepted = 0;

  constructor(readonly latency: LatencyRing) {}

  request(type: string): void {
    this.requests.set(type, (this.requests.get(type) ?? 0) + 1);
  }

  event(name: string): void {
    this.eventsSent++;
    this.events.set(name, (this.events.get(name) ?? 0) + 1);
  }

  /** Zeroes every counter and the latency samples. */
  reset(): void {
    const self = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(self)) if (typeof self[key] === 'number') self[key] = 0;
    this.requests.clear();
    this.events.clear();
    this.latency.reset();
  }

  snapshot(): SimulatorStats {
    const { requests, events, latency, ...counts } = this;
    return {
      ...counts,
      requestsByType: Object.fromEntries(requests),
      eventsByType: Object.fromEntries(events),
      routeLatency: latency.summary(),
    };
  }
}
