import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importCustomersCsv } from '../../src/customers/csv-import.js';
import type { CustomerDirectory } from '../../src/customers/directory.js';
import { isRelaisError } from '../../src/errors.js';
import { testDirectory } from '../helpers/directory.js';
import { openTestDb, STORE_KINDS, type TestDb } from '../helpers/stores.js';

const csv = (text: string) => Readable.from([Buffer.from(text, 'utf8')]);

describe.each(STORE_KINDS)('CSV import on %s', (kind) => {
  let t: TestDb;
  let dir: CustomerDirectory;

  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.db.query('truncate customers cascade');
    dir = testDirectory(t.db, { cacheSize: 100 });
  });

  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n;

  it('imports good lines, reports each bad line by number with the reason, and skips it whole', async () => {
    const file = [
      'id,name,phones,tier,language,email,consent.marketing,attr.segment', // line 1
      'c1,Camille Martin,06 12 34 56 78|01 44 55 66 77,vip,fr,camille@example.fr,yes,pro', // 2 ok
      'c2,,0612345679,standard,fr,,,', // 3 no name
      'c3,Jean Dupont,not-a-number,standard,fr,,,', // 4 bad phone
      'c4,"Dupont, Marie",+33 6 11 22 33 44,gold,fr,,,', // 5 bad tier
      'c5,Paul,0611223345,standard,fr,,maybe,', // 6 bad consent
      'c6,Too,many,fields,here,x,y,z,extra', // 7 field count
      '', // 8 empty: skipped silently
      'c7,"Unclosed quote,0611223346,standard,fr,,,', // 9 malformed quoting
    ].join('\n');
    const report = await importCustomersCsv(csv(file), dir, { batchSize: 2 });
    expect(report.inserted).toBe(1);
    expect(report.failed.map((f) => f.line)).toEqual([3, 4, 5, 6, 7, 9]);
    expect(report.failedCount).toBe(6);
    expect(report.failed[0]?.message).toMatch(/name/);
    expect(report.failed[1]?.message).toMatch(/phones\[0\].*not-a-number/);
    expect(report.failed[2]?.message).toMatch(/tier/);
    expect(report.failed[3]?.message).toMatch(/consent\.marketing/);
    expect(report.failed[4]?.message).toMatch(/expected 8 fields, found 9/);
    expect(await count('customers')).toBe(1);
    expect(await count('customer_phones')).toBe(2);
    const card = (await dir.lookup('+33144556677')).customer;
    expect(card).toMatchObject({
      externalId: 'c1',
      name: 'Camille Martin',
      tier: 'vip',
      language: 'fr',
      email: 'camille@example.fr',
      consent: { marketing: true },
      attributes: { segment: 'pro' },
    });
  });

  it('is idempotent: a second import of the same file updates and never duplicates', async () => {
    const lines = [
      'id;name;phones',
      ...Array.from({ length: 50 }, (_, i) => `x${i};Name ${i};06 00 00 00 ${String(i).padStart(2, '0')}`),
    ];
    const first = await importCustomersCsv(csv(lines.join('\r\n')), dir, { batchSize: 7 });
    expect(first).toMatchObject({ lines: 50, inserted: 50, updated: 0, failedCount: 0 });
    lines[1] = 'x0;Renamed;06 99 99 99 99';
    const second = await importCustomersCsv(csv(lines.join('\r\n')), dir, { batchSize: 7 });
    expect(second).toMatchObject({ lines: 50, inserted: 0, updated: 50, failedCount: 0 });
    expect(await count('customers')).toBe(50);
    expect(await count('customer_phones')).toBe(50);
    expect((await dir.lookup('+33699999999')).customer?.name).toBe('Renamed');
    expect((await dir.lookup('+33600000000')).customer).toBeNull();
  });

  it('keeps the last line when one id appears twice in a file', async () => {
    const r = await importCustomersCsv(csv('id,name,phones\nd,First,0611111111\nd,Second,0622222222\n'), dir);
    expect(r.failedCount).toBe(0);
    expect(await count('customers')).toBe(1);
    expect((await dir.lookup('+33622222222')).customer?.name).toBe('Second');
  });

  it('accepts a byte-order mark and a semicolon-separated file with quoted fields', async () => {
    const r = await importCustomersCsv(
      csv('\uFEFFid;name;phones\n"a";"Zoé; Lefèvre";"0611111111|0622222222"\n'),
      dir,
    );
    expect(r).toMatchObject({ inserted: 1, failedCount: 0 });
    expect((await dir.lookup('+33622222222')).customer?.name).toBe('Zoé; Lefèvre');
  });

  it('refuses a file whose header has unknown or missing columns, before writing anything', async () => {
    for (const header of ['id,name,phones,colour', 'id,name', 'id,name,phones,name']) {
      const err = await importCustomersCsv(csv(`${header}\nz,Z,0611111111\n`), dir).catch((e) => e);
      expect(isRelaisError(err, 'RELAIS_ERR_CSV')).toBe(true);
    }
    expect(await count('customers')).toBe(0);
  });

  it('refuses an empty file with a clear error', async () => {
    const err = await importCustomersCsv(csv(''), dir).catch((e) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_CSV')).toBe(true);
    expect(err.message).toMatch(/header/);
  });
});
