/**
 * CSTA benchmark: the routing latency a switch sees from Relais, and the event parse rate per core.
 *
 *   npx tsx bench/csta.ts [--customers N] [--store pglite|postgres] [--rates 200,1000,5000]
 *                         [--seconds S] [--warmup S] [--reuse DIR] [--only route|parse] [--seed N]
 *
 * 1. The switch simulator runs in a child process and places calls at each rate; every call
 *    arrives at a route point, so the switch sends a RouteRequest over TCP to Relais's CSTA link,
 *    whose router looks the caller up in the customer directory (N customers, warm cache, the
 *    lookup benchmark's caller mix) and answers RouteSelect: VIP customers to their own group,
 *    the rest by DNIS. The tracker, pipeline and call-record writer run as in src/app.ts.
 *    The switch times each RouteRequest → RouteSelect.
 * 2. A stream of event documents captured from the simulator is replayed in a tight loop through
 *    the framing decoder, decodeCsta, CallMapper and CallTracker, each alone and chained.
 *
 * See bench/README.md for what each figure means.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import type { TrackerStats } from '../src/core/tracker.js';
import type { CustomerDirectory } from '../src/customers/directory.js';
import { buildDirectory, buildNormaliser } from '../src/wiring.js';
import { buildStages, captureEvents, runStage, type StageResult } from './lib/csta-parse.js';
import { DbTimer, metricValue, type RelaisSide, startRelaisSide } from './lib/csta-relais.js';
import {
  type CstaReport,
  disturbance,
  phaseLines,
  type RatePhase,
  type RelaisWindow,
  stageLine,
  startedRate,
  summaryTable,
  writeCstaJson,
} from './lib/csta-report.js';
import {
  DNIS,
  ROUTE_POINT,
  STANDARD_GROUP,
  type SwitchPlan,
  SwitchProcess,
  type SwitchSetup,
  simulatorOptions,
  switchPlan,
  TRAFFIC_PROFILE,
  VIP_GROUP,
} from './lib/csta-switch.js';
import { type ImportResult, importPopulation } from './lib/importer.js';
import { type PhaseResult, runPhase } from './lib/phases.js';
import { generatePopulation, type Population } from './lib/population.js';
import { CpuProfiler, cpuPressure, ProcessProbe } from './lib/probe.js';
import { fmt, importLine, phaseLines as lookupPhaseLines, type Target } from './lib/report.js';
import { createRng, shuffle } from './lib/rng.js';
import { elapsedMs } from './lib/stats.js';
import { type BenchStore, openBenchStore, STORE_KINDS, type StoreKind } from './lib/stores.js';
import {
  buildTraffic,
  hotSetSize,
  mixedSequence,
  type Sequence,
  type Traffic,
  universeSize,
} from './lib/traffic.js';

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
/** Targets from the issue. */
const P99_TARGET_MS = 2;
const P99_TARGET_RATE = 1000;
const EVENTS_PER_CORE_TARGET = 50_000;
/** The switch: agents of the standard group, of the VIP group, trunks. */
const AGENTS = 450;
const VIP_AGENTS = 50;
const TRUNKS = 2000;
const VIP_TIER = 'vip';
/** Population whose numbers call in the captured traffic of part 2. */
const PARSE_CUSTOMERS = 20_000;
/** Lookups in flight while the hot set is loaded into the cache. */
const WARM_CONCURRENCY = 16;
/** The marker a kept PGlite directory carries once its import is complete. */
const MARKER = 'relais-bench.json';

interface Options {
  customers: number;
  store: StoreKind;
  rates: number[];
  seconds: number;
  warmup: number;
  reuse: string | undefined;
  /** Writes a CPU profile of each process during each window there. */
  cpuProfile: string | undefined;
  parts: { route: boolean; parse: boolean };
  parseSeconds: number;
  parseRounds: number;
  captureCalls: number;
  batch: number;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      store: { type: 'string', default: 'pglite' },
      rates: { type: 'string', default: '200,1000,5000' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      reuse: { type: 'string' },
      'cpu-profile': { type: 'string' },
      only: { type: 'string' },
      'parse-seconds': { type: 'string', default: '2' },
      'parse-rounds': { type: 'string', default: '3' },
      'capture-calls': { type: 'string', default: '3000' },
      batch: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
    },
  });
  const store = values.store as StoreKind;
  if (!STORE_KINDS.includes(store))
    throw new Error(`--store must be pglite or postgres (got "${values.store}")`);
  if (values.reuse !== undefined && store !== 'pglite')
    throw new Error('--reuse only applies to --store pglite');
  const only = values.only;
  if (only !== undefined && only !== 'route' && only !== 'parse')
    throw new Error(`--only must be route or parse (got "${only}")`);
  return {
    customers: positive('customers', values.customers),
    store,
    rates: values.rates.split(',').map((r) => positive('rates', r)),
    seconds: positive('seconds', values.seconds),
    warmup: nonNegative('warmup', values.warmup),
    reuse: values.reuse === undefined ? undefined : path.resolve(values.reuse),
    cpuProfile: values['cpu-profile'] === undefined ? undefined : path.resolve(values['cpu-profile']),
    parts: { route: only !== 'parse', parse: only !== 'route' },
    parseSeconds: positive('parse-seconds', values['parse-seconds']),
    parseRounds: positive('parse-rounds', values['parse-rounds']),
    captureCalls: positive('capture-calls', values['capture-calls']),
    batch: positive('batch', values.batch),
    seed: positive('seed', values.seed),
  };
}

function positive(name: string, raw: string): number {
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
  return n;
}

function nonNegative(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0 (got "${raw}")`);
  return n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load1 = () => loadavg()[0] ?? 0;

/** Relais's configuration: defaults everywhere, one CSTA link to the simulator. */
function relaisConfig(plan: SwitchPlan, port: number): Config {
  return validateConfig({
    // Protocol problems are counted in the link's metrics; at warn level an overload floods the console.
    log: { level: 'error' },
    links: {
      csta: [
        {
          name: 'sim',
          host: '127.0.0.1',
          port,
          devices: [
            { id: STANDARD_GROUP, kind: 'acd' },
            { id: VIP_GROUP, kind: 'acd' },
            ...[...plan.agents, ...plan.vipAgents].map((id) => ({ id, kind: 'agent' })),
          ],
          routing: { devices: [ROUTE_POINT], routes: { [DNIS]: STANDARD_GROUP }, default: STANDARD_GROUP },
        },
      ],
    },
  });
}

// ── Part 2: events per second per core ─────────────────────────────────────────────────────────

function switchSetup(plan: SwitchPlan, anis: string[]): SwitchSetup {
  return { simulator: simulatorOptions(plan), profile: TRAFFIC_PROFILE, anis, dnisList: [DNIS] };
}

/**
 * Runs first, in a lean process: the route part's population and caller sample would only add
 * to every GC here. Its callers are the same generator's, on a small population.
 */
async function parseBench(o: Options, plan: SwitchPlan, report: CstaReport): Promise<void> {
  console.log('\n== events parsed per second, one core ==');
  const small = generatePopulation({ customers: PARSE_CUSTOMERS, seed: o.seed, unknownRatio: 0.25 });
  const setup = switchSetup(
    plan,
    mixedSequence(buildTraffic(small, 0, o.seed + 1), 20_000, o.seed + 2).numbers,
  );
  const config = relaisConfig(plan, 1);
  const link = config.links.csta[0];
  if (!link) throw new Error('no link');
  const t0 = process.hrtime.bigint();
  const capture = await captureEvents(
    setup,
    link.devices.map((d) => d.id),
    o.captureCalls,
    500,
    o.seed + 3,
  );
  const events = capture.frames.length;
  report.capture = {
    calls: capture.calls,
    bytes: capture.bytes,
    byName: capture.byName,
    skipped: capture.skipped,
    events,
    bytesPerEvent: capture.bytes / Math.max(1, events),
  };
  console.log(
    `captured ${fmt.int(events)} event documents (${fmt.int(capture.bytes / Math.max(1, events))} bytes each on average) ` +
      `for ${fmt.int(capture.calls)} calls [${fmt.s(elapsedMs(t0))}]: ` +
      Object.entries(capture.byName)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${fmt.int(v)}`)
        .join(', '),
  );
  const stages = buildStages(capture, {
    linkConfig: link,
    normalise: buildNormaliser(config),
    clearGraceMs: config.calls.clearGraceMs,
    maxCalls: config.calls.maxLiveCalls,
  });
  const results: StageResult[] = [];
  for (const stage of stages) {
    const r = await runStage(stage, events, o.parseSeconds, o.parseRounds);
    results.push(r);
    console.log(stageLine(r));
  }
  report.parse = results;
}

// ── Part 1: RouteRequest → RouteSelect ─────────────────────────────────────────────────────────

interface Marker {
  customers: number;
  seed: number;
  phoneRows: number;
}

/** The directory, imported now or found complete in the kept directory. */
async function loadDirectory(
  o: Options,
  store: BenchStore,
  directory: CustomerDirectory,
  population: Population,
): Promise<ImportResult | { reused: string }> {
  const markerFile = o.reuse === undefined ? undefined : path.join(o.reuse, MARKER);
  if (markerFile && existsSync(markerFile)) {
    const m = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
    if (m.customers !== o.customers || m.seed !== o.seed)
      throw new Error(
        `${o.reuse} holds ${m.customers} customers of seed ${m.seed}, not ${o.customers} of seed ${o.seed}`,
      );
    console.log(`reusing the directory imported in ${o.reuse} (${fmt.int(m.customers)} customers)`);
    return { reused: o.reuse as string };
  }
  const rows = await store.db.query<{ n: number }>('select count(*)::int as n from customers');
  if ((rows.rows[0]?.n ?? 0) > 0)
    throw new Error(
      `${store.location} already holds customers but no complete import marker: remove it first`,
    );
  const step = Math.max(1, Math.round(population.customers / 10));
  let nextAt = step;
  const imported = await importPopulation(directory, population, o.batch, (done, ms) => {
    if (done < nextAt && done < population.customers) return;
    nextAt += step;
    console.log(`  imported ${fmt.int(done)} / ${fmt.int(population.customers)} in ${fmt.s(ms)}`);
  });
  console.log(importLine(imported));
  await store.db.query('analyze');
  if (markerFile) {
    const marker: Marker = {
      customers: o.customers,
      seed: o.seed,
      phoneRows: population.phoneNumbers.length,
    };
    writeFileSync(markerFile, `${JSON.stringify(marker)}\n`);
  }
  return imported;
}

/** Every hot-set number looked up once: the cache a node has after a while in production. */
async function warmCache(directory: CustomerDirectory, traffic: Traffic, seed: number): Promise<PhaseResult> {
  const entries: Array<[string, number]> = [
    ...traffic.known.hot.map((n) => [n, 1] as [string, number]),
    ...traffic.unknown.hot.map((n) => [n, 0] as [string, number]),
  ];
  shuffle(createRng(seed), entries);
  const sequence: Sequence = {
    numbers: entries.map((e) => e[0]),
    known: Uint8Array.from(entries, (e) => e[1]),
  };
  directory.invalidate();
  const r = await runPhase(directory, {
    name: 'warm-cache',
    description: 'every hot-set number once, on an empty cache',
    sequence,
    concurrency: WARM_CONCURRENCY,
  });
  console.log(lookupPhaseLines(r).join('\n'));
  return r;
}

interface RelaisCounters {
  dbLookups: number;
  selected: number;
  fallback: number;
  ended: number;
  messagesIn: number;
  messagesOut: number;
  problems: number;
  recorded: number;
  errors: number;
  tracker: TrackerStats;
}

async function relaisCounters(side: RelaisSide, directory: CustomerDirectory): Promise<RelaisCounters> {
  const reg = side.registry;
  return {
    dbLookups: directory.cacheStats.dbLookups,
    selected: await metricValue(reg, 'relais_route_requests_total', { result: 'selected' }),
    fallback: await metricValue(reg, 'relais_route_requests_total', { result: 'fallback' }),
    ended: await metricValue(reg, 'relais_route_requests_total', { result: 'ended' }),
    messagesIn: await metricValue(reg, 'relais_link_messages_total', { direction: 'in' }),
    messagesOut: await metricValue(reg, 'relais_link_messages_total', { direction: 'out' }),
    problems: await metricValue(reg, 'relais_link_problems_total'),
    recorded: side.counters.recorded,
    errors: side.counters.errors,
    tracker: side.tracker.stats,
  };
}

async function ratePhase(
  rate: number,
  index: number,
  o: Options,
  sim: SwitchProcess,
  side: RelaisSide,
  directory: CustomerDirectory,
): Promise<RatePhase> {
  const probe = new ProcessProbe();
  await settle(sim);
  await sim.startTraffic({
    rate,
    seed: o.seed + 10 + index,
    durationMs: (o.warmup + o.seconds) * 1000 + 10_000,
  });
  await sleep(o.warmup * 1000);
  const before = await relaisCounters(side, directory);
  const loadStart = load1();
  side.probe.reset();
  side.dbTimer.reset();
  const pressureStart = cpuPressure();
  const profiler = o.cpuProfile === undefined ? undefined : new CpuProfiler();
  await profiler?.start();
  probe.start();
  await sim.windowStart(o.cpuProfile && path.join(o.cpuProfile, `switch-${rate}.cpuprofile`));
  await sleep(o.seconds * 1000);
  const switchWindow = await sim.windowEnd();
  const process = await probe.stop();
  probe.dispose();
  const profile = await profiler?.stop(path.join(o.cpuProfile ?? '', `relais-${rate}.cpuprofile`));
  const switchDrain = await sim.drain();
  const after = await relaisCounters(side, directory);
  const trackerDelta = { ...after.tracker };
  for (const k of Object.keys(trackerDelta) as Array<keyof TrackerStats>)
    trackerDelta[k] -= before.tracker[k];
  const relais: RelaisWindow = {
    process,
    router: side.probe.summary(),
    db: side.dbTimer.summary(),
    dbLookups: after.dbLookups - before.dbLookups,
    routeResults: {
      selected: after.selected - before.selected,
      fallback: after.fallback - before.fallback,
      ended: after.ended - before.ended,
    },
    messagesIn: after.messagesIn - before.messagesIn,
    messagesOut: after.messagesOut - before.messagesOut,
    problems: after.problems - before.problems,
    tracker: trackerDelta,
    recordsWritten: after.recorded - before.recorded,
    recordsPending: side.writer.pending,
    liveCallsAtEnd: side.tracker.size,
    errors: after.errors - before.errors,
  };
  const phase: RatePhase = {
    rate,
    seconds: o.seconds,
    switchWindow,
    switchDrain,
    relais,
    loadAverage: { start: loadStart, end: load1() },
    cpuPressure: { start: pressureStart, end: cpuPressure() },
  };
  console.log(phaseLines(phase).join('\n'));
  if (profile) {
    console.log(`    relais profile (self time): ${topLine(profile)}`);
    console.log(`    switch profile (self time): ${topLine(switchWindow.profile ?? [])}`);
  }
  // Let the grace period and the record writer catch up before the next rate.
  await sleep(1500);
  return phase;
}

/** The benchmark's data; the route part drops it once loaded (see routeBench). */
interface Workload {
  population: Population | undefined;
  traffic: Traffic | undefined;
  /** Caller numbers for the simulator; moved into the switch setup. */
  anis: string[];
  summary: Record<string, number>;
}

function buildWorkload(o: Options): Workload {
  const t0 = process.hrtime.bigint();
  const population = generatePopulation({ customers: o.customers, seed: o.seed, unknownRatio: 0.25 });
  const traffic = buildTraffic(population, 0, o.seed + 1);
  // The simulator draws callers uniformly from this sample of the mix; it is several times longer
  // than the calls of the run so that tail numbers seldom come back (they would be cache hits).
  const expectedCalls = o.rates.reduce((a, r) => a + r * (o.seconds + o.warmup), 0);
  const sampleLength = Math.min(2_000_000, Math.max(200_000, Math.round(5 * expectedCalls)));
  const anis = mixedSequence(traffic, sampleLength, o.seed + 2).numbers;
  const summary = {
    customers: population.customers,
    phoneRows: population.phoneNumbers.length,
    knownNumbers: population.known.length,
    unknownNumbers: population.unknown.length,
    universe: universeSize(traffic),
    hotSet: hotSetSize(traffic),
    callerSample: anis.length,
  };
  console.log(
    `generated ${fmt.int(summary.customers)} customers (${fmt.int(summary.phoneRows)} phone rows), ` +
      `lookup universe ${fmt.int(summary.universe)}, hot set ${fmt.int(summary.hotSet)}; ` +
      `caller sample ${fmt.int(anis.length)} [${fmt.s(elapsedMs(t0))}]`,
  );
  return { population, traffic, anis, summary };
}

/** Waits until no call is up at the switch: a backlog left by the previous rate would hold its trunks. */
async function settle(sim: SwitchProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { activeCalls } = await sim.info();
    if (activeCalls === 0) return;
    if (Date.now() > deadline) {
      console.log(`    (still ${activeCalls} calls up at the switch after 60 s; going on)`);
      return;
    }
    await sleep(200);
  }
}

function topLine(p: Array<{ fn: string; share: number }>): string {
  return p
    .slice(0, 12)
    .map((x) => `${x.fn} ${fmt.pct(x.share)}`)
    .join(', ');
}

async function routeBench(
  o: Options,
  plan: SwitchPlan,
  report: CstaReport,
  cleanups: Array<() => Promise<void>>,
): Promise<void> {
  console.log(`\n== RouteRequest → RouteSelect (${o.store}) ==`);
  const work = buildWorkload(o);
  report.population = work.summary;
  const setup = switchSetup(plan, work.anis);
  work.anis = [];
  const base = validateConfig({});
  const store = await openBenchStore(o.store, base.database.poolSize, o.reuse ? { keepDir: o.reuse } : {});
  cleanups.push(() => store.dispose());
  report.location = store.location;
  console.log(`store: ${store.location}`);
  const normalise = buildNormaliser(base);
  const dbTimer = new DbTimer();
  const db = dbTimer.wrap(store.db);
  const directory = buildDirectory(base, db, normalise);
  if (!work.population || !work.traffic) throw new Error('the workload is gone');
  report.import = await loadDirectory(o, store, directory, work.population);
  report.warmCache = await warmCache(directory, work.traffic, o.seed + 4);
  // From here on the benchmark's own data would only inflate Relais's heap, and its GC pauses.
  work.population = undefined;
  work.traffic = undefined;

  const t0 = process.hrtime.bigint();
  const { sim, info } = await SwitchProcess.start(setup);
  cleanups.push(() => sim.close());
  setup.anis = []; // the simulator process has its copy
  console.log(
    `switch simulator: pid ${info.pid}, listening on 127.0.0.1:${info.port} [${fmt.s(elapsedMs(t0))}]`,
  );
  const config = relaisConfig(plan, info.port);
  const side = await startRelaisSide({
    config,
    db,
    dbTimer,
    directory,
    normalise,
    vipTier: VIP_TIER,
    vipDevice: VIP_GROUP,
  });
  cleanups.push(() => side.close());
  const wanted = config.links.csta[0]?.devices.length ?? 0;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const i = await sim.info();
    if (side.link.link.status().state === 'up' && i.monitors === wanted && i.registrations === 1) break;
    if (Date.now() > deadline)
      throw new Error(`link not up: ${JSON.stringify({ link: side.link.link.status(), sim: i })}`);
    await sleep(50);
  }
  console.log(`link up: ${wanted} monitors, 1 routing registration`);
  for (const [i, rate] of o.rates.entries())
    report.phases.push(await ratePhase(rate, i, o, sim, side, directory));
  await side.close();
  await sim.close();
}

/** The commit measured, and the files of src/ that differ from it (the figures depend on them). */
function sourceRevision(): { commit: string; uncommitted: string[] } {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
    } catch {
      return '';
    }
  };
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    uncommitted: git('status', '--porcelain', '--', 'src')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3)),
  };
}

// ── Targets and main ───────────────────────────────────────────────────────────────────────────

function targets(report: CstaReport): Target[] {
  const out: Target[] = [];
  const at = report.phases.find((p) => p.rate === P99_TARGET_RATE);
  if (at) {
    const p99 = at.switchDrain.latencyMs.p99;
    out.push({
      name: `RouteSelect p99 at ${fmt.int(P99_TARGET_RATE)} calls/s (${report.store})`,
      goal: `<= ${P99_TARGET_MS} ms`,
      measured: `${p99.toFixed(2)} ms${disturbance(at) ? ' (DISTURBED phase: see its line)' : ''}`,
      met: p99 <= P99_TARGET_MS,
    });
  }
  const chain = report.parse?.find((s) => s.name === 'chain');
  if (chain) {
    out.push({
      name: 'events parsed per core (framing → decode → map → track)',
      goal: `>= ${fmt.int(EVENTS_PER_CORE_TARGET)} events/s`,
      measured: `${fmt.int(chain.eventsPerCoreSecond)} events/s (median of ${chain.rounds.length} rounds; best ${fmt.int(Math.max(...chain.rounds))})`,
      met: chain.eventsPerCoreSecond >= EVENTS_PER_CORE_TARGET,
    });
  }
  for (const p of report.phases) {
    const s = p.switchDrain.stats;
    const lost =
      s.routeTimeouts + s.routeSelectsLate + p.switchDrain.unanswered + p.relais.routeResults.fallback;
    out.push({
      name: `every RouteRequest answered in time at ${fmt.int(p.rate)} calls/s`,
      goal: '0 timeouts, late, unanswered or fallback answers',
      measured:
        `${fmt.int(s.routeTimeouts)} timeouts, ${fmt.int(s.routeSelectsLate)} late, ` +
        `${fmt.int(p.switchDrain.unanswered)} unanswered, ${fmt.int(p.relais.routeResults.fallback)} fallback`,
      met: lost === 0,
    });
    out.push({
      name: `calls started at ${fmt.int(p.rate)} calls/s (the simulator's rate reaches Relais)`,
      goal: `>= ${fmt.int(p.rate * 0.95)} calls/s`,
      measured: `${fmt.int(startedRate(p))} calls/s`,
      met: startedRate(p) >= p.rate * 0.95,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((e) => console.error(e));
  };
  const onSignal = () => {
    console.error('\ninterrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const loadStart = load1();
  const cpu = cpus();
  const source = sourceRevision();
  console.log(
    `csta bench: ${fmt.int(o.customers)} customers on ${o.store}, rates ${o.rates.join(', ')} calls/s, ` +
      `${o.seconds} s each after ${o.warmup} s of warm-up, seed ${o.seed}, node ${process.version}, ` +
      `${cpu.length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    `source: commit ${source.commit}` +
      (source.uncommitted.length > 0 ? `, uncommitted changes in ${source.uncommitted.join(', ')}` : ''),
  );
  const plan = switchPlan(AGENTS, VIP_AGENTS, TRUNKS);
  const report: CstaReport = {
    store: o.store,
    location: '',
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? '?',
      node: process.version,
      loadAverage: { start: loadStart, end: loadStart },
    },
    source,
    options: {
      customers: o.customers,
      rates: o.rates,
      seconds: o.seconds,
      warmup: o.warmup,
      reuse: o.reuse ?? null,
      seed: o.seed,
      batch: o.batch,
      parseSeconds: o.parseSeconds,
      parseRounds: o.parseRounds,
      captureCalls: o.captureCalls,
      agents: AGENTS,
      vipAgents: VIP_AGENTS,
      trunks: TRUNKS,
      profile: TRAFFIC_PROFILE,
    },
    population: {},
    import: null,
    warmCache: null,
    phases: [],
    targets: [],
  };
  try {
    if (o.parts.parse) await parseBench(o, plan, report);
    if (o.parts.route) await routeBench(o, plan, report, cleanups);
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  report.machine.loadAverage.end = load1();
  report.targets = targets(report);
  const part = o.parts.route && o.parts.parse ? undefined : o.parts.route ? 'route' : 'parse';
  const file = writeCstaJson(OUT_DIR, report, part);
  console.log(`\n== summary ==\n${summaryTable(report)}\n\nwrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
