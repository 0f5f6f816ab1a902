/** Whatever bytes a CSV file holds, the import answers with a report or a CSV error: never a crash. */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCustomersCsv } from '../../src/customers/csv-import.js';
import type { CustomerDirectory } from '../../src/customers/directory.js';
import { isRelaisError } from '../../src/errors.js';
import { testDirectory } from '../helpers/directory.js';
import { prng } from '../helpers/prng.js';
import { openTestDb, type TestDb } from '../helpers/stores.js';

const ALPHABET = [
  'a',
  'Z',
  'é',
  '0',
  '6',
  '1',
  '+',
  ' ',
  ',',
  ';',
  '|',
  '"',
  '\n',
  '\r\n',
  '\uFEFF',
  '\u0000',
  '😀',
  'vip',
  '0612345678',
];

describe('CSV import fuzz', () => {
  let t: TestDb;
  let dir: CustomerDirectory;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    dir = testDirectory(t.db, { cacheSize: 10, recentPurchases: 1, recentInteractions: 1 });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('survives 300 random files, with and without a valid header', async () => {
    const rnd = prng(42);
    let reports = 0;
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rnd() * 400);
      let body = '';
      for (let j = 0; j < len; j++) body += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
      const text = i % 2 === 0 ? `id,name,phones,tier\n${body}` : body;
      // Split the bytes at random points, as a socket or a disk read would.
      const bytes = Buffer.from(text, 'utf8');
      const cut = Math.floor(rnd() * bytes.length);
      const input = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
      try {
        const r = await importCustomersCsv(input, dir, { batchSize: 3 });
        reports++;
        expect(r.inserted + r.updated + r.failedCount).toBeLessThanOrEqual(r.lines);
        for (const f of r.failed) expect(f.line).toBeGreaterThanOrEqual(0);
      } catch (e) {
        if (!isRelaisError(e, 'RELAIS_ERR_CSV')) throw e;
      }
    }
    expect(reports).toBeGreaterThan(50);
    // Every customer written is whole: it has at least one number.
    const orphans = await t.db.query<{ n: number }>(
      'select count(*)::int as n from customers c where not exists (select 1 from customer_phones p where p.customer_id = c.id)',
    );
    expect(orphans.rows[0]?.n).toBe(0);
  });
});
