/**
 * The IVR over HTTP, wired as the composition root wires it: the routing engine (normaliser, the
 * real directory on PGlite, the example plan) behind the routes. The lookup is watched to show that a
 * withheld or malformed caller is never looked up, and that a failing directory still gets the
 * caller a VoiceXML document.
 */
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LookupResult } from '../../src/customers/directory.js';
import type { NormalisedNumber } from '../../src/model/number.js';
import { DecisionLog } from '../../src/routing/decision-log.js';
import { RoutingEngine } from '../../src/routing/engine.js';
import { loadPlanFile } from '../../src/routing/plan/load.js';
import type { IvrRoutesOptions } from '../../src/server/routes/ivr.js';
import { frNormalise } from '../helpers/numbers.js';
import { AUTH, type Harness, startHarness, TOKEN } from '../server/harness.js';

const plan = loadPlanFile(new URL('../../routing.example.yaml', import.meta.url).pathname, {
  normalise: frNormalise,
  defaultCountry: 'FR',
  tiers: ['standard', 'vip'],
});
const DAY = 86_400_000;
// Wednesday 25 November 2026, 10:00 in Paris: the example plan's business calendar is open.
const NOW = Date.parse('2026-11-25T09:00:00Z');

let h: Harness;
let engine: RoutingEngine;
let log: DecisionLog;
const lookups: NormalisedNumber[] = [];
let directoryDown = false;

// The options src/app.ts builds; the engine exists only once the harness has its database.
const ivr: IvrRoutesOptions = {
  decide: (q) => engine.ivr(q),
  choose: (q) => engine.chooseIvr(q),
  defaultLanguage: () => engine.plan.ivr?.defaultLanguage ?? 'fr-FR',
  transferTo: () => engine.plan.plan.ivr?.transferTo,
};

beforeAll(async () => {
  h = await startHarness({ ivr });
  log = new DecisionLog({ db: h.db, keep: 10, batchSize: 10, flushMs: 5 });
  engine = new RoutingEngine({
    normalise: frNormalise,
    lookup: (n): Promise<LookupResult> => {
      lookups.push(n);
      if (directoryDown) return Promise.reject(new Error('directory down'));
      return Promise.resolve(h.directory.lookupNumber(n));
    },
    plan,
    log,
    now: () => NOW,
  });
});
afterAll(async () => {
  await log.close();
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  lookups.length = 0;
  directoryDown = false;
});

const decide = (payload: object, headers: Record<string, string> = AUTH) =>
  h.inject({ method: 'POST', url: '/api/v1/ivr/decisions', headers, payload });
const order = (body: { menu: { options: Array<{ id: string; dtmf: string }> } }) =>
  body.menu.options.map((o) => `${o.dtmf}:${o.id}`);

function parse(doc: string): Array<{ name: string; attributes: Record<string, string> }> {
  const out: Array<{ name: string; attributes: Record<string, string> }> = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (t) =>
    out.push({
      name: t.local,
      attributes: Object.fromEntries(Object.entries(t.attributes).map(([k, v]) => [k, v.value])),
    }),
  );
  parser.write(doc).close();
  return out;
}

describe('IVR API', () => {
  it('refuses requests without a valid token, on the API and on the VoiceXML documents', async () => {
    expect((await decide({ callId: 'a', ani: '0612345678', dnis: '0140000000' }, {})).statusCode).toBe(401);
    expect(
      (await decide({ callId: 'a', ani: '', dnis: '' }, { authorization: 'Bearer wrong' })).statusCode,
    ).toBe(401);
    const choice = await h.inject({
      method: 'POST',
      url: '/api/v1/ivr/choices',
      payload: { callId: 'a', choice: '1' },
    });
    expect(choice.statusCode).toBe(401);
    // The API takes the header only: a token in the query is for the VoiceXML documents.
    expect(
      (await h.inject({ method: 'POST', url: `/api/v1/ivr/decisions?token=${TOKEN}`, payload: {} }))
        .statusCode,
    ).toBe(401);
    expect((await h.inject({ url: '/ivr/entry.vxml?ani=0612345678' })).statusCode).toBe(401);
    expect((await h.inject({ url: '/ivr/entry.vxml?token=nope' })).statusCode).toBe(401);
    expect((await h.inject({ url: '/ivr/choice.vxml?callId=a&option=1' })).statusCode).toBe(401);
    expect(lookups).toEqual([]);
  });

  it('answers a French mobile in French and a US number in English, looking each up', async () => {
    const fr = await decide({ callId: 'f1', ani: '+33 6 12 34 56 78', dnis: '01 40 00 00 00' });
    expect(fr.statusCode).toBe(200);
    expect(fr.json()).toMatchObject({
      callId: 'f1',
      language: 'fr-FR',
      greeting: 'welcome',
      menu: { id: 'main' },
    });
    const us = await decide({ callId: 'u1', ani: '+1 212 555 0100', dnis: '01 40 00 00 00' });
    expect(us.json()).toMatchObject({ language: 'en-US' });
    expect(us.json().menu.options.map((o: { label: string }) => o.label)).toEqual([
      'Sales',
      'After-sales service',
      'Support',
    ]);
    expect(lookups.map((n) => (n.kind === 'e164' ? n.e164 : n.kind))).toEqual([
      '+33612345678',
      '+12125550100',
    ]);
  });

  it('gives a withheld, missing or malformed caller the line defaults with a 200, without a lookup', async () => {
    for (const ani of ['anonymous', 'restricted', '', '+++', '\u0000<script>', '9'.repeat(300)]) {
      const res = await decide({ callId: 'w1', ani, dnis: '01 40 00 00 00' });
      expect(res.statusCode, ani).toBe(200);
      expect(res.json()).toMatchObject({ language: 'fr-FR', greeting: 'welcome' });
      expect(order(res.json())).toEqual(['1:sales', '2:after-sales', '3:support']);
    }
    // No ani at all, and a DNIS that is not a number: the IVR's own defaults.
    const bare = await decide({ callId: 'w2' });
    expect(bare.statusCode).toBe(200);
    expect(bare.json()).toMatchObject({ language: 'fr-FR', menu: { id: 'main' } });
    // The campaign line keeps its own menu for a hidden caller.
    expect((await decide({ callId: 'w3', ani: 'anonymous', dnis: '0800 123 456' })).json().menu.id).toBe(
      'campaign',
    );
    expect(lookups).toEqual([]);
  });

  it('brings after-sales first for a recent buyer and greets them as a returning customer', async () => {
    const c = await h.directory.create({ name: 'Rita Recent', phones: [{ number: '06 33 33 33 33' }] });
    await h.directory.addPurchase(c.id, { sku: 'TV-55', purchasedAt: NOW - 3 * DAY });
    const res = (await decide({ callId: 'r1', ani: '0633333333', dnis: '0140000000' })).json();
    expect(res.greeting).toBe('welcome-back');
    expect(order(res)).toEqual(['2:after-sales', '1:sales', '3:support']);
    expect(res.reasons).toContain('menu order: rule recent-buyers brings after-sales first');
  });

  it('records a choice by key or id, steering the next routing decision, and refuses an unknown one', async () => {
    const byKey = await h.inject({
      method: 'POST',
      url: '/api/v1/ivr/choices',
      headers: AUTH,
      payload: { callId: 'c1', link: 'pbx', menu: 'main', choice: '2' },
    });
    expect(byKey.statusCode).toBe(200);
    expect(byKey.json()).toEqual({
      id: 'after-sales',
      dtmf: '2',
      label: 'Service après-vente',
      skill: 'after-sales',
    });
    const decision = await engine.router({
      link: 'pbx',
      callId: 'c1',
      ani: '0612345678',
      dnis: '0140000000',
      at: NOW,
    });
    expect(decision.skills).toContain('after-sales');
    const byId = await h.inject({
      method: 'POST',
      url: '/api/v1/ivr/choices',
      headers: AUTH,
      payload: { callId: 'c2', choice: 'sales' },
    });
    expect(byId.json()).toMatchObject({ id: 'sales', queue: 'sales' });
    for (const payload of [
      { callId: 'c3', choice: '7' },
      { callId: 'c3', menu: 'constructor', choice: '1' },
    ]) {
      const res = await h.inject({ method: 'POST', url: '/api/v1/ivr/choices', headers: AUTH, payload });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('RELAIS_ERR_NOT_FOUND');
    }
  });
});

describe('IVR VoiceXML', () => {
  it('serves the entry menu with the token in the query, in the caller’s language and order', async () => {
    const c = await h.directory.create({ name: 'Rita Recent', phones: [{ number: '06 33 33 33 33' }] });
    await h.directory.addPurchase(c.id, { sku: 'TV-55', purchasedAt: NOW - DAY });
    const res = await h.inject({
      url: `/ivr/entry.vxml?ani=%2B33633333333&dnis=0140000000&callId=v1&link=pbx&token=${TOKEN}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/voicexml+xml; charset=utf-8');
    const elements = parse(res.body);
    expect(elements[0]).toMatchObject({ name: 'vxml', attributes: { version: '2.1', 'xml:lang': 'fr-FR' } });
    const choices = elements.filter((e) => e.name === 'choice').map((e) => e.attributes);
    expect(choices.map((a) => a.dtmf)).toEqual(['2', '1', '3']);
    const next = new URL(choices[0]?.next ?? '', 'https://relais.example/ivr/entry.vxml');
    expect(next.pathname).toBe('/ivr/choice.vxml');
    expect(Object.fromEntries(next.searchParams)).toEqual({
      callId: 'v1',
      menu: 'main',
      lang: 'fr-FR',
      option: 'after-sales',
      link: 'pbx',
      token: TOKEN,
    });
    // The bearer header works too, and then no token is written into the document.
    const withHeader = await h.inject({ url: '/ivr/entry.vxml?ani=%2B12125550100&callId=v2', headers: AUTH });
    expect(withHeader.body).toContain('xml:lang="en-US"');
    expect(withHeader.body).not.toContain('token=');
  });

  it('answers a malformed or missing number with the defaults, never an error page', async () => {
    for (const query of ['ani=%3Cscript%3E&dnis=%26%26', 'ani=', '', `ani=${'1'.repeat(500)}`]) {
      const res = await h.inject({ url: `/ivr/entry.vxml?${query}${query ? '&' : ''}token=${TOKEN}` });
      expect(res.statusCode, query).toBe(200);
      expect(parse(res.body)[0]?.attributes['xml:lang']).toBe('fr-FR');
    }
    expect(lookups).toEqual([]);
  });

  it('answers without the customer when the directory is down, on both the API and VoiceXML', async () => {
    directoryDown = true;
    const res = await h.inject({ url: `/ivr/entry.vxml?ani=0612345678&callId=d1&token=${TOKEN}` });
    expect(res.statusCode).toBe(200);
    expect(parse(res.body)[0]?.attributes['xml:lang']).toBe('fr-FR');
    expect(parse(res.body).some((e) => e.name === 'choice')).toBe(true);
    const json = await decide({ callId: 'd2', ani: '0612345678', dnis: '0140000000' });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ language: 'fr-FR', greeting: 'welcome' });
    expect(json.json().reasons).toContain('customer record unavailable in time: answered without it');
  });

  it('records the choice and transfers in the language of the menu; no option still transfers', async () => {
    const res = await h.inject({
      url: `/ivr/choice.vxml?callId=v3&link=pbx&menu=main&option=after-sales&lang=en-US&token=${TOKEN}`,
    });
    expect(res.statusCode).toBe(200);
    const elements = parse(res.body);
    expect(elements[0]?.attributes['xml:lang']).toBe('en-US');
    expect(elements.find((e) => e.name === 'transfer')?.attributes).toMatchObject({
      dest: 'tel:3000',
      bridge: 'false',
    });
    const routed = await engine.router({
      link: 'pbx',
      callId: 'v3',
      ani: '0612345678',
      dnis: '0140000000',
      at: NOW,
    });
    expect(routed.skills).toContain('after-sales');
    // The caller never chose (three timeouts), or the language was tampered with.
    const none = await h.inject({ url: `/ivr/choice.vxml?callId=v4&menu=main&lang=%22%3E&token=${TOKEN}` });
    expect(none.statusCode).toBe(200);
    expect(parse(none.body)[0]?.attributes['xml:lang']).toBe('fr-FR');
  });
});
