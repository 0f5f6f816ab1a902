import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { AUTH, type Harness, SECRET_DB_TEXT, startHarness } from './harness.js';

const UNKNOWN_ID = '3f1e2d4c-0000-4000-8000-000000000000';

describe('HTTP server: /api/v1/customers on a real directory (PGlite)', () => {
  let h: Harness;
  let callsFail = false;

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    h.inject({
      method,
      url: `/api/v1${url}`,
      headers: AUTH,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const csv = (text: string, contentType = 'text/csv') =>
    h.inject({
      method: 'POST',
      url: '/api/v1/customers/import',
      headers: { ...AUTH, 'content-type': contentType },
      payload: text,
    });
  const fieldsOf = (res: { json(): { error: { fields?: Array<{ field: string }> } } }) =>
    (res.json().error.fields ?? []).map((f) => f.field);

  beforeAll(async () => {
    h = await startHarness({
      liveCalls: () => {
        if (callsFail) throw new Error(`tracker exploded: ${SECRET_DB_TEXT}`);
        return [{ id: 'c1', state: 'connected' }];
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    callsFail = false;
    await h.reset();
  });
  afterEach(() => {
    h.assertNoDbText();
  });

  it('creates, reads, lists, replaces and deletes a customer', async () => {
    const created = await api('POST', '/customers', {
      externalId: 'crm-1',
      name: 'Camille Martin',
      phones: [{ number: '06 12 34 56 78', label: 'mobile' }, { number: '+33 1 44 55 66 77' }],
      tier: 'vip',
      language: 'fr',
      email: 'camille@example.org',
      consent: { marketing: false },
      attributes: { segment: 'pro', score: 7, active: true },
    });
    expect(created.statusCode).toBe(201);
    const card = created.json();
    expect(created.headers.location).toBe(`/api/v1/customers/${card.id}`);
    expect(card).toMatchObject({
      externalId: 'crm-1',
      name: 'Camille Martin',
      tier: 'vip',
      consent: { marketing: false },
      attributes: { segment: 'pro', score: 7, active: true },
      recentPurchases: [],
      recentInteractions: [],
    });
    expect(card.phones).toEqual(
      expect.arrayContaining([{ e164: '+33612345678', label: 'mobile' }, { e164: '+33144556677' }]),
    );
    expect(card.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const read = await h.inject({ method: 'GET', url: created.headers.location as string, headers: AUTH });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(card);

    const replaced = await api('PUT', `/customers/${card.id}`, {
      name: 'Camille Dupont',
      phones: [{ number: '0799999999' }],
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: card.id, name: 'Camille Dupont', tier: 'standard' });
    expect(replaced.json().phones).toEqual([{ e164: '+33799999999' }]);
    expect(replaced.json().externalId).toBeUndefined();

    const deleted = await api('DELETE', `/customers/${card.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await api('GET', `/customers/${card.id}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/customers/${card.id}`)).statusCode).toBe(404);
  });

  it('pages through customers with a cursor', async () => {
    for (let i = 0; i < 5; i++)
      await api('POST', '/customers', { name: `C${i}`, phones: [{ number: `061234567${i}` }] });
    const p1 = await api('GET', '/customers?limit=2');
    expect(p1.statusCode).toBe(200);
    expect(p1.json().items).toHaveLength(2);
    const p2 = await api('GET', `/customers?limit=2&after=${p1.json().next}`);
    const p3 = await api('GET', `/customers?limit=2&after=${p2.json().next}`);
    expect(p3.json().items).toHaveLength(1);
    expect(p3.json().next).toBeNull();
    const ids = [...p1.json().items, ...p2.json().items, ...p3.json().items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(5);
    expect((await api('GET', '/customers')).json().items).toHaveLength(5); // default limit 50
    for (const q of ['limit=0', 'limit=501', 'limit=ten']) {
      const bad = await api('GET', `/customers?${q}`);
      expect(bad.statusCode, q).toBe(400);
      expect(fieldsOf(bad)).toEqual(['limit']);
    }
    const badCursor = await api('GET', "/customers?after=1'%20or%20'1'='1");
    expect(badCursor.statusCode).toBe(400);
    expect(fieldsOf(badCursor)).toEqual(['after']);
    const extra = await api('GET', '/customers?offset=10');
    expect(extra.statusCode).toBe(400);
    expect(fieldsOf(extra)).toEqual(['offset']);
  });

  it('looks a caller up by a number in national format', async () => {
    const c = (await api('POST', '/customers', { name: 'Léa', phones: [{ number: '+33612345678' }] })).json();
    const res = await api('GET', `/customers/lookup?number=${encodeURIComponent('06 12 34 56 78')}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.number).toMatchObject({
      kind: 'e164',
      e164: '+33612345678',
      country: 'FR',
      raw: '06 12 34 56 78',
    });
    expect(body.matches).toBe(1);
    expect(body.customer).toMatchObject({ id: c.id, name: 'Léa' });

    const unknown = await api('GET', '/customers/lookup?number=0699999999');
    expect(unknown.json()).toMatchObject({ customer: null, matches: 0, number: { kind: 'e164' } });
    const withheld = await api('GET', '/customers/lookup?number=anonymous');
    expect(withheld.json()).toEqual({
      number: { kind: 'withheld', raw: 'anonymous' },
      customer: null,
      matches: 0,
    });
    const missing = await api('GET', '/customers/lookup');
    expect(missing.statusCode).toBe(400);
    expect(fieldsOf(missing)).toEqual(['number']);
  });

  it('records purchases and interactions with ISO 8601 times, and answers them as ISO strings', async () => {
    const c = (await api('POST', '/customers', { name: 'Léa', phones: [{ number: '0612345678' }] })).json();
    const p = await api('POST', `/customers/${c.id}/purchases`, {
      sku: 'TV-55',
      label: 'Television',
      amountCents: 49_900,
      currency: 'EUR',
      purchasedAt: '2026-11-20T10:30:00+01:00',
    });
    expect(p.statusCode).toBe(201);
    expect(p.json().recentPurchases).toEqual([
      {
        id: expect.any(String),
        sku: 'TV-55',
        label: 'Television',
        amountCents: 49_900,
        currency: 'EUR',
        purchasedAt: '2026-11-20T09:30:00.000Z',
      },
    ]);
    const i = await api('POST', `/customers/${c.id}/interactions`, {
      at: '2026-11-21T08:00:00Z',
      channel: 'call',
      agentId: 'a1',
      summary: 'Asked about delivery',
      disposition: 'solved',
    });
    expect(i.statusCode).toBe(201);
    expect(i.json().recentInteractions[0]).toMatchObject({ at: '2026-11-21T08:00:00.000Z', channel: 'call' });
    expect(i.json().recentPurchases).toHaveLength(1);

    for (const purchasedAt of [
      'yesterday',
      '2026-13-40T10:00:00Z',
      '2026-02-31T10:00:00Z',
      '2026-11-20T10:30:00',
      1_763_600_000_000,
    ]) {
      const bad = await api('POST', `/customers/${c.id}/purchases`, { sku: 'X', purchasedAt });
      expect(bad.statusCode, String(purchasedAt)).toBe(400);
      expect(fieldsOf(bad)).toEqual(['purchasedAt']);
    }
    const fractional = await api('POST', `/customers/${c.id}/purchases`, {
      sku: 'X',
      amountCents: 9.99,
      purchasedAt: '2026-11-20T10:30:00Z',
    });
    expect(fieldsOf(fractional)).toEqual(['amountCents']);
    const noChannel = await api('POST', `/customers/${c.id}/interactions`, { at: '2026-11-21T08:00:00Z' });
    expect(fieldsOf(noChannel)).toEqual(['channel']);
    const gone = await api('POST', `/customers/${UNKNOWN_ID}/purchases`, {
      sku: 'X',
      purchasedAt: '2026-11-20T10:30:00Z',
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('RELAIS_ERR_NOT_FOUND');
  });

  it('answers 400 naming the field for bad bodies', async () => {
    const cases: Array<[string, unknown, string[]]> = [
      ['missing name', { phones: [{ number: '0612345678' }] }, ['name']],
      ['wrong type', { name: 42, phones: [{ number: '0612345678' }] }, ['name']],
      ['extra property', { name: 'A', nickname: 'B', phones: [{ number: '0612345678' }] }, ['nickname']],
      ['nested wrong type', { name: 'A', phones: [{ number: 612345678 }] }, ['phones[0].number']],
      ['nested extra', { name: 'A', phones: [{ number: '0612345678', kind: 'mobile' }] }, ['phones[0].kind']],
      ['no phones', { name: 'A', phones: [] }, ['phones']],
      [
        'bad attribute',
        { name: 'A', phones: [{ number: '0612345678' }], attributes: { x: [1] } },
        ['attributes.x'],
      ],
      [
        'bad phone number',
        { name: 'A', phones: [{ number: '0612345678' }, { number: 'hello' }] },
        ['phones[1]'],
      ],
      ['internal extension', { name: 'A', phones: [{ number: '2001' }] }, ['phones[0]']],
      [
        'blank name, unknown tier',
        { name: '  ', tier: 'gold', phones: [{ number: '0612345678' }] },
        ['name', 'tier'],
      ],
      ['not an object', [1, 2], ['body']],
    ];
    for (const [what, body, fields] of cases) {
      for (const res of [
        await api('POST', '/customers', body),
        await api('PUT', `/customers/${UNKNOWN_ID}`, body),
      ]) {
        expect(res.statusCode, what).toBe(400);
        const err = res.json().error;
        expect(err.code, what).toBe('RELAIS_ERR_VALIDATION');
        expect(fieldsOf(res), what).toEqual(fields);
        for (const f of fields) expect(err.message).toContain(f);
      }
    }
    const missing = (await api('POST', '/customers', cases[0]?.[1])).json();
    expect(missing.error).toEqual({
      code: 'RELAIS_ERR_VALIDATION',
      message: 'the body is not valid: name: Expected required property',
      fields: [{ field: 'name', message: 'Expected required property' }],
    });
    const bad = await h.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"name": "A", phones: [',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toEqual({
      code: 'RELAIS_ERR_VALIDATION',
      message: expect.stringMatching(/not valid JSON/),
    });
    const xml = await h.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...AUTH, 'content-type': 'application/xml' },
      payload: '<customer/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('RELAIS_ERR_VALIDATION');
    const huge = await api('POST', '/customers', { name: 'x'.repeat(2 * 1024 * 1024), phones: [] });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toEqual({ code: 'RELAIS_ERR_VALIDATION', message: expect.any(String) });
    expect((await h.directory.list(undefined, 10)).items).toHaveLength(0);
  });

  it('answers unknown and malformed ids with a JSON 404', async () => {
    for (const id of [UNKNOWN_ID, 'nope', "1'%20or%20'1'='1"]) {
      const res = await api('GET', `/customers/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.code).toBe('RELAIS_ERR_NOT_FOUND');
    }
    const put = await api('PUT', `/customers/${UNKNOWN_ID}`, {
      name: 'A',
      phones: [{ number: '0612345678' }],
    });
    expect(put.statusCode).toBe(404);
  });

  it('answers 409 for a duplicate external id', async () => {
    const a = await api('POST', '/customers', {
      externalId: 'x',
      name: 'A',
      phones: [{ number: '0612345678' }],
    });
    expect(a.statusCode).toBe(201);
    const b = await api('POST', '/customers', {
      externalId: 'x',
      name: 'B',
      phones: [{ number: '0612345679' }],
    });
    expect(b.statusCode).toBe(409);
    expect(b.json().error.code).toBe('RELAIS_ERR_CONFLICT');
    const c = (
      await api('POST', '/customers', { externalId: 'y', name: 'C', phones: [{ number: '0612345670' }] })
    ).json();
    const put = await api('PUT', `/customers/${c.id}`, {
      externalId: 'x',
      name: 'C',
      phones: [{ number: '0612345670' }],
    });
    expect(put.statusCode).toBe(409);
  });

  it('imports a CSV file, reporting a broken line with its line number', async () => {
    const file = [
      'id;name;phones;tier;consent.marketing;attr.segment',
      'crm-1;Camille Martin;06 12 34 56 78|01 44 55 66 77;vip;yes;pro',
      'crm-2;Léa Dupont;not-a-number;standard;no;',
      'crm-3;Jean Petit;0698765432;standard;;retail',
      'crm-4;Too;Many;Fields;yes;x;extra',
    ].join('\n');
    const res = await csv(file, 'text/csv; charset=utf-8');
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ lines: 4, inserted: 2, updated: 0, failedCount: 2 });
    expect(report.failed.map((f: { line: number }) => f.line)).toEqual([3, 5]);
    expect(report.failed[0].message).toContain('phones[0]');
    const found = await api('GET', '/customers/lookup?number=0144556677');
    expect(found.json().customer).toMatchObject({
      externalId: 'crm-1',
      tier: 'vip',
      attributes: { segment: 'pro' },
    });

    const again = await csv('id,name,phones\ncrm-1,Camille Martin-Durand,0612345678\n');
    expect(again.json()).toMatchObject({ lines: 1, inserted: 0, updated: 1, failed: [] });

    const header = await csv('id,name,phone\nx,y,z\n');
    expect(header.statusCode).toBe(400);
    expect(header.json().error).toMatchObject({ code: 'RELAIS_ERR_CSV' });
    const empty = await csv('');
    expect(empty.statusCode).toBe(400);
    const json = await api('POST', '/customers/import', { id: 'x' });
    expect(json.statusCode).toBe(400);
    expect(fieldsOf(json)).toEqual(['body']);
  });

  it('lists live calls', async () => {
    const res = await api('GET', '/calls');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ id: 'c1', state: 'connected' }] });
  });

  it('never answers database or internal error text, and logs it instead', async () => {
    const c = (await api('POST', '/customers', { name: 'Léa', phones: [{ number: '0612345678' }] })).json();
    h.logs.length = 0;
    h.db.failing = true;
    const attempts = [
      await api('GET', `/customers/${c.id}`),
      await api('GET', '/customers'),
      await api('GET', '/customers/lookup?number=0699999999'),
      await api('POST', '/customers', { name: 'B', phones: [{ number: '0612345679' }] }),
      await api('PUT', `/customers/${c.id}`, { name: 'B', phones: [{ number: '0612345679' }] }),
      await api('DELETE', `/customers/${c.id}`),
      await api('POST', `/customers/${c.id}/purchases`, { sku: 'X', purchasedAt: '2026-11-20T10:30:00Z' }),
      await api('POST', `/customers/${c.id}/interactions`, { at: '2026-11-20T10:30:00Z', channel: 'call' }),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({
        error: { code: 'RELAIS_ERR_STORE', message: ERROR_CODES.RELAIS_ERR_STORE },
      });
    }
    const imported = await csv('id,name,phones\nx1,A,0612345678\n');
    expect(imported.statusCode).toBe(200);
    expect(imported.json().failed).toEqual([{ line: 2, message: 'customer import: database error' }]);
    h.db.failing = false;

    callsFail = true;
    const boom = await api('GET', '/calls');
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ error: { code: 'RELAIS_ERR_INTERNAL', message: 'internal error' } });

    for (const res of [...attempts, imported, boom]) expect(res.body).not.toContain('password');
    const logged = h.logs.filter((l) => l.includes('password authentication failed'));
    expect(logged.length).toBeGreaterThanOrEqual(attempts.length + 1);
  });
});
