/**
 * Customer lookup benchmark: imports N synthetic customers through `CustomerDirectory.upsertBatch`,
 * then measures `CustomerDirectory.lookup` on a cold and a warm cache, on PGlite and PostgreSQL.
 *
 *   npx tsx bench/lookup.ts [--customers N] [--lookups N] [--store pglite|postgres|both]
 *                           [--concurrency N] [--cold N] [--batch N] [--seed N]
 *
 * See bench/README.md for what each figure means.
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { CustomerDirectory } from '../src/customers/directory.js';
import { createNormaliser, FRENCH_REGIONS, type Normaliser } from '../src/numbers/index.js';
import { explainLookup } from './lib/explain.js';
import { importPopulation } from './lib/importer.js';
import { type PhaseResult, type PhaseSpec, roundTrip, runPhase } from './lib/phases.js';
import { generatePopulation, type Population } from './lib/population.js';
import {
  fmt,
  importLine,
  phaseLines,
  roundTripLine,
  type StoreReport,
  summaryTable,
  type Target,
  writeJson,
} from './lib/report.js';
import { elapsedMs } from './lib/stats.js';
import {
  type BenchStore,
  describeStore,
  directorySize,
  openBenchStore,
  STORE_KINDS,
  type StoreKind,
} from './lib/stores.js';
import {
  buildTraffic,
  coldSequences,
  hotSequence,
  hotSetSize,
  mixedSequence,
  type Sequence,
  type Traffic,
  universeSize,
} from './lib/traffic.js';

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
/** Targets from the issue. */
const WARM_TARGET_PER_SEC = 100_000;
const COLD_P99_TARGET_US = 1_000;
const ROUND_TRIPS = 2_000;
/** Lookups before the cold phases, so that they meet compiled code and open connections. */
const PRIME_LOOKUPS = 2_000;

interface Options {
  customers: number;
  lookups: number;
  stores: StoreKind[];
  concurrency: number;
  /** Never-seen numbers looked up one at a time; the concurrent cold phase uses twice as many. */
  cold: number;
  batch: number;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      lookups: { type: 'string', default: '1000000' },
      store: { type: 'string', default: 'both' },
      concurrency: { type: 'string', default: '16' },
      cold: { type: 'string', default: '10000' },
      batch: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
    },
  });
  const store = values.store;
  if (store !== 'both' && !STORE_KINDS.includes(store as StoreKind)) {
    throw new Error(`--store must be pglite, postgres or both (got "${store}")`);
  }
  return {
    customers: positiveInt('customers', values.customers),
    lookups: positiveInt('lookups', values.lookups),
    stores: store === 'both' ? [...STORE_KINDS] : [store as StoreKind],
    concurrency: positiveInt('concurrency', values.concurrency),
    cold: positiveInt('cold', values.cold),
    batch: positiveInt('batch', values.batch),
    seed: positiveInt('seed', values.seed),
  };
}

function positiveInt(name: string, raw: string): number {
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer (got "${raw}")`);
  return n;
}

function normaliserFor(config: Config): Normaliser {
  const { regions, ...plan } = config.numbers;
  const table = regions === 'fr' ? FRENCH_REGIONS : regions === 'none' ? [] : regions;
  return createNormaliser({ ...plan, regions: table });
}

/** Everything both stores share: the data set and the lookup sequences, built once. */
interface Workload {
  population: Population;
  traffic: Traffic;
  prime: Sequence;
  coldSequential: Sequence;
  coldConcurrent: Sequence;
  warmUp: Sequence;
  warm: Sequence;
  hot: Sequence;
}

function buildWorkload(o: Options): Workload {
  const t0 = process.hrtime.bigint();
  const population = generatePopulation({ customers: o.customers, seed: o.seed, unknownRatio: 0.25 });
  // Cold phases draw from numbers set aside, half known, half unknown: `prime`, then `cold` one at a
  // time, then `2 * cold` concurrently.
  const coldLengths = [PRIME_LOOKUPS, o.cold, 2 * o.cold];
  const traffic = buildTraffic(population, Math.ceil((PRIME_LOOKUPS + 3 * o.cold) / 2), o.seed + 1);
  const [prime, coldSequential, coldConcurrent] = coldSequences(traffic, coldLengths, o.seed + 2) as [
    Sequence,
    Sequence,
    Sequence,
  ];
  const w: Workload = {
    population,
    traffic,
    prime,
    coldSequential,
    coldConcurrent,
    warmUp: mixedSequence(traffic, o.lookups, o.seed + 4),
    warm: mixedSequence(traffic, o.lookups, o.seed + 5),
    hot: hotSequence(traffic, o.lookups, o.seed + 6),
  };
  console.log(
    `generated ${fmt.int(population.customers)} customers, ${fmt.int(population.phoneNumbers.length)} phone rows ` +
      `(${fmt.int(population.known.length)} distinct numbers, ${fmt.int(population.sharedRows)} shared), ` +
      `${fmt.int(population.unknown.length)} unknown numbers; lookup universe ${fmt.int(universeSize(traffic))}, ` +
      `hot set ${fmt.int(hotSetSize(traffic))} [${fmt.s(elapsedMs(t0))}]`,
  );
  return w;
}

function phaseSpecs(w: Workload, o: Options): Array<PhaseSpec & { clearCacheFirst?: boolean }> {
  const c = o.concurrency;
  return [
    {
      name: 'prime',
      description:
        'never-seen numbers, to compile the code path and open the pool; then the cache is cleared',
      sequence: w.prime,
      concurrency: c,
    },
    {
      name: 'cold-seq',
      clearCacheFirst: true,
      description: 'never-seen numbers (half known, half unknown), empty cache, one at a time',
      sequence: w.coldSequential,
      concurrency: 1,
    },
    {
      name: 'cold-conc',
      description: `never-seen numbers (half known, half unknown), ${c} lookups in flight`,
      sequence: w.coldConcurrent,
      concurrency: c,
    },
    {
      name: 'warm-up',
      description: 'realistic mix from an empty cache (fills it)',
      sequence: w.warmUp,
      concurrency: c,
      clearCacheFirst: true,
    },
    {
      name: 'warm',
      description: 'realistic mix on the warmed cache: 90% hot set, 10% tail; 80% known, 20% unknown',
      sequence: w.warm,
      concurrency: c,
    },
    {
      name: 'warm-hot',
      description: 'hot-set numbers only, on the warmed cache: pure cache hits, one at a time',
      sequence: w.hot,
      concurrency: 1,
    },
  ];
}

function targetsFor(kind: StoreKind, phases: PhaseResult[]): Target[] {
  const byName = new Map(phases.map((p) => [p.name, p]));
  const warm = byName.get('warm');
  const hot = byName.get('warm-hot');
  const cold = byName.get('cold-seq');
  const targets: Target[] = [];
  if (hot) targets.push(rateTarget('warm cache (hot set, all hits)', hot));
  if (warm) targets.push(rateTarget('warm cache (realistic mix)', warm));
  if (cold && kind === 'postgres') {
    targets.push({
      name: 'cold miss p99',
      goal: `<= ${fmt.int(COLD_P99_TARGET_US)} µs`,
      measured: `${fmt.int(cold.latencyUs.p99)} µs`,
      met: cold.latencyUs.p99 <= COLD_P99_TARGET_US,
    });
  }
  return targets;
}

function rateTarget(name: string, p: PhaseResult): Target {
  return {
    name,
    goal: `>= ${fmt.int(WARM_TARGET_PER_SEC)} lookups/s`,
    measured: `${fmt.int(p.lookupsPerSec)} lookups/s`,
    met: p.lookupsPerSec >= WARM_TARGET_PER_SEC,
  };
}

async function benchStore(kind: StoreKind, w: Workload, o: Options, config: Config): Promise<StoreReport> {
  console.log(`\n== ${kind} ==`);
  const store = await openBenchStore(kind, config.database.poolSize);
  const release = onInterrupt(store);
  try {
    return await measure(store, w, o, config);
  } finally {
    await store.dispose();
    release();
  }
}

async function measure(store: BenchStore, w: Workload, o: Options, config: Config): Promise<StoreReport> {
  const { db } = store;
  const server = await describeStore(db);
  console.log(`${store.location}  ${JSON.stringify(server)}`);
  const limits = {
    purchases: config.customers.recentPurchases,
    interactions: config.customers.recentInteractions,
  };
  const dir = new CustomerDirectory({
    db,
    normalise: normaliserFor(config),
    cacheSize: config.customers.cacheSize,
    recentPurchases: limits.purchases,
    recentInteractions: limits.interactions,
    tiers: config.customers.tiers,
  });

  const imported = await importPopulation(
    dir,
    w.population,
    o.batch,
    progressPrinter(w.population.customers),
  );
  console.log(importLine(imported));
  const t0 = process.hrtime.bigint();
  await db.query('analyze');
  const analyzeMs = elapsedMs(t0);
  const directoryBytes = await directorySize(db);
  console.log(`analyze: ${fmt.s(analyzeMs)}; customers + customer_phones: ${fmt.mb(directoryBytes)}`);

  const plans = {
    known: await explainLookup(db, w.traffic.known.hot[0] as string, limits),
    unknown: await explainLookup(db, w.traffic.unknown.hot[0] as string, limits),
  };
  console.log(`plan of selectByNumber for a known number:\n  ${plans.known.join('\n  ')}`);

  const loadStart = loadavg()[0] ?? 0;
  const roundTripUs = await roundTrip(db, ROUND_TRIPS);
  console.log(roundTripLine(roundTripUs));
  const phases: PhaseResult[] = [];
  for (const spec of phaseSpecs(w, o)) {
    if (spec.clearCacheFirst) dir.invalidate();
    const result = await runPhase(dir, spec);
    phases.push(result);
    console.log(phaseLines(result).join('\n'));
  }
  const report: StoreReport = {
    store: store.kind,
    location: store.location,
    server,
    options: {
      customers: o.customers,
      lookups: o.lookups,
      concurrency: o.concurrency,
      cold: o.cold,
      batch: o.batch,
      seed: o.seed,
      cacheSize: config.customers.cacheSize,
      poolSize: config.database.poolSize,
      node: process.version,
    },
    population: {
      customers: w.population.customers,
      phoneRows: w.population.phoneNumbers.length,
      knownNumbers: w.population.known.length,
      unknownNumbers: w.population.unknown.length,
      sharedRows: w.population.sharedRows,
      universe: universeSize(w.traffic),
      hotSet: hotSetSize(w.traffic),
    },
    import: imported,
    analyzeMs,
    directoryBytes,
    roundTripUs,
    loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
    plans,
    phases,
    targets: targetsFor(store.kind, phases),
  };
  console.log(`wrote ${writeJson(OUT_DIR, report)}`);
  return report;
}

function progressPrinter(total: number): (done: number, ms: number) => void {
  const step = Math.max(1, Math.round(total / 10));
  let nextAt = step;
  return (done, ms) => {
    if (done < nextAt && done < total) return;
    nextAt += step;
    console.log(
      `  imported ${fmt.int(done)} / ${fmt.int(total)} in ${fmt.s(ms)} (${fmt.int((done * 1000) / ms)}/s)`,
    );
  };
}

/** Ctrl-C still drops the benchmark database and removes the PGlite directory. */
function onInterrupt(store: BenchStore): () => void {
  const handler = () => {
    console.error(`\ninterrupted: removing ${store.location}`);
    store.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const config = validateConfig({});
  console.log(
    `lookup bench: ${fmt.int(o.customers)} customers, ${fmt.int(o.lookups)} lookups per warm phase, ` +
      `stores ${o.stores.join(' + ')}, cacheSize ${fmt.int(config.customers.cacheSize)}, ` +
      `concurrency ${o.concurrency}, seed ${o.seed}, node ${process.version}`,
  );
  const workload = buildWorkload(o);
  const reports: StoreReport[] = [];
  for (const kind of o.stores) reports.push(await benchStore(kind, workload, o, config));
  console.log(`\n== summary ==\n${summaryTable(reports)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
