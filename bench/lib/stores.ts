/**
 * Fresh, migrated databases for one run: PGlite in a temporary directory, or a new PostgreSQL
 * database `relais_bench_<pid>` created through the admin URL. `dispose` removes either.
 * A PGlite database may instead live in a given directory, which `dispose` keeps (to reuse an
 * imported directory across runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';

export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const ADMIN_URL =
  process.env.RELAIS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchStore {
  kind: StoreKind;
  db: Db;
  /** Where the data lives: a directory or a redacted URL. */
  location: string;
  /** Closes the database and deletes it. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface BenchStoreOptions {
  /** PGlite only: open (or create) the database in this directory, and keep it at `dispose`. */
  keepDir?: string;
}

export async function openBenchStore(
  kind: StoreKind,
  poolSize: number,
  opts: BenchStoreOptions = {},
): Promise<BenchStore> {
  if (opts.keepDir !== undefined && kind !== 'pglite')
    throw new Error('only a PGlite database can be kept in a directory');
  const store =
    kind === 'pglite'
      ? opts.keepDir !== undefined
        ? await openKeptPgliteStore(opts.keepDir)
        : await openPgliteStore()
      : await openPostgresStore(poolSize);
  try {
    await migrate(store.db);
  } catch (e) {
    await store.dispose();
    throw e;
  }
  return store;
}

async function openPgliteStore(): Promise<BenchStore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-bench-'));
  const db = await openPglite(dir);
  return {
    kind: 'pglite',
    db,
    location: dir,
    dispose: once(async () => {
      await db.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }),
  };
}

async function openKeptPgliteStore(dir: string): Promise<BenchStore> {
  const db = await openPglite(dir);
  return {
    kind: 'pglite',
    db,
    location: dir,
    dispose: once(async () => {
      await db.close().catch(() => {});
    }),
  };
}

async function openPostgresStore(poolSize: number): Promise<BenchStore> {
  const name = `relais_bench_${process.pid}`;
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = () => admin(`drop database if exists ${name} with (force)`);
  let db: Db;
  try {
    db = await openPostgres(url.toString(), poolSize);
  } catch (e) {
    await drop();
    throw e;
  }
  url.password = url.password ? '***' : '';
  return {
    kind: 'postgres',
    db,
    location: url.toString(),
    dispose: once(async () => {
      await db.close().catch(() => {});
      await drop();
    }),
  };
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/** Server version and the settings that matter for these figures. */
export async function describeStore(db: Db): Promise<Record<string, string>> {
  const res = await db.query<{ name: string; setting: string }>(
    `select name, current_setting(name) as setting from pg_settings
     where name in ('server_version', 'shared_buffers', 'work_mem', 'synchronous_commit', 'jit', 'random_page_cost')`,
  );
  return Object.fromEntries(res.rows.map((r) => [r.name, r.setting]));
}

/** Bytes used by the directory's tables and indexes. */
export async function directorySize(db: Db): Promise<number> {
  const res = await db.query<{ bytes: number }>(
    `select (pg_total_relation_size('customers') + pg_total_relation_size('customer_phones'))::bigint as bytes`,
  );
  return Number(res.rows[0]?.bytes ?? 0);
}
