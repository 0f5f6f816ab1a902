/**
 * One timed phase: a sequence of lookups through `CustomerDirectory.lookup`, by `concurrency`
 * workers sharing the event loop. A lookup answered from the cache returns synchronously; one that
 * goes to the database returns a promise. Each lookup is timed with process.hrtime.bigint.
 */
import type { CustomerDirectory } from '../../src/customers/directory.js';
import type { Db } from '../../src/store/db.js';
import { elapsedMs, type LatencyStats, latencyStats, perSecond } from './stats.js';
import type { Sequence } from './traffic.js';

export interface PhaseResult {
  name: string;
  description: string;
  concurrency: number;
  lookups: number;
  ms: number;
  lookupsPerSec: number;
  /** Lookups that went to the database (a cache miss not already in flight). */
  dbQueries: number;
  /** Share of lookups answered from memory, 0..1. */
  cacheHitRatio: number;
  /** Customers found, for a sanity check against the known share of the sequence. */
  found: number;
  /** CPU time of this Node process per lookup (user + system): with PGlite it includes the database. */
  nodeCpuUsPerLookup: number;
  latencyUs: LatencyStats;
  /** The same latencies split by the kind of number and by where the answer came from. */
  split: Record<'known' | 'unknown' | 'fromCache' | 'fromDb', LatencyStats>;
}

export interface PhaseSpec {
  name: string;
  description: string;
  sequence: Sequence;
  concurrency: number;
}

export async function runPhase(dir: CustomerDirectory, spec: PhaseSpec): Promise<PhaseResult> {
  const { numbers, known } = spec.sequence;
  const latencies = new Float64Array(numbers.length);
  const viaDb = new Uint8Array(numbers.length);
  const before = dir.cacheStats.dbLookups;
  let next = 0;
  let found = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < numbers.length; i = next++) {
      const t0 = process.hrtime.bigint();
      let r = dir.lookup(numbers[i] as string);
      if (r instanceof Promise) {
        viaDb[i] = 1;
        r = await r;
      }
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
      if (r.customer) found++;
    }
  };
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const ms = elapsedMs(start);
  const cpu = process.cpuUsage(cpu0);
  const dbQueries = dir.cacheStats.dbLookups - before;
  return {
    name: spec.name,
    description: spec.description,
    concurrency: spec.concurrency,
    lookups: numbers.length,
    ms,
    lookupsPerSec: perSecond(numbers.length, ms),
    dbQueries,
    cacheHitRatio: numbers.length > 0 ? 1 - dbQueries / numbers.length : 0,
    found,
    nodeCpuUsPerLookup: numbers.length > 0 ? (cpu.user + cpu.system) / numbers.length : 0,
    latencyUs: latencyStats(latencies),
    split: {
      known: latencyStats(latencies, (i) => known[i] === 1),
      unknown: latencyStats(latencies, (i) => known[i] === 0),
      fromCache: latencyStats(latencies, (i) => viaDb[i] === 0),
      fromDb: latencyStats(latencies, (i) => viaDb[i] === 1),
    },
  };
}

/** The floor under every cold miss: a `select 1` round trip, one at a time. */
export async function roundTrip(db: Pick<Db, 'ping'>, count: number): Promise<LatencyStats> {
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await db.ping();
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return latencyStats(latencies);
}
