/** Console lines, summary table, targets and JSON of the CSTA benchmark. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrackerStats } from '../../src/core/tracker.js';
import type { Capture, StageResult } from './csta-parse.js';
import type { DbTimes } from './csta-relais.js';
import type { SwitchDrain, SwitchWindow } from './csta-switch.js';
import type { ProcessSample } from './probe.js';
import { fmt, type Target } from './report.js';
import type { LatencyStats } from './stats.js';

export interface RelaisWindow {
  process: ProcessSample;
  /** Router called → decision, in ms, inside Relais; split by whether the lookup awaited the database. */
  router: { all: LatencyStats; fromCache: LatencyStats; fromDb: LatencyStats; vip: number };
  /** Time in the store: lookups (queries) and call-record batches (transactions). */
  db: { queries: DbTimes; transactions: DbTimes };
  /** Queries the directory sent (misses not already in flight) during the window. */
  dbLookups: number;
  /** Route requests answered by result (the link's relais_route_requests_total). */
  routeResults: Record<'selected' | 'fallback' | 'ended', number>;
  /** CSTA documents received and sent (relais_link_messages_total). */
  messagesIn: number;
  messagesOut: number;
  /** Protocol problems the link counted (relais_link_problems_total). */
  problems: number;
  tracker: TrackerStats;
  /** Call records committed during the window, and waiting to be at its end. */
  recordsWritten: number;
  recordsPending: number;
  liveCallsAtEnd: number;
  errors: number;
}

export interface RatePhase {
  rate: number;
  seconds: number;
  switchWindow: SwitchWindow;
  switchDrain: SwitchDrain;
  relais: RelaisWindow;
  loadAverage: { start: number; end: number };
  /** Linux CPU pressure, some avg10 in % (tasks waiting for a CPU), when available. */
  cpuPressure: { start: number | undefined; end: number | undefined };
}

export interface CstaReport {
  store: string;
  location: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: { start: number; end: number } };
  source: { commit: string; uncommitted: string[] };
  options: Record<string, unknown>;
  population: Record<string, number>;
  import: unknown;
  warmCache: unknown;
  capture?: Omit<Capture, 'frames'> & { events: number; bytesPerEvent: number };
  parse?: StageResult[];
  phases: RatePhase[];
  targets: Target[];
}

const ms2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const ms1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

function processCells(p: ProcessSample): string {
  return (
    `cpu ${p.cores.toFixed(2)} core, event loop busy ${fmt.pct(p.elu)}, loop delay p99 ${ms1(p.loopDelayMs.p99)} ` +
    `max ${ms1(p.loopDelayMs.max)} ms, gc ${p.gc.count}× ${fmt.int(p.gc.totalMs)} ms (max ${ms1(p.gc.maxMs)} ms), ` +
    `rss ${fmt.int(p.rssMb)} MB`
  );
}

export function latencyMsCells(l: LatencyStats): string {
  return `p50 ${ms2(l.p50)}  p99 ${ms2(l.p99)}  p99.9 ${ms2(l.p999)}  max ${ms2(l.max)} ms`;
}

/**
 * Calls the switch started in the window: placed minus those refused because every trunk was
 * seized (a backlog of unanswered RouteRequests holds the trunks).
 */
export function startedCalls(p: RatePhase): number {
  return Math.max(0, p.switchWindow.placed - p.switchDrain.stats.callsBlocked);
}

export function startedRate(p: RatePhase): number {
  return (startedCalls(p) * 1000) / p.switchWindow.process.wallMs;
}

/** CPU time per call started in the window, in µs: a process saturates one core at 1e6 / this calls/s. */
export function cpuPerCallUs(p: ProcessSample, calls: number): number {
  return calls > 0 ? (p.cpuMs * 1000) / calls : 0;
}

function pressure(p: RatePhase): string {
  const { start, end } = p.cpuPressure;
  return start === undefined || end === undefined
    ? ''
    : `, cpu pressure ${start.toFixed(0)}% → ${end.toFixed(0)}%`;
}

function dbCells(label: string, t: DbTimes, wallMs: number): string {
  return (
    `${label} ${fmt.int(t.count)} taking ${fmt.int(t.totalMs)} ms (${fmt.pct(t.totalMs / Math.max(1, wallMs))} of the window), ` +
    `p50 ${ms2(t.ms.p50)} p99 ${ms2(t.ms.p99)} max ${ms2(t.ms.max)} ms`
  );
}

/**
 * Why a phase measured the machine rather than Relais, if it did: other work kept the CPUs (high
 * pressure), or a process had work queued (event loop saturated) yet got little CPU.
 */
export function disturbance(p: RatePhase): string | undefined {
  const reasons: string[] = [];
  const psi = Math.max(p.cpuPressure.start ?? 0, p.cpuPressure.end ?? 0);
  if (psi >= 50) reasons.push(`cpu pressure reached ${psi.toFixed(0)}%`);
  for (const [name, proc] of [
    ['relais', p.relais.process],
    ['switch', p.switchWindow.process],
  ] as const) {
    if (proc.elu >= 0.9 && proc.cores < 0.6)
      reasons.push(
        `${name}'s event loop was ${fmt.pct(proc.elu)} busy on ${proc.cores.toFixed(2)} core: starved of CPU or blocked`,
      );
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

export function phaseLines(p: RatePhase): string[] {
  const w = p.switchWindow;
  const d = p.switchDrain;
  const s = d.stats;
  const r = p.relais;
  const lookups = r.router.all.count;
  const started = startedCalls(p);
  const relaisUs = cpuPerCallUs(r.process, started);
  const switchUs = cpuPerCallUs(w.process, started);
  return [
    `rate ${fmt.int(p.rate)}/s: ${fmt.int(started)} calls started in ${fmt.s(w.process.wallMs)} = ${fmt.int(startedRate(p))} calls/s ` +
      `(${fmt.int(w.placed)} offered, ${fmt.int(s.callsBlocked)} blocked: no free trunk); ` +
      `RouteSelect as the switch sees it: ${latencyMsCells(d.latencyMs)} (${fmt.int(d.latencyMs.count)} answers)`,
    `    answers: route requests ${fmt.int(s.routeRequestsSent)}, selects ${fmt.int(s.routeSelectsReceived)}, ` +
      `timeouts ${fmt.int(s.routeTimeouts)}, late ${fmt.int(s.routeSelectsLate)}, unanswered ${fmt.int(d.unanswered)}, ` +
      `RouteEnd from Relais ${fmt.int(s.routeEndsReceived)}; Relais: selected ${fmt.int(r.routeResults.selected)}, ` +
      `fallback ${fmt.int(r.routeResults.fallback)}, ended ${fmt.int(r.routeResults.ended)}`,
    `    relais: ${fmt.int(relaisUs)} µs cpu/call (one core ≈ ${fmt.int(relaisUs > 0 ? 1e6 / relaisUs : 0)} calls/s); ${processCells(r.process)}`,
    `    relais router (lookup + decision): all ${latencyMsCells(r.router.all)}`,
    `        cached ${fmt.int(r.router.fromCache.count)}: ${latencyMsCells(r.router.fromCache)}`,
    `        via db ${fmt.int(r.router.fromDb.count)}: ${latencyMsCells(r.router.fromDb)}`,
    `    relais store: ${dbCells('lookups', r.db.queries, r.process.wallMs)}; ${dbCells('record batches', r.db.transactions, r.process.wallMs)}`,
    `    relais: ${fmt.int(r.dbLookups)} db lookups for ${fmt.int(lookups)} routed calls ` +
      `(cache hits ${fmt.pct(lookups > 0 ? 1 - r.dbLookups / lookups : 0)}), ${fmt.int(r.router.vip)} VIP; ` +
      `${fmt.int(r.messagesIn)} documents in, ${fmt.int(r.messagesOut)} out; tracker accepted ${fmt.int(r.tracker.accepted)} ` +
      `(dup ${fmt.int(r.tracker.duplicates)}, late ${fmt.int(r.tracker.late)}, rejected ${fmt.int(r.tracker.rejected)}), ` +
      `records ${fmt.int(r.recordsWritten)} written, ${fmt.int(r.recordsPending)} pending; problems ${r.problems}, errors ${r.errors}`,
    `    switch: ${fmt.int(switchUs)} µs cpu/call (one core ≈ ${fmt.int(switchUs > 0 ? 1e6 / switchUs : 0)} calls/s); ${processCells(w.process)}; ` +
      `${fmt.int(s.eventsSent)} events sent, max ${fmt.int(d.maxActiveCalls)} calls up, drain ${fmt.int(d.drainMs)} ms`,
    `    load average ${p.loadAverage.start.toFixed(2)} → ${p.loadAverage.end.toFixed(2)}${pressure(p)}`,
    ...(disturbance(p) ? [`    DISTURBED: ${disturbance(p)}`] : []),
  ];
}

export function stageLine(s: StageResult): string {
  const range = `${fmt.int(Math.min(...s.rounds))}–${fmt.int(Math.max(...s.rounds))}`;
  return (
    `${s.name.padEnd(10)} ${fmt.int(s.eventsPerCoreSecond).padStart(9)} events/s per core ` +
    `(${s.usPerEvent.toFixed(2)} µs/event; rounds ${range}; ${fmt.int(s.events)} events; ` +
    `gc ${fmt.pct(s.gcShare)} of the time)  ${s.description}`
  );
}

export function summaryTable(r: CstaReport): string {
  const rows: string[][] = [
    [
      'rate/s',
      'started/s',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
      'timeouts',
      'late',
      'unanswered',
      'db lookups',
      'relais µs/call',
      'switch µs/call',
      'relais cores',
      'switch cores',
      'load',
      'cpu psi',
      'disturbed',
    ],
  ];
  for (const p of r.phases) {
    const l = p.switchDrain.latencyMs;
    const s = p.switchDrain.stats;
    rows.push([
      fmt.int(p.rate),
      fmt.int(startedRate(p)),
      ms2(l.p50),
      ms2(l.p99),
      ms2(l.p999),
      ms2(l.max),
      fmt.int(s.routeTimeouts),
      fmt.int(s.routeSelectsLate),
      fmt.int(p.switchDrain.unanswered),
      fmt.pct(p.relais.router.all.count > 0 ? p.relais.dbLookups / p.relais.router.all.count : 0),
      fmt.int(cpuPerCallUs(p.relais.process, startedCalls(p))),
      fmt.int(cpuPerCallUs(p.switchWindow.process, startedCalls(p))),
      p.relais.process.cores.toFixed(2),
      p.switchWindow.process.cores.toFixed(2),
      `${p.loadAverage.start.toFixed(1)}→${p.loadAverage.end.toFixed(1)}`,
      p.cpuPressure.start === undefined
        ? '-'
        : `${p.cpuPressure.start.toFixed(0)}%→${(p.cpuPressure.end ?? 0).toFixed(0)}%`,
    ]);
  }
  const lines = [
    `RouteRequest → RouteSelect at the switch (${r.store}, ${fmt.int(Number(r.options.customers))} customers):`,
  ];
  lines.push(...align(rows));
  if (r.parse) {
    lines.push('', 'Event documents per second on one core:');
    const prow = [['stage', 'events/s/core (median)', 'best round', 'worst round', 'µs/event', 'gc share']];
    for (const s of r.parse) {
      prow.push([
        s.name,
        fmt.int(s.eventsPerCoreSecond),
        fmt.int(Math.max(...s.rounds)),
        fmt.int(Math.min(...s.rounds)),
        s.usPerEvent.toFixed(2),
        fmt.pct(s.gcShare),
      ]);
    }
    lines.push(...align(prow));
  }
  lines.push(
    '',
    `load average ${r.machine.loadAverage.start.toFixed(2)} → ${r.machine.loadAverage.end.toFixed(2)} on ${r.machine.cpus} CPUs (${r.machine.cpuModel})`,
    '',
    ...r.targets.map((t) => `${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.goal}, measured ${t.measured}`),
  );
  return lines.join('\n');
}

function align(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
  );
}

/** `csta-<store>.json`, or `csta-<store>-<part>.json` for a run of one part (it must not replace a whole run's). */
export function writeCstaJson(dir: string, report: CstaReport, part?: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `csta-${report.store}${part ? `-${part}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
