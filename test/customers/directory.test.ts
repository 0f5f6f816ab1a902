import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CustomerDirectory } from '../../src/customers/directory.js';
import { isRelaisError } from '../../src/errors.js';
import { testDirectory } from '../helpers/directory.js';
import { frNormalise } from '../helpers/numbers.js';
import { openTestDb, STORE_KINDS, type TestDb } from '../helpers/stores.js';

describe.each(STORE_KINDS)('customer directory on %s', (kind) => {
  let t: TestDb;
  let dir: CustomerDirectory;
  const changes: Array<{ id: string; numbers: string[] }> = [];

  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.db.query('truncate customers cascade');
    changes.length = 0;
    dir = testDirectory(t.db, {
      recentPurchases: 2,
      recentInteractions: 2,
      onChange: (id, numbers) => changes.push({ id, numbers }),
    });
  });

  it('creates a customer with numbers in any format, stored as E.164, and reads it back', async () => {
    const c = await dir.create({
      externalId: 'crm-1',
      name: 'Camille Martin',
      phones: [
        { number: '06 12 34 56 78', label: 'mobile' },
        { number: '+33 1 44 55 66 77' },
        { number: '0033612345678' },
      ],
      tier: 'vip',
      language: 'fr',
      consent: { marketing: false, recording: true },
      attributes: { segment: 'pro', score: 7 },
    });
    expect(c.phones).toEqual([
      { e164: '+33144556677', label: undefined },
      { e164: '+33612345678', label: 'mobile' },
    ]);
    expect(c).toMatchObject({ name: 'Camille Martin', tier: 'vip', language: 'fr', externalId: 'crm-1' });
    expect(c.consent).toEqual({ marketing: false, recording: true });
    expect(c.attributes).toEqual({ segment: 'pro', score: 7 });
    expect(await dir.get(c.id)).toEqual(c);
    expect(changes).toEqual([{ id: c.id, numbers: ['+33612345678', '+33144556677'] }]);
  });

  it('refuses bad fields with every problem named, and writes nothing', async () => {
    const err = await dir
      .create({
        name: ' ',
        phones: [{ number: '2001' }, { number: 'hello' }],
        tier: 'gold',
        language: 'French',
      })
      .catch((e) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_VALIDATION')).toBe(true);
    const fields = (err.details.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields).toEqual(['name', 'tier', 'language', 'phones[0]', 'phones[1]']);
    const n = await t.db.query<{ n: number }>('select count(*)::int as n from customers');
    expect(n.rows[0]?.n).toBe(0);
  });

  it('rejects a duplicate external id as a conflict', async () => {
    await dir.create({ externalId: 'x', name: 'A', phones: [{ number: '0612345678' }] });
    const err = await dir
      .create({ externalId: 'x', name: 'B', phones: [{ number: '0612345679' }] })
      .catch((e) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_CONFLICT')).toBe(true);
  });

  it('answers unknown ids and malformed ids as not found', async () => {
    for (const id of ['3f1e2d4c-0000-4000-8000-000000000000', 'nope', "1' or '1'='1"]) {
      const err = await dir.get(id).catch((e) => e);
      expect(isRelaisError(err, 'RELAIS_ERR_NOT_FOUND')).toBe(true);
    }
  });

  it('looks up by number from memory after the first query, hits and misses alike', async () => {
    const c = await dir.create({ name: 'Léa', phones: [{ number: '0612345678' }] });
    const first = await dir.lookup('+33612345678');
    expect(first.customer?.id).toBe(c.id);
    expect(await dir.lookup('+33699999999')).toEqual({ customer: null, matches: 0 });
    expect(dir.dbLookups).toBe(2);
    for (let i = 0; i < 100; i++) {
      expect((await dir.lookup('+33612345678')).customer?.name).toBe('Léa');
      expect((await dir.lookup('+33699999999')).customer).toBeNull();
    }
    expect(dir.dbLookups).toBe(2);
  });

  it('shares one query between concurrent lookups of one number', async () => {
    await dir.create({ name: 'Léa', phones: [{ number: '0612345678' }] });
    const all = await Promise.all(Array.from({ length: 20 }, () => dir.lookup('+33612345678')));
    expect(new Set(all.map((r) => r.customer?.id)).size).toBe(1);
    expect(dir.dbLookups).toBe(1);
  });

  it('invalidates cached hits and misses when a customer changes', async () => {
    expect((await dir.lookup('+33612345678')).customer).toBeNull(); // cached miss
    const c = await dir.create({ name: 'Léa', phones: [{ number: '0612345678' }] });
    expect((await dir.lookup('+33612345678')).customer?.id).toBe(c.id);
    await dir.update(c.id, { name: 'Léa Dupont', phones: [{ number: '0799999999' }] });
    expect((await dir.lookup('+33612345678')).customer).toBeNull(); // the old number is gone
    expect((await dir.lookup('+33799999999')).customer?.name).toBe('Léa Dupont');
    await dir.delete(c.id);
    expect((await dir.lookup('+33799999999')).customer).toBeNull();
  });

  it('returns the most recently updated of customers sharing a number, with the count', async () => {
    const a = await dir.create({ name: 'Parent', phones: [{ number: '0144556677' }] });
    const b = await dir.create({ name: 'Child', phones: [{ number: '0144556677' }] });
    let r = await dir.lookup('+33144556677');
    expect(r.matches).toBe(2);
    expect(r.customer?.id).toBe(b.id);
    await dir.addPurchase(a.id, { sku: 'TV-55', purchasedAt: Date.now() });
    r = await dir.lookup('+33144556677');
    expect(r.customer?.id).toBe(a.id);
  });

  it('carries the recent purchases and interactions in the card, newest first, limited', async () => {
    const c = await dir.create({ name: 'Léa', phones: [{ number: '0612345678' }] });
    const day = 86_400_000;
    const now = Date.UTC(2026, 10, 20);
    for (let i = 0; i < 4; i++) {
      await dir.addPurchase(c.id, {
        sku: `SKU-${i}`,
        purchasedAt: now - i * day,
        amountCents: 1000 + i,
        currency: 'EUR',
      });
      await dir.addInteraction(c.id, {
        at: now - i * day,
        channel: 'call',
        agentId: `a${i}`,
        disposition: 'solved',
      });
    }
    const card = (await dir.lookup('+33612345678')).customer;
    expect(card?.recentPurchases.map((p) => p.sku)).toEqual(['SKU-0', 'SKU-1']);
    expect(card?.recentPurchases[0]).toMatchObject({ amountCents: 1000, currency: 'EUR', purchasedAt: now });
    expect(card?.recentInteractions.map((i) => i.agentId)).toEqual(['a0', 'a1']);
  });

  it('never looks up withheld, unknown or internal numbers', async () => {
    const before = dir.dbLookups;
    for (const raw of ['anonymous', '', 'garbage!!', '2001']) {
      expect(await dir.lookupNumber(frNormalise(raw))).toEqual({ customer: null, matches: 0 });
    }
    expect(dir.dbLookups).toBe(before);
  });

  it('pages through customers with a keyset cursor', async () => {
    for (let i = 0; i < 5; i++) await dir.create({ name: `C${i}`, phones: [{ number: `061234567${i}` }] });
    const p1 = await dir.list(undefined, 3);
    const p2 = await dir.list(p1.next, 3);
    expect(p1.items).toHaveLength(3);
    expect(p2.items).toHaveLength(2);
    expect(p2.next).toBeUndefined();
    expect(new Set([...p1.items, ...p2.items].map((c) => c.id)).size).toBe(5);
  });
});

describe('customer directory across processes (PostgreSQL LISTEN/NOTIFY)', () => {
  it('drops from one process cache what another process changed', async () => {
    const { createPostgresDatabase } = await import('../helpers/stores.js');
    const { openPostgres } = await import('../../src/store/postgres.js');
    const { migrate } = await import('../../src/store/migrations.js');
    const pg = await createPostgresDatabase();
    const dbA = await openPostgres(pg.url, 2);
    const dbB = await openPostgres(pg.url, 2);
    await migrate(dbA);
    const make = (db: typeof dbA) =>
      new CustomerDirectory({
        db,
        normalise: frNormalise,
        cacheSize: 100,
        recentPurchases: 1,
        recentInteractions: 1,
        tiers: ['standard'],
      });
    const a = make(dbA); // say, `relais customers import`
    const b = make(dbB); // say, the running server
    const stop = await b.follow();
    try {
      expect((await b.lookup('+33611111111')).customer).toBeNull(); // a cached miss in B
      const created = await a.create({ name: 'Nina', phones: [{ number: '0611111111' }] });
      await expect
        .poll(async () => (await b.lookup('+33611111111')).customer?.id, { timeout: 5000 })
        .toBe(created.id);
      await a.update(created.id, { name: 'Nina B.', phones: [{ number: '0611111111' }] });
      await expect
        .poll(async () => (await b.lookup('+33611111111')).customer?.name, { timeout: 5000 })
        .toBe('Nina B.');
      const lookupsBefore = b.dbLookups;
      await b.lookup('+33611111111');
      expect(b.dbLookups).toBe(lookupsBefore); // still served from B's cache when nothing changed
    } finally {
      await stop();
      await dbA.close();
      await dbB.close();
      await pg.drop();
    }
  });
});
