/**
 * The first routing plan: DNIS → destination device, anything else → the default. The rules
 * engine of the routing issue replaces it behind the same `Router` signature.
 */
import type { RouteDecision, RouteQuery, Router } from '../model/call.js';
import { dialString, type NormalisedNumber } from '../model/number.js';

export interface SimpleRoutes {
  /** DNIS in any format → destination device. */
  routes: Readonly<Record<string, string>>;
  default?: string;
}

export function createSimpleRouter(plan: SimpleRoutes, normalise: (raw: string) => NormalisedNumber): Router {
  const table = new Map<string, string>();
  for (const [dnis, device] of Object.entries(plan.routes)) {
    const key = dialString(normalise(dnis)) ?? dnis;
    table.set(key, device);
  }
  return (q: RouteQuery): RouteDecision => {
    const key = dialString(normalise(q.dnis));
    const device = key === undefined ? undefined : table.get(key);
    if (device !== undefined)
      return { callId: q.callId, target: { kind: 'device', device }, priority: 0, reason: `dnis ${key}` };
    if (plan.default !== undefined) {
      return {
        callId: q.callId,
        target: { kind: 'device', device: plan.default },
        priority: 0,
        reason: 'default route',
      };
    }
    return {
      callId: q.callId,
      target: { kind: 'reject', cause: 'no route' },
      priority: 0,
      reason: 'no route and no default',
    };
  };
}
