/**
 * The supervisor wallboard: queues (calls waiting, longest wait, service level of the last 30
 * minutes), agents by state, live calls. Pushed on the `wallboard` channel at most twice a second
 * when something changed, never polled by the browser.
 */
import type { AcdEvent, Distributor } from '../acd/distributor.js';
import type { Call } from '../model/call.js';
import { maskNumber } from '../numbers/mask.js';
import type { DesktopHub } from './hub.js';

export interface WallboardOptions {
  hub: DesktopHub;
  distributor: Distributor | undefined;
  liveCalls: () => Call[];
  /** Service-level target per queue (seconds); default 20. */
  targetSeconds: (queue: string) => number;
  /** Window of the service level. */
  windowMs?: number;
  intervalMs?: number;
  now?: () => number;
}

interface Outcome {
  at: number;
  queue: string;
  waitedMs: number;
  answered: boolean;
}

export interface Wallboard {
  /** Feed of the distributor's events (answered, abandoned). */
  onAcdEvent(e: AcdEvent): void;
  /** Something changed: a snapshot goes out at the next tick. */
  touch(): void;
  snapshot(): unknown;
  stop(): void;
}

export function startWallboard(o: WallboardOptions): Wallboard {
  const now = o.now ?? Date.now;
  const windowMs = o.windowMs ?? 30 * 60_000;
  const outcomes: Outcome[] = [];
  let dirty = true;

  const serviceLevel = (queue: string, t: number) => {
    const target = o.targetSeconds(queue) * 1000;
    let total = 0;
    let within = 0;
    for (const x of outcomes) {
      if (x.queue !== queue || x.at < t - windowMs) continue;
      total++;
      if (x.answered && x.waitedMs <= target) within++;
    }
    return {
      targetSeconds: target / 1000,
      total,
      within,
      percent: total === 0 ? null : Math.round((1000 * within) / total) / 10,
    };
  };

  const snapshot = () => {
    const t = now();
    while (outcomes.length > 0 && (outcomes[0] as Outcome).at < t - windowMs) outcomes.shift();
    const stats = o.distributor?.stats();
    return {
      at: t,
      queues: (stats?.queues ?? []).map((q) => ({ ...q, serviceLevel: serviceLevel(q.id, t) })),
      agents: {
        byState: stats?.agents ?? {},
        list: (o.distributor?.agents() ?? []).map((a) => ({
          id: a.id,
          name: a.name,
          state: a.state,
          since: a.since,
          device: a.device,
          callId: a.callId,
          reason: a.reason,
        })),
      },
      calls: o.liveCalls().map((c) => ({
        id: c.id,
        link: c.link,
        state: c.state,
        caller: c.ani.number.kind === 'e164' ? maskNumber(c.ani.number.e164) : c.ani.number.kind,
        customerId: c.customerId,
        agentId: c.agentId,
        device: c.device,
        queue: c.queue,
        offeredAt: c.offeredAt,
      })),
    };
  };

  const timer = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    o.hub.publish('wallboard', 'wallboard', snapshot());
  }, o.intervalMs ?? 500);
  timer.unref();

  return {
    onAcdEvent(e) {
      if (e.type === 'assigned')
        outcomes.push({ at: now(), queue: e.queue, waitedMs: e.waitedMs, answered: true });
      else if (e.type === 'left')
        outcomes.push({ at: now(), queue: e.queue, waitedMs: e.waitedMs, answered: false });
      dirty = true;
    },
    touch() {
      dirty = true;
    },
    snapshot,
    stop() {
      clearInterval(timer);
    },
  };
}
