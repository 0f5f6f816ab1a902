/** Embedded PostgreSQL (PGlite, WASM) in the data directory: one process owns it at a time. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './db.js';
import { acquireDirLock } from './dir-lock.js';

function wrap(q: PGlite | Transaction): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res = await q.query<R>(sql, params as unknown[] | undefined);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

/** Opens (creating if needed) the embedded database under `dataDir/pglite`. `memory` keeps it in RAM (tests). */
export async function openPglite(dataDir: string | 'memory'): Promise<Db> {
  // numeric as a JS number, as the node-postgres side does (postgres.ts).
  const options = { parsers: { 1700: (v: string) => Number(v) } };
  let release = () => {};
  let pg: PGlite;
  if (dataDir === 'memory') {
    pg = await PGlite.create(options);
  } else {
    mkdirSync(dataDir, { recursive: true });
    release = acquireDirLock(path.join(dataDir, 'pglite.lock'));
    try {
      pg = await PGlite.create(path.join(dataDir, 'pglite'), options);
    } catch (e) {
      release();
      throw e;
    }
  }
  const base = wrap(pg);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async ping() {
      await pg.query('select 1');
    },
    async close() {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
