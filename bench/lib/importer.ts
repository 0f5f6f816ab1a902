/**
 * Loads the population through the real import path: `CustomerDirectory.check` (validation and
 * number normalisation, as the CSV import does per line) then `upsertBatch`, one transaction per batch.
 */
import type { CustomerDirectory } from '../../src/customers/directory.js';
import type { CustomerWrite } from '../../src/customers/repository.js';
import { customerInput, type Population } from './population.js';
import { elapsedMs, perSecond } from './stats.js';

export interface ImportResult {
  customers: number;
  phoneRows: number;
  batchSize: number;
  ms: number;
  customersPerSec: number;
  phoneRowsPerSec: number;
  /** Time spent in upsertBatch (the database side); the rest is validation and normalisation. */
  upsertMs: number;
  /** The slowest batch, a hint of checkpoint or index-growth stalls. */
  slowestBatchMs: number;
}

type Row = CustomerWrite & { externalId: string };

export async function importPopulation(
  dir: CustomerDirectory,
  pop: Population,
  batchSize: number,
  onProgress: (done: number, ms: number) => void,
): Promise<ImportResult> {
  const start = process.hrtime.bigint();
  let upsertMs = 0;
  let slowestBatchMs = 0;
  let inserted = 0;
  for (let from = 0; from < pop.customers; from += batchSize) {
    const batch = prepareBatch(dir, pop, from, Math.min(pop.customers, from + batchSize));
    const t0 = process.hrtime.bigint();
    const r = await dir.upsertBatch(batch);
    const ms = elapsedMs(t0);
    upsertMs += ms;
    slowestBatchMs = Math.max(slowestBatchMs, ms);
    inserted += r.inserted;
    onProgress(from + batch.length, elapsedMs(start));
  }
  const ms = elapsedMs(start);
  if (inserted !== pop.customers) throw new Error(`expected ${pop.customers} new customers, got ${inserted}`);
  const phoneRows = pop.phoneNumbers.length;
  return {
    customers: pop.customers,
    phoneRows,
    batchSize,
    ms,
    customersPerSec: perSecond(pop.customers, ms),
    phoneRowsPerSec: perSecond(phoneRows, ms),
    upsertMs,
    slowestBatchMs,
  };
}

function prepareBatch(dir: CustomerDirectory, pop: Population, from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (let i = from; i < to; i++) {
    const { write, problems } = dir.check(customerInput(pop, i));
    if (problems.length > 0) {
      // The generator only makes valid customers: anything else is a bug in this bench.
      throw new Error(`generated customer ${i} is invalid: ${JSON.stringify(problems)}`);
    }
    rows.push({ ...write, externalId: write.externalId as string });
  }
  return rows;
}
