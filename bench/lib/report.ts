/** Console lines, the summary table and the JSON files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportResult } from './importer.js';
import type { PhaseResult } from './phases.js';
import type { LatencyStats } from './stats.js';

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

export interface StoreReport {
  store: string;
  location: string;
  server: Record<string, string>;
  options: Record<string, number | string>;
  population: Record<string, number>;
  import: ImportResult;
  analyzeMs: number;
  directoryBytes: number;
  /** `select 1` round trips, one at a time, just before the lookup phases: the floor under a miss. */
  roundTripUs: LatencyStats;
  /** 1-minute load average of the machine when the lookup phases started and ended. */
  loadAverage: { start: number; end: number };
  plans: Record<string, string[]>;
  phases: PhaseResult[];
  targets: Target[];
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const fmt = {
  int: (n: number) => int.format(n),
  s: (ms: number) => `${one.format(ms / 1000)} s`,
  pct: (r: number) => `${one.format(r * 100)}%`,
  mb: (bytes: number) => `${int.format(bytes / 1024 / 1024)} MB`,
};

export function importLine(r: ImportResult): string {
  return (
    `import: ${fmt.int(r.customers)} customers (${fmt.int(r.phoneRows)} phone rows, batches of ${r.batchSize}) ` +
    `in ${fmt.s(r.ms)} = ${fmt.int(r.customersPerSec)} customers/s, ${fmt.int(r.phoneRowsPerSec)} phone rows/s ` +
    `(upsertBatch ${fmt.s(r.upsertMs)}, slowest batch ${fmt.int(r.slowestBatchMs)} ms)`
  );
}

export function roundTripLine(l: LatencyStats): string {
  return `round trip (select 1, one at a time): ${latencyCells(l)}`;
}

function latencyCells(l: LatencyStats): string {
  return `p50 ${fmt.int(l.p50)}  p90 ${fmt.int(l.p90)}  p99 ${fmt.int(l.p99)}  max ${fmt.int(l.max)} µs`;
}

export function phaseLines(p: PhaseResult): string[] {
  const head =
    `${p.name.padEnd(14)} c=${String(p.concurrency).padEnd(3)} ${fmt.int(p.lookups).padStart(9)} lookups ` +
    `in ${fmt.s(p.ms).padStart(7)} = ${fmt.int(p.lookupsPerSec).padStart(9)} lookups/s  ${latencyCells(p.latencyUs)}  ` +
    `cache hits ${fmt.pct(p.cacheHitRatio)} (${fmt.int(p.dbQueries)} db queries)  ` +
    `node cpu ${one.format(p.nodeCpuUsPerLookup)} µs/lookup`;
  const parts = (['known', 'unknown', 'fromCache', 'fromDb'] as const)
    .filter((k) => p.split[k].count > 0 && p.split[k].count < p.lookups)
    .map((k) => `    ${k.padEnd(10)} ${fmt.int(p.split[k].count).padStart(9)}  ${latencyCells(p.split[k])}`);
  return [head, ...parts];
}

export function summaryTable(reports: StoreReport[]): string {
  const rows: string[][] = [
    ['store', 'phase', 'conc', 'lookups', 'lookups/s', 'p50 µs', 'p90 µs', 'p99 µs', 'max µs', 'cache hits'],
  ];
  for (const r of reports) {
    for (const p of r.phases) {
      const l = p.latencyUs;
      rows.push([
        r.store,
        p.name,
        String(p.concurrency),
        fmt.int(p.lookups),
        fmt.int(p.lookupsPerSec),
        fmt.int(l.p50),
        fmt.int(l.p90),
        fmt.int(l.p99),
        fmt.int(l.max),
        fmt.pct(p.cacheHitRatio),
      ]);
    }
  }
  const imports = reports.map(
    (r) =>
      `${r.store.padEnd(9)} import ${fmt.int(r.import.customers)} customers in ${fmt.s(r.import.ms)}: ` +
      `${fmt.int(r.import.customersPerSec)} customers/s, ${fmt.int(r.import.phoneRowsPerSec)} phone rows/s; ` +
      `select 1 round trip p50 ${fmt.int(r.roundTripUs.p50)} p99 ${fmt.int(r.roundTripUs.p99)} µs; ` +
      `load average ${r.loadAverage.start.toFixed(2)} → ${r.loadAverage.end.toFixed(2)}`,
  );
  const targets = reports.flatMap((r) =>
    r.targets.map(
      (t) =>
        `${r.store.padEnd(9)} ${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.goal}, measured ${t.measured}`,
    ),
  );
  return [...imports, '', ...alignColumns(rows), '', ...targets].join('\n');
}

function alignColumns(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
  );
}

export function writeJson(dir: string, report: StoreReport): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `lookup-${report.store}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
