/**
 * The same store suites run on embedded PGlite and on a real PostgreSQL server.
 * Each PostgreSQL test database is created fresh and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';

export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const ADMIN_URL =
  process.env.RELAIS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb {
  db: Db;
  /** The URL of the PostgreSQL database, when kind is postgres. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database (empty, not migrated) and its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `relais_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function openTestDb(kind: StoreKind, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let t: TestDb;
  if (kind === 'pglite') {
    const db = await openPglite('memory');
    t = { db, url: undefined, drop: () => db.close() };
  } else {
    const { url, drop } = await createPostgresDatabase();
    const db = await openPostgres(url, 5);
    t = {
      db,
      url,
      async drop() {
        await db.close();
        await drop();
      },
    };
  }
  if (opts.migrate !== false) await migrate(t.db);
  return t;
}
