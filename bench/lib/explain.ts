/**
 * EXPLAIN (ANALYZE, BUFFERS) of the lookup query exactly as the directory sends it: the SQL is
 * captured from `repository.selectByNumber` through a recording Queryable, never copied here.
 */
import { type CardLimits, selectByNumber } from '../../src/customers/repository.js';
import type { Db, Queryable, QueryResult } from '../../src/store/db.js';

interface Captured {
  sql: string;
  params: readonly unknown[];
}

async function captureLookupQuery(e164: string, limits: CardLimits): Promise<Captured> {
  let captured: Captured | undefined;
  const recorder: Queryable = {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      captured = { sql, params };
      return { rows: [], rowCount: 0 };
    },
    async exec() {},
  };
  await selectByNumber(recorder, e164, limits);
  if (!captured) throw new Error('selectByNumber sent no query');
  return captured;
}

/** The plan lines, with actual times, for one lookup of `e164`. */
export async function explainLookup(db: Db, e164: string, limits: CardLimits): Promise<string[]> {
  const { sql, params } = await captureLookupQuery(e164, limits);
  const res = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
  return res.rows.map((r) => r['QUERY PLAN']);
}
