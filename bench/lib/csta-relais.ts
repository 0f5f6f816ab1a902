/**
 * Relais's side of the CSTA benchmark, wired as src/app.ts wires it (event bus, call tracker,
 * metrics, customer directory, call-record writer, pipeline, CSTA link with its metrics) minus the
 * HTTP server, which no call goes through. One difference: the router.
 *
 * Without a routing plan app.ts routes with `createSimpleRouter` (DNIS → device) alone. The router
 * here identifies the caller first, through the real `CustomerDirectory.lookupNumber` (the same
 * cached lookup the pipeline makes for every offered call), and sends VIP customers to their own
 * group; everyone else gets the simple router's answer. So each RouteSelect waits for a lookup, as
 * with a routing plan, while the simulator's ACD groups choose the agents (the plan's rules and
 * distributor are measured on their own by bench/routing.ts).
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../src/config/schema.js';
import { EventBus, type RelaisEvents } from '../../src/core/event-bus.js';
import { startPipeline } from '../../src/core/pipeline.js';
import { CallTracker } from '../../src/core/tracker.js';
import type { CustomerDirectory, LookupResult } from '../../src/customers/directory.js';
import { createCallRecordWriter } from '../../src/history/call-records.js';
import { type RunningCstaLink, startCstaLink } from '../../src/links/csta/from-config.js';
import { createLinkMetrics } from '../../src/links/csta/link-metrics.js';
import type { CallEvent, CallRecord, RouteDecision, RouteQuery, Router } from '../../src/model/call.js';
import type { Normaliser } from '../../src/numbers/index.js';
import { createMetrics } from '../../src/observability.js';
import { createSimpleRouter } from '../../src/routing/simple.js';
import type { BatchWriter } from '../../src/store/batch-writer.js';
import type { Db } from '../../src/store/db.js';
import { type LatencyStats, latencyStats } from './stats.js';

/** Routing decision times inside Relais (router called → decision), split by where the lookup answered. */
export class RouterProbe {
  #ms: number[] = [];
  #viaDb: boolean[] = [];
  vip = 0;

  record(ms: number, viaDb: boolean): void {
    this.#ms.push(ms);
    this.#viaDb.push(viaDb);
  }

  reset(): void {
    this.#ms = [];
    this.#viaDb = [];
    this.vip = 0;
  }

  summary(): { all: LatencyStats; fromCache: LatencyStats; fromDb: LatencyStats; vip: number } {
    const ms = Float64Array.from(this.#ms);
    const viaDb = this.#viaDb;
    return {
      all: latencyStats(ms),
      fromCache: latencyStats(ms, (i) => !viaDb[i]),
      fromDb: latencyStats(ms, (i) => viaDb[i] === true),
      vip: this.vip,
    };
  }
}

/** Directory lookup, then VIP → `vipDevice`, else the simple router (DNIS → device, or the default). */
export function identifyingRouter(opts: {
  directory: Pick<CustomerDirectory, 'lookupNumber'>;
  normalise: Normaliser;
  base: Router;
  vipTier: string;
  vipDevice: string;
  probe: RouterProbe;
}): Router {
  const { directory, normalise, base, vipTier, vipDevice, probe } = opts;
  const decide = (q: RouteQuery, r: LookupResult): RouteDecision | Promise<RouteDecision> => {
    if (r.customer?.tier === vipTier) {
      probe.vip++;
      return {
        callId: q.callId,
        target: { kind: 'device', device: vipDevice },
        priority: 10,
        reason: `customer ${r.customer.id} is ${vipTier}`,
      };
    }
    return base(q);
  };
  return (q) => {
    const t0 = performance.now();
    const r = directory.lookupNumber(normalise(q.ani));
    if (!(r instanceof Promise)) {
      const d = decide(q, r);
      probe.record(performance.now() - t0, false);
      return d;
    }
    return r.then((res) => {
      const d = decide(q, res);
      probe.record(performance.now() - t0, true);
      return d;
    });
  };
}

/**
 * Time spent in the store, from the call to its answer (queueing included): lookups (the
 * directory's `query`) and call-record batches (the writer's `transaction`). PGlite runs each
 * statement synchronously on Relais's event loop, so with PGlite this is also time during which
 * no event is read and no RouteSelect is sent.
 */
export class DbTimer {
  #lookups: number[] = [];
  #batches: number[] = [];

  wrap(db: Db): Db {
    const timed = <T>(into: number[], run: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      return run().finally(() => into.push(performance.now() - t0));
    };
    return {
      ...db,
      query: (sql, params, opts) => timed(this.#lookups, () => db.query(sql, params, opts)),
      transaction: (fn) => timed(this.#batches, () => db.transaction(fn)),
    };
  }

  reset(): void {
    this.#lookups = [];
    this.#batches = [];
  }

  summary(): { queries: DbTimes; transactions: DbTimes } {
    return { queries: dbTimes(this.#lookups), transactions: dbTimes(this.#batches) };
  }
}

export interface DbTimes {
  count: number;
  totalMs: number;
  ms: LatencyStats;
}

function dbTimes(samples: number[]): DbTimes {
  return {
    count: samples.length,
    totalMs: samples.reduce((a, b) => a + b, 0),
    ms: latencyStats(Float64Array.from(samples)),
  };
}

export interface RelaisSide {
  link: RunningCstaLink;
  tracker: CallTracker;
  writer: BatchWriter<CallRecord>;
  registry: Registry;
  probe: RouterProbe;
  dbTimer: DbTimer;
  /** Records committed, lookups the pipeline made, errors reported by the pipeline or the bus. */
  counters: { recorded: number; identified: number; errors: number };
  /** Stops the link, finalises every ended call, writes the pending records. */
  close(): Promise<void>;
}

export async function startRelaisSide(opts: {
  config: Config;
  /** The store, wrapped by `dbTimer` (the directory must use the same wrapped store). */
  db: Db;
  dbTimer: DbTimer;
  directory: CustomerDirectory;
  normalise: Normaliser;
  vipTier: string;
  vipDevice: string;
}): Promise<RelaisSide> {
  const { config, db, dbTimer, directory, normalise } = opts;
  const linkConfig = config.links.csta[0];
  if (!linkConfig) throw new Error('the configuration has no CSTA link');
  const logger = pino({ level: config.log.level });
  const counters = { recorded: 0, identified: 0, errors: 0 };
  const bus = new EventBus<RelaisEvents>({
    onError: (topic, err) => {
      counters.errors++;
      logger.error({ err, topic }, 'event handler failed');
    },
  });
  const tracker = new CallTracker({
    normalise,
    bus,
    clearGraceMs: config.calls.clearGraceMs,
    maxCalls: config.calls.maxLiveCalls,
  });
  const metrics = createMetrics({ liveCalls: () => tracker.size });
  const writer = createCallRecordWriter({
    db, // the directory's store, shared as in app.ts
    batchSize: config.history.batchSize,
    flushMs: config.history.flushMs,
    onError: (err, attempt) => {
      counters.errors++;
      metrics.recordErrors.inc();
      logger.warn({ err, attempt }, 'call record batch failed; retrying');
    },
  });
  const stopPipeline = startPipeline({
    bus,
    tracker,
    directory,
    records: {
      write: (r) =>
        writer.write(r).then(() => {
          counters.recorded++;
          metrics.callsRecorded.inc({ outcome: r.outcome });
        }),
    },
    observeLookup: (s, known) => {
      counters.identified++;
      metrics.lookups.observe({ result: known ? 'known' : 'unknown' }, s);
    },
    onError: (what, err) => {
      counters.errors++;
      logger.error({ err }, `${what} failed`);
    },
  });
  const unfollow = await directory.follow();
  const ingest = (event: CallEvent) => {
    metrics.callEvents.inc({ type: String(event.type) });
    tracker.ingest(event);
  };
  const probe = new RouterProbe();
  const router = identifyingRouter({
    directory,
    normalise,
    base: createSimpleRouter(
      { routes: linkConfig.routing.routes, default: linkConfig.routing.default },
      normalise,
    ),
    vipTier: opts.vipTier,
    vipDevice: opts.vipDevice,
    probe,
  });
  const link = await startCstaLink(linkConfig, {
    ingest,
    router,
    logger,
    metrics: createLinkMetrics(metrics.registry),
  });
  let closing: Promise<void> | undefined;
  return {
    link,
    tracker,
    writer,
    registry: metrics.registry,
    probe,
    dbTimer,
    counters,
    close() {
      closing ??= (async () => {
        await link.stop();
        tracker.flush();
        tracker.stop();
        stopPipeline();
        await writer.close();
        await unfollow();
      })();
      return closing;
    },
  };
}

/** The value of a counter or gauge series of the registry (0 when absent). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  let sum = 0;
  for (const v of m?.values ?? []) {
    if (Object.entries(labels).every(([k, val]) => v.labels[k] === val)) sum += v.value;
  }
  return sum;
}
