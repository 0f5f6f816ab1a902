/**
 * Screen pops over the desktop WebSocket: Relais built as `relais start` builds it, a CSTA
 * simulator ringing the agent's extension, and a WebSocket client as the desktop.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRelais, type Relais } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { signature } from '../../src/desktop/webhooks.js';
import { wrapUpsOf } from '../../src/history/wrap-ups.js';
import { CstaSimulator } from '../../src/simulator/csta/index.js';
import { linkReady } from '../helpers/simulator.js';

const sim = new CstaSimulator({
  identifiers: 'unify',
  devices: {
    agents: ['2001', '2002'],
    acdGroups: [{ id: '3001' }],
    routePoints: [{ id: '3000', defaultRoute: '2001' }],
  },
});

/** The CRM's webhook endpoint. */
const hooks: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
const crm = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    hooks.push({ headers: req.headers, body });
    res.end();
  });
});
const HOOK_SECRET = 'the-crm-webhook-secret';

let relais: Relais;
let base: string;
let token: string;

interface Msg {
  channel?: string;
  seq?: number;
  type: string;
  payload?: Record<string, unknown>;
  reason?: string;
}

/** A desktop: collects messages, waits for one matching. */
function desktop(query: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/desktop?${query}`, { headers });
  const got: Msg[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    got.push(JSON.parse(String(data)) as Msg);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (pred: (m: Msg) => boolean, ms = 5000): Promise<Msg> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = got.find(pred);
      if (m) return m;
      if (Date.now() > deadline)
        throw new Error(`no message matched; got ${JSON.stringify(got.map((x) => x.type))}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { ws, got, next, opened };
}

beforeAll(async () => {
  const { port } = await sim.listen();
  await new Promise<void>((r) => crm.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/relais`;
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-desktop-'));
  const config = validateConfig({
    dataDir: dir,
    http: { port: 0 },
    calls: { clearGraceMs: 50 },
    campaigns: [{ id: 'spring-2026', name: 'Printemps 2026', dnis: ['0800 123 456'] }],
    desktop: {
      crmUrls: [{ dnis: ['0800 123 456'], url: 'https://crm.example/contacts?phone={ani}&call={callId}' }],
      webhooks: [{ url: hookUrl, secret: HOOK_SECRET }],
    },
    links: {
      csta: [
        {
          name: 'pbx',
          host: '127.0.0.1',
          port,
          devices: [
            { id: '2001', kind: 'agent' },
            { id: '2002', kind: 'agent' },
            { id: '3001', kind: 'acd' },
          ],
          routing: { devices: ['3000'], default: '2001' },
        },
      ],
    },
  });
  relais = await createRelais(config, pino({ level: 'silent' }));
  base = await relais.listen();
  token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
  await linkReady(sim, 3);
  const vip = await relais.directory.create({
    name: 'Victoire Dupont',
    phones: [{ number: '06 11 22 33 44' }],
    tier: 'vip',
    language: 'fr-FR',
  });
  await relais.directory.addPurchase(vip.id, {
    sku: 'TV-55',
    label: 'Téléviseur 55"',
    purchasedAt: Date.now() - 86_400_000,
  });
}, 30_000);

afterAll(async () => {
  await relais?.close();
  await sim.close();
  crm.close();
});

describe('desktop WebSocket', () => {
  it('refuses a desktop without a token', async () => {
    await expect(desktop('device=2001').opened).rejects.toThrow('HTTP 401');
  });

  it("pops the caller's card at the device the call rings at, then follows the call", async () => {
    const d = desktop(`device=2001&token=${token}`);
    await d.opened;
    await d.next((m) => m.type === 'subscribed');
    const call = sim.placeCall({
      ani: '0611223344',
      callerName: 'V DUPONT',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 200,
      talkMs: 100,
    });
    const pop = await d.next((m) => m.type === 'call.offered');
    expect(pop.channel).toBe('device:2001');
    expect(pop.payload).toMatchObject({
      device: '2001',
      state: 'alerting',
      caller: { kind: 'e164', number: '+33611223344' },
      dnis: '+33800123456',
      customer: {
        name: 'Victoire Dupont',
        tier: 'vip',
        language: 'fr-FR',
        recentPurchases: [{ sku: 'TV-55' }],
      },
      crmUrl: `https://crm.example/contacts?phone=%2B33611223344&call=${pop.payload?.callId}`,
      campaign: { id: 'spring-2026', name: 'Printemps 2026' },
    });
    // The same pop, pushed to the CRM's webhook, signed.
    await expect.poll(() => hooks.length).toBeGreaterThan(0);
    const hook = hooks[0] as (typeof hooks)[number];
    const ts = String(hook.headers['x-relais-timestamp']);
    expect(hook.headers['x-relais-signature']).toBe(signature(HOOK_SECRET, ts, hook.body));
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'call.offered',
      payload: { callId: pop.payload?.callId, customer: { name: 'Victoire Dupont' } },
    });
    await d.next((m) => m.type === 'call.state' && m.payload?.state === 'connected');
    await call.done;
    await d.next((m) => m.type === 'call.state' && m.payload?.state === 'cleared');
    d.ws.close();
  });

  it('shows a withheld caller as unknown, never looked up', async () => {
    const d = desktop(`device=2001&token=${token}`);
    await d.opened;
    const before = relais.directory.cacheStats;
    const call = sim.placeCall({
      presentation: 'restricted',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 100,
      talkMs: 20,
    });
    const pop = await d.next((m) => m.type === 'call.offered');
    expect(pop.payload).toMatchObject({ caller: { kind: 'withheld' }, customer: null });
    expect(pop.payload?.caller).not.toHaveProperty('number');
    const after = relais.directory.cacheStats;
    expect(after.hits + after.misses + after.dbLookups).toBe(before.hits + before.misses + before.dbLookups);
    await call.done;
    d.ws.close();
  });

  it('gives a reconnecting desktop the pop it missed', async () => {
    const first = desktop(`device=2001&token=${token}`);
    await first.opened;
    const sub = await first.next((m) => m.type === 'subscribed');
    first.ws.close();
    // A call rings at 2001 while the desktop is away.
    await sim.placeCall({ ani: '0611223344', dnis: '0800123456', routePoint: '3000', ringMs: 50, talkMs: 20 })
      .done;
    const again = desktop(`device=2001&after=${sub.seq}&token=${token}`);
    await again.opened;
    const missed = await again.next((m) => m.type === 'call.offered');
    expect(missed.payload).toMatchObject({ device: '2001', customer: { name: 'Victoire Dupont' } });
    expect(missed.seq).toBeGreaterThan(sub.seq as number);
    expect((await again.next((m) => m.type === 'subscribed')).payload).toEqual({ resumedFrom: sub.seq });
    again.ws.close();
  });

  it('refuses a message that does not fit, with a reason, and answers pings', async () => {
    const d = desktop(`device=2001&token=${token}`);
    await d.opened;
    d.ws.send('{"type":"follow","device":"20 01"}');
    expect((await d.next((m) => m.type === 'error')).reason).toMatch(/^device: /);
    d.ws.send('{"type":"dance"}');
    await d.next((m) => m.type === 'error' && m.reason === 'type: expected one of ping, follow');
    d.ws.send('not json');
    await d.next((m) => m.type === 'error' && m.reason === 'not JSON text');
    d.ws.send('{"type":"ping"}');
    await d.next((m) => m.type === 'pong');
    d.ws.close();
  });

  it('saves a wrap-up with the call, and the next pop shows it as the last interaction', async () => {
    const d = desktop(`device=2001&token=${token}`);
    await d.opened;
    const call = await sim.placeCall({
      ani: '0611223344',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 20,
      talkMs: 20,
    }).done;
    await d.next(
      (m) => m.type === 'call.state' && m.payload?.callId === call.callId && m.payload?.state === 'cleared',
    );
    const auth = { authorization: `Bearer ${token}` };
    const wrap = (callId: string, payload: object) =>
      relais.server.inject({
        method: 'POST',
        url: `/api/v1/calls/${callId}/wrap-up`,
        headers: auth,
        payload,
      });
    const saved = await wrap(call.callId, {
      link: 'pbx',
      agentId: 'alice',
      disposition: 'sale',
      note: 'Extension de garantie',
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().customerId).toBeDefined();
    expect((await wrap('no-such-call', { disposition: 'sale' })).statusCode).toBe(404);
    const campaigns = await relais.server.inject({ url: '/api/v1/campaigns', headers: auth });
    expect(campaigns.json()).toEqual({
      items: [{ id: 'spring-2026', name: 'Printemps 2026', dnis: ['0800 123 456'] }],
    });
    expect((await wrap(call.callId, { disposition: 'not a code!' })).statusCode).toBe(400);
    expect(await wrapUpsOf(relais.db, 'pbx', call.callId)).toMatchObject([
      { agentId: 'alice', disposition: 'sale', note: 'Extension de garantie' },
    ]);

    sim.placeCall({ ani: '0611223344', dnis: '0800123456', routePoint: '3000', ringMs: 20, talkMs: 20 });
    const pop = await d.next((m) => m.type === 'call.offered' && m.payload?.callId !== call.callId);
    const card = pop.payload?.customer as { recentInteractions: Array<Record<string, unknown>> };
    expect(card.recentInteractions[0]).toMatchObject({
      disposition: 'sale',
      agentId: 'alice',
      callId: call.callId,
      summary: 'Extension de garantie',
    });
    d.ws.close();
  });
});
