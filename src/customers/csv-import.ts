/**
 * `relais customers import FILE.csv`: streams a CSV file into the directory.
 *
 * Columns (header row required, any order, `,` or `;` separated, UTF-8 with or without BOM):
 *   id (required)      the customer's id in the source system; re-importing updates, never duplicates
 *   name (required)
 *   phones (required)  one or more numbers separated by `|` (or `;` when the file uses `,`)
 *   tier, language, email
 *   consent.<purpose>  yes/no, true/false, 1/0 (empty: not recorded)
 *   attr.<key>         free attributes
 *
 * A bad line is reported with its line number and skipped; it never stops the file nor leaves
 * half a customer behind (each batch is one transaction; a failing batch is retried line by line).
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { RelaisError } from '../errors.js';
import type { CustomerDirectory, CustomerInput } from './directory.js';
import type { CustomerWrite } from './repository.js';

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportReport {
  /** Data lines read (header excluded). */
  lines: number;
  inserted: number;
  updated: number;
  /** The first `maxProblems` problems, in file order. */
  failed: ImportProblem[];
  /** Every line that was not imported, including those beyond `maxProblems`. */
  failedCount: number;
}

export interface ImportOptions {
  batchSize?: number;
  onBatch?: (report: ImportReport) => void;
  /** Problems kept in the report (default 1000); `failedCount` still counts them all. */
  maxProblems?: number;
}

const FIXED = new Set(['id', 'name', 'phones', 'tier', 'language', 'email']);
const TRUE = new Set(['yes', 'y', 'true', '1', 'oui']);
const FALSE = new Set(['no', 'n', 'false', '0', 'non']);

type Row = CustomerWrite & { externalId: string; line: number };

export async function importCustomersCsv(
  input: Readable,
  dir: CustomerDirectory,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const batchSize = opts.batchSize ?? 500;
  const report: ImportReport = { lines: 0, inserted: 0, updated: 0, failed: [], failedCount: 0 };
  const cap = opts.maxProblems ?? 1000;
  const fail = (line: number, message: string) => {
    report.failedCount++;
    if (report.failed.length < cap) report.failed.push({ line, message });
  };
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: [',', ';'],
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
      on_skip: (err) => {
        report.lines++;
        fail(lineOf(err), `unreadable CSV: ${err?.message ?? 'malformed line'}`);
      },
    }),
  );
  let header: Header | undefined;
  let batch = new Map<string, Row>();
  const flush = async () => {
    if (batch.size === 0) return;
    await writeBatch([...batch.values()], dir, report, fail);
    batch = new Map();
    opts.onBatch?.(report);
  };
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (!header) {
      header = readHeader(record);
      continue;
    }
    report.lines++;
    const row = toRow(header, record, info.lines, dir, fail);
    if (!row) continue;
    batch.delete(row.externalId); // the later line for one id wins, as a re-import would
    batch.set(row.externalId, row);
    if (batch.size >= batchSize) await flush();
  }
  await flush();
  // The parser reports unreadable lines as it reads ahead, before earlier lines are checked.
  report.failed.sort((a, b) => a.line - b.line);
  if (!header) throw new RelaisError('RELAIS_ERR_CSV', 'the file is empty: a header row is required');
  return report;
}

interface Header {
  names: string[];
}

function readHeader(record: string[]): Header {
  const names = record.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !FIXED.has(n) && !/^(consent|attr)\.[a-z0-9_-]+$/.test(n));
  if (unknown.length > 0) {
    throw new RelaisError(
      'RELAIS_ERR_CSV',
      `unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}: expected id, name, phones, tier, language, email, consent.<purpose>, attr.<key>`,
    );
  }
  for (const required of ['id', 'name', 'phones']) {
    if (!names.includes(required))
      throw new RelaisError('RELAIS_ERR_CSV', `the header has no "${required}" column`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new RelaisError('RELAIS_ERR_CSV', `the column "${dup}" appears twice in the header`);
  return { names };
}

type Fail = (line: number, message: string) => void;

function toRow(
  header: Header,
  record: string[],
  line: number,
  dir: CustomerDirectory,
  fail: Fail,
): Row | undefined {
  if (record.length !== header.names.length) {
    fail(line, `expected ${header.names.length} fields, found ${record.length}`);
    return undefined;
  }
  const input: CustomerInput = { name: '', phones: [], consent: {}, attributes: {} };
  const problems: string[] = [];
  header.names.forEach((name, i) => {
    const v = record[i] ?? '';
    assign(input, name, v, problems);
  });
  const { write, problems: fieldProblems } = dir.check(input);
  for (const p of fieldProblems) problems.push(`${p.field}: ${p.message}`);
  if (!write.externalId) problems.unshift('id: must not be empty');
  if (problems.length > 0) {
    fail(line, problems.join('; '));
    return undefined;
  }
  return { ...write, externalId: write.externalId as string, line };
}

function assign(input: CustomerInput, column: string, v: string, problems: string[]): void {
  if (column === 'id') input.externalId = v;
  else if (column === 'name') input.name = v;
  else if (column === 'phones') input.phones = splitPhones(v).map((number) => ({ number }));
  else if (column === 'tier') input.tier = v;
  else if (column === 'language') input.language = v;
  else if (column === 'email') input.email = v;
  else if (column.startsWith('consent.')) {
    const key = column.slice('consent.'.length);
    const b = v.toLowerCase();
    if (TRUE.has(b)) (input.consent as Record<string, boolean>)[key] = true;
    else if (FALSE.has(b)) (input.consent as Record<string, boolean>)[key] = false;
    else if (b !== '') problems.push(`${column}: expected yes or no (got "${v}")`);
  } else if (v !== '') {
    (input.attributes as Record<string, string>)[column.slice('attr.'.length)] = v;
  }
}

function splitPhones(v: string): string[] {
  return v
    .split(/[|;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

async function writeBatch(
  rows: Row[],
  dir: CustomerDirectory,
  report: ImportReport,
  fail: Fail,
): Promise<void> {
  try {
    const r = await dir.upsertBatch(rows);
    report.inserted += r.inserted;
    report.updated += r.updated;
    return;
  } catch {
    // One row spoiled the batch (or the database hiccuped): isolate it, one transaction per row.
  }
  for (const row of rows) {
    try {
      const r = await dir.upsertBatch([row]);
      report.inserted += r.inserted;
      report.updated += r.updated;
    } catch (e) {
      fail(row.line, e instanceof Error ? e.message : String(e));
    }
  }
}

function lineOf(err: unknown): number {
  const lines = (err as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' ? lines : 0;
}
