import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRelaisError } from '../../src/errors.js';
import { insertCallRecords, selectCallRecords } from '../../src/history/call-records.js';
import type { CallRecord } from '../../src/model/call.js';
import { BatchWriter } from '../../src/store/batch-writer.js';
import { toRelaisError } from '../../src/store/errors.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';
import { openTestDb, STORE_KINDS, type TestDb } from '../helpers/stores.js';

const record = (i: number, over: Partial<CallRecord> = {}): CallRecord => ({
  callId: `c${i}`,
  link: 'csta-1',
  aniKind: 'e164',
  ani: '+33612345678',
  dnis: '+33800123456',
  startedAt: Date.UTC(2026, 10, 25, 9, 0, i),
  answeredAt: Date.UTC(2026, 10, 25, 9, 0, i + 5),
  endedAt: Date.UTC(2026, 10, 25, 9, 3, i),
  waitMs: 5000,
  talkMs: 175_000,
  holdMs: 0,
  transfers: 0,
  outcome: 'answered',
  ...over,
});

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { migrate: false });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('applies every migration once, and again is a no-op', async () => {
    const first = await migrate(t.db);
    expect(first.applied.map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    const second = await migrate(t.db);
    expect(second.applied).toEqual([]);
    expect(second.current).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.id);
    const rows = await t.db.query<{ n: number }>('select count(*)::int as n from relais_migrations');
    expect(rows.rows[0]?.n).toBe(MIGRATIONS.length);
  });

  it('rolls a failing migration back whole and says which one failed', async () => {
    const bad = [
      ...MIGRATIONS,
      { id: 999, name: 'broken', sql: 'create table half_done (x int); select * from no_such_table;' },
    ];
    const err = await migrate(t.db, bad).catch((e) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_MIGRATION')).toBe(true);
    expect(err.message).toContain('999 (broken)');
    const exists = await t.db.query("select 1 from information_schema.tables where table_name = 'half_done'");
    expect(exists.rows).toHaveLength(0);
  });

  it('turns a duplicate key into a conflict error, whatever the engine', async () => {
    await t.db.query("insert into customers (external_id, name) values ('dup', 'A')");
    const err = await t.db
      .query("insert into customers (external_id, name) values ('dup', 'B')")
      .catch((e) => e);
    expect(toRelaisError(err, 'customer').code).toBe('RELAIS_ERR_CONFLICT');
  });

  it('writes call records exactly once, even when a batch is replayed', async () => {
    const batch = [
      record(1),
      record(2, { outcome: 'abandoned', answeredAt: undefined, ani: undefined, aniKind: 'withheld' }),
    ];
    expect(await insertCallRecords(t.db, batch)).toBe(2);
    expect(await insertCallRecords(t.db, batch)).toBe(0);
    const back = await selectCallRecords(t.db, Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26));
    expect(back).toEqual(batch);
  });

  it('group-commits many writes in few transactions and resolves each once durable', async () => {
    let batches = 0;
    const writer = new BatchWriter<CallRecord>({
      db: t.db,
      maxBatch: 100,
      flushMs: 5,
      writeBatch: async (tx, items) => {
        batches++;
        await insertCallRecords(tx, items);
      },
    });
    const writes = Array.from({ length: 1000 }, (_, i) => writer.write(record(1000 + i)));
    await Promise.all(writes);
    expect(batches).toBeLessThanOrEqual(15);
    const n = await t.db.query<{ n: number }>(
      "select count(*)::int as n from call_records where call_id like 'c1%' and call_id <> 'c1'",
    );
    expect(n.rows[0]?.n).toBeGreaterThanOrEqual(1000);
    await writer.close();
    await expect(writer.write(record(5000))).rejects.toThrow(/closed/);
  });

  it('retries a failing batch and rejects its writers after the last attempt', async () => {
    let calls = 0;
    const writer = new BatchWriter<number>({
      db: t.db,
      maxBatch: 10,
      flushMs: 1,
      attempts: 2,
      writeBatch: async (tx) => {
        calls++;
        await tx.query('select * from no_such_table');
      },
    });
    await expect(writer.write(1)).rejects.toBeTruthy();
    expect(calls).toBe(2);
  });
});

describe('embedded database ownership', () => {
  it('refuses a second opener of the same data directory, naming the owner', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-lock-'));
    const a = await openPglite(dir);
    const lockFile = path.join(dir, 'pglite.lock');
    const { writeFileSync, readFileSync } = await import('node:fs');
    const mine = readFileSync(lockFile, 'utf8');
    expect(mine).toBe(String(process.pid));
    // Pretend another live process (our parent) holds it.
    writeFileSync(lockFile, String(process.ppid));
    const err = await openPglite(dir).catch((e) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_STORE')).toBe(true);
    expect(err.message).toContain(`process ${process.ppid}`);
    writeFileSync(lockFile, mine);
    await a.close();
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-lock-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'pglite.lock'), '999999');
    const db = await openPglite(dir);
    await db.ping();
    await db.close();
  });

  it('reports an unreachable PostgreSQL server as a store error', async () => {
    const err = await openPostgres('postgres://postgres@127.0.0.1:1/none', 1).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
  });
});
