/** A PostgreSQL server through node-postgres, for `DATABASE_URL` deployments and scale-out. */
import pg from 'pg';
import type { Db, Queryable, QueryOptions, QueryResult } from './db.js';

// Same shapes as PGlite: int8 (counts, sums) as JS numbers when they fit, numeric as numbers.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node would exit.
  pool.on('error', () => {});
  const client = await pool.connect(); // fail fast on a bad URL
  client.release();
  const query = async <R>(
    sql: string,
    params?: readonly unknown[],
    opts?: QueryOptions,
  ): Promise<QueryResult<R>> => {
    const res = await pool.query({ text: sql, values: params as unknown[] | undefined, name: opts?.name });
    return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
  };
  return {
    kind: 'postgres',
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const c = await pool.connect();
      const tx: Queryable = {
        async query<R>(sql: string, params?: readonly unknown[], opts?: QueryOptions) {
          const res = await c.query({ text: sql, values: params as unknown[] | undefined, name: opts?.name });
          return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
        },
        async exec(sql: string) {
          await c.query(sql);
        },
      };
      try {
        await c.query('begin');
        const out = await fn(tx);
        await c.query('commit');
        return out;
      } catch (e) {
        await c.query('rollback').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async notify(channel, payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    listen: (channel, onMessage, onGap) => listen(url, channel, onMessage, onGap),
    async ping() {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/**
 * A dedicated connection that LISTENs on one channel and comes back after the server or the
 * network drops it (backoff up to 5 s); after each comeback, `onGap` says messages may be lost.
 */
async function listen(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onGap: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) onMessage(n.payload);
    });
    c.on('error', () => {}); // 'end' follows and schedules the reconnection
    c.on('end', () => {
      if (!stopped) schedule(250);
    });
    await c.connect();
    await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  const schedule = (delay: number) => {
    retry = setTimeout(() => {
      connect().then(onGap, () => schedule(Math.min(delay * 2, 5000)));
    }, delay);
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
