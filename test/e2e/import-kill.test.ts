/**
 * A process killed with SIGKILL in the middle of an import loses nothing it committed, leaves no
 * half-written customer, and a second run completes the file without duplicates.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';
import { runRelais, spawnRelais, waitForLine } from '../helpers/cli.js';
import { createPostgresDatabase } from '../helpers/stores.js';

const TOTAL = 15_000;

function writeCsv(dir: string): string {
  const file = path.join(dir, 'customers.csv');
  const lines = ['id,name,phones,tier'];
  for (let i = 0; i < TOTAL; i++) {
    const n = String(i).padStart(8, '0');
    lines.push(`k${i},Customer ${i},06${n}|01${n},${i % 10 === 0 ? 'vip' : 'standard'}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function counts(db: Db) {
  const one = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]?.n ?? -1;
  return {
    customers: await one('select count(*)::int as n from customers'),
    phones: await one('select count(*)::int as n from customer_phones'),
    // A customer without both numbers would be half a line.
    partial: await one(
      'select count(*)::int as n from customers c where (select count(*) from customer_phones p where p.customer_id = c.id) <> 2',
    ),
  };
}

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of drops) await d();
});

describe.each(['pglite', 'postgres'] as const)('kill -9 during an import on %s', (kind) => {
  it('keeps every committed customer whole, and a re-run completes the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-kill-'));
    const file = writeCsv(dir);
    let env: Record<string, string> = {};
    if (kind === 'postgres') {
      const pg = await createPostgresDatabase();
      drops.push(pg.drop);
      env = { DATABASE_URL: pg.url };
    }
    const args = ['customers', 'import', file, '--data-dir', dir, '--batch-size', '250'];
    const child = spawnRelais(args, env);
    const progress = await waitForLine(child.stderr as NodeJS.ReadableStream, /(\d+) new/);
    expect(Number(progress[1])).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));

    const open = () => (kind === 'pglite' ? openPglite(dir) : openPostgres(env.DATABASE_URL as string, 2));
    let db = await open();
    const after = await counts(db);
    await db.close();
    expect(after.customers).toBeGreaterThanOrEqual(Number(progress[1]));
    expect(after.customers).toBeLessThan(TOTAL);
    expect(after.partial).toBe(0);
    expect(after.phones).toBe(after.customers * 2);

    const rerun = await runRelais(args, env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(
      `${TOTAL} lines, ${TOTAL - after.customers} new, ${after.customers} updated, 0 refused`,
    );
    db = await open();
    expect(await counts(db)).toEqual({ customers: TOTAL, phones: TOTAL * 2, partial: 0 });
    await db.close();
  }, 240_000);
});
