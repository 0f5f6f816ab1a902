/**
 * Routing through a switch: the simulator sends RouteRequests to Relais built as `relais start`
 * builds it (createRelais, a routing plan file, a CSTA link), and the agents who answer show where
 * each call went and why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRelais, type Relais } from '../../src/app.js';
import { validateConfig } from '../../src/config/load.js';
import { CstaSimulator } from '../../src/simulator/csta/index.js';
import { linkReady } from '../helpers/simulator.js';

const sim = new CstaSimulator({
  identifiers: 'unify',
  replyTimeoutMs: 20_000,
  ringNoAnswerMs: 200,
  devices: {
    agents: ['4001', '4002', '4003'],
    acdGroups: [{ id: '3001' }, { id: '3002' }],
    routePoints: [{ id: '3000', defaultRoute: '3001' }],
  },
});

// Today in Paris: a holiday of the business calendar below, so the holiday line is closed all day.
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

const PLAN = `
timezone: Europe/Paris
calendars:
  always: { hours: { mon-sun: ["00:00-24:00"] }, holidays: [] }
  never: { hours: {}, holidays: [] }
  business: { hours: { mon-sun: ["00:00-24:00"] }, holidays: ["${TODAY}"] }
skills: [support, sales, senior]
queues:
  - { id: support, device: "3001", skills: [support], overflow: { afterSeconds: 1, to: sales } }
  - { id: sales, device: "3002", skills: [sales] }
agents:
  - { id: alice, device: "4001", skills: { support: 3, senior: 1 } }
  - { id: bob, device: "4002", skills: { support: 2, senior: 1 } }
  - { id: chloe, device: "4003", skills: { sales: 3 } }
acd: { ageing: { pointsPerSecond: 0, maxWaitSeconds: 60 }, preferredAgentWaitSeconds: 2 }
rules:
  - { name: holiday, when: { dnis: { exact: "0800 111 111" }, time: { calendar: business, open: false } }, then: { destination: "5001" } }
  - { name: closed-line, when: { dnis: { exact: "0800 000 000" }, time: { calendar: never, open: false } }, then: { destination: "5000" } }
  - { name: vip, when: { customer: { tier: vip } }, then: { queue: support, priority: 100, skills: [senior], preferLastAgent: true } }
  - { name: campaign, when: { dnis: { exact: "0800 123 456" } }, then: { queue: sales } }
default: { queue: support }
ivr:
  supported: [fr-FR, en-US]
  greetings: { returning: welcome-back, tiers: { vip: vip-welcome } }
  menus:
    main:
      options:
        - { id: buy, dtmf: "1", label: { fr-FR: Acheter, en-US: Buy }, queue: sales }
        - { id: help, dtmf: "2", label: { fr-FR: Aide, en-US: Help }, queue: support }
  ordering:
    - { name: recent-buyers, when: { customer: { purchasedWithinDays: 30 } }, first: [help] }
  transferTo: "3000"
`;

let relais: Relais;
let dir: string;

beforeAll(async () => {
  const { port } = await sim.listen();
  dir = mkdtempSync(path.join(tmpdir(), 'relais-routing-'));
  writeFileSync(path.join(dir, 'routing.yaml'), PLAN);
  const config = validateConfig({
    dataDir: dir,
    http: { port: 0 },
    calls: { clearGraceMs: 50 },
    routing: { plan: path.join(dir, 'routing.yaml') },
    links: {
      csta: [
        {
          name: 'pbx',
          host: '127.0.0.1',
          port,
          devices: [
            { id: '3001', kind: 'acd' },
            { id: '3002', kind: 'acd' },
            { id: '4001', kind: 'agent' },
            { id: '4002', kind: 'agent' },
            { id: '4003', kind: 'agent' },
          ],
          routing: { devices: ['3000'], queueWaitMs: 15_000 },
        },
      ],
    },
  });
  relais = await createRelais(config, pino({ level: 'silent' }));
  await linkReady(sim, 5);
  await relais.directory.create({ name: 'Victor VIP', phones: [{ number: '06 11 11 11 11' }], tier: 'vip' });
  await relais.directory.create({ name: 'Sam Standard', phones: [{ number: '06 22 22 22 22' }] });
}, 30_000);

afterAll(async () => {
  await relais?.close();
  await sim.close();
});

const routing = () => relais.routing as NonNullable<Relais['routing']>;

describe('routing with a plan, through the CSTA simulator', () => {
  it('sends the campaign DNIS to the sales team and everyone else to support, with a trace', async () => {
    routing().distributor.login('bob');
    routing().distributor.login('chloe');
    const campaign = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800123456',
      routePoint: '3000',
      talkMs: 50,
    }).done;
    expect(campaign).toMatchObject({ result: 'answered', agent: '4003', routing: 'selected' });
    const other = await sim.placeCall({
      ani: '0622222222',
      dnis: '0140000000',
      routePoint: '3000',
      talkMs: 50,
    }).done;
    expect(other).toMatchObject({ result: 'answered', agent: '4002' });

    const trace = await routing().decisions.get(campaign.callId, 'pbx');
    expect(trace).toMatchObject({
      rule: 'campaign',
      queue: 'sales',
      outcome: { kind: 'agent', agentId: 'chloe', device: '4003' },
    });
    expect(trace?.rules.map((r) => r.rule)).toEqual(['holiday', 'closed-line', 'vip', 'campaign']);
    expect(trace?.candidates[0]).toMatchObject({ agentId: 'chloe', chosen: true });
    expect(JSON.stringify(trace)).not.toContain('622222222');
  });

  it('closes a line on a holiday of its business calendar', async () => {
    const call = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800111111',
      routePoint: '3000',
      answer: false,
      abandonAfterMs: 300,
    }).done;
    const trace = await routing().decisions.get(call.callId, 'pbx');
    expect(trace).toMatchObject({ rule: 'holiday', outcome: { kind: 'device', device: '5001' } });
    expect(trace?.rules[0]?.conditions[1]).toMatchObject({ test: 'calendar business closed', passed: true });
    expect(trace?.rules[0]?.conditions[1]?.actual).toContain(`${TODAY}`);
    expect(trace?.rules[0]?.conditions[1]?.actual).toContain('holiday');
  });

  it('answers a closed line with its destination', async () => {
    const closed = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800000000',
      routePoint: '3000',
      answer: false,
      abandonAfterMs: 300,
    }).done;
    const trace = await routing().decisions.get(closed.callId, 'pbx');
    expect(trace).toMatchObject({ rule: 'closed-line', outcome: { kind: 'device', device: '5000' } });
  });

  it('serves a VIP who called after a standard caller first, at the senior agent', async () => {
    const d = routing().distributor;
    d.logout('bob');
    d.logout('chloe');
    d.login('alice');
    // Alice is on a call: the next two wait.
    const first = sim.placeCall({ ani: '0622222222', dnis: '0140000000', routePoint: '3000', talkMs: 600 });
    await expect.poll(() => d.agent('alice')?.state).toBe('busy');
    const standard = sim.placeCall({ ani: '0622222222', dnis: '0140000000', routePoint: '3000', talkMs: 50 });
    await expect.poll(() => d.stats().queues.find((q) => q.id === 'support')?.waiting).toBe(1);
    const vip = sim.placeCall({ ani: '0611111111', dnis: '0140000000', routePoint: '3000', talkMs: 50 });
    await expect.poll(() => d.stats().queues.find((q) => q.id === 'support')?.waiting).toBe(2);
    const [f, v] = await Promise.all([first.done, vip.done]);
    expect(f.agent).toBe('4001');
    expect(v).toMatchObject({ result: 'answered', agent: '4001' });
    // The VIP was answered while the standard caller still waited (they need a support agent, only alice is in).
    const s = await standard.done;
    expect(s.agent).toBe('4001');
    const vt = await routing().decisions.get(v.callId, 'pbx');
    const st = await routing().decisions.get(s.callId, 'pbx');
    expect(vt).toMatchObject({ rule: 'vip', priority: 100, outcome: { kind: 'agent', agentId: 'alice' } });
    expect(st).toMatchObject({ rule: 'default', outcome: { kind: 'agent', agentId: 'alice' } });
    const waited = (t: typeof vt) => (t?.outcome.kind === 'agent' ? t.outcome.waitedMs : Number.NaN);
    // The standard caller came first but waited longer than the VIP.
    expect(waited(st)).toBeGreaterThan(waited(vt));
  });

  it('overflows to the next queue after its timeout', async () => {
    const d = routing().distributor;
    d.logout('alice');
    d.login('chloe');
    const call = await sim.placeCall({
      ani: '0622222222',
      dnis: '0140000000',
      routePoint: '3000',
      talkMs: 50,
    }).done;
    expect(call).toMatchObject({ result: 'answered', agent: '4003' });
    const trace = await routing().decisions.get(call.callId, 'pbx');
    expect(trace?.steps.map((x) => x.what)).toContainEqual('overflowed from support to sales');
    expect(trace?.outcome).toMatchObject({ kind: 'agent', agentId: 'chloe' });
  });

  it('never offers one agent two calls when many route requests arrive at once', async () => {
    const d = routing().distributor;
    d.logout('chloe');
    d.login('alice');
    d.login('bob');
    const calls = Array.from({ length: 12 }, () =>
      sim.placeCall({ ani: '0622222222', dnis: '0140000000', routePoint: '3000', talkMs: 30 }),
    );
    const outcomes = await Promise.all(calls.map((c) => c.done));
    // Every call reached an agent; the switch would have reported a busy agent as failed.
    expect(outcomes.map((o) => o.result)).toEqual(outcomes.map(() => 'answered'));
    expect(new Set(outcomes.map((o) => o.agent))).toEqual(new Set(['4001', '4002']));
  });

  it('serves decisions, agents and queues over the API, and reloads the plan without dropping the running one on a typo', async () => {
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      relais.server.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
    const d = routing().distributor;
    const call = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800123456',
      routePoint: '3000',
      answer: false,
      abandonAfterMs: 200,
    }).done;

    expect((await relais.server.inject({ url: `/api/v1/calls/${call.callId}/decision` })).statusCode).toBe(
      401,
    );
    const decision = await api('GET', `/calls/${call.callId}/decision?link=pbx`);
    expect(decision.statusCode).toBe(200);
    expect(decision.json()).toMatchObject({ callId: call.callId, rule: 'campaign', queue: 'sales' });
    expect((await api('GET', '/calls/nope/decision')).statusCode).toBe(404);

    const away = await api('PUT', '/agents/alice/state', { state: 'away', reason: 'lunch' });
    expect(away.json()).toMatchObject({ id: 'alice', state: 'away', reason: 'lunch' });
    expect((await api('PUT', '/agents/zoe/state', { state: 'available' })).statusCode).toBe(404);
    expect((await api('GET', '/agents')).json().items.map((a: { id: string }) => a.id)).toEqual([
      'alice',
      'bob',
      'chloe',
    ]);
    expect((await api('POST', '/agents/chloe/login', {})).json()).toMatchObject({
      state: 'available',
      device: '4003',
    });
    expect((await api('GET', '/queues')).json()).toMatchObject({
      queues: [{ id: 'support' }, { id: 'sales' }],
    });

    // A typo: refused with its line, the running plan stays.
    writeFileSync(
      path.join(dir, 'routing.yaml'),
      PLAN.replace('then: { queue: sales }', 'then: { queue: sails }'),
    );
    const refused = await api('POST', '/routing/reload');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toMatch(/routing\.yaml:\d+: rule "campaign": unknown queue "sails"/);
    const still = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800123456',
      routePoint: '3000',
      talkMs: 20,
    }).done;
    expect(still.agent).toBe('4003');

    // A good plan: the campaign now goes to support, at once.
    writeFileSync(
      path.join(dir, 'routing.yaml'),
      PLAN.replace('then: { queue: sales }', 'then: { queue: support }'),
    );
    expect((await api('POST', '/routing/reload')).json()).toEqual({ rules: 4, queues: 2, agents: 3 });
    d.setState('alice', 'available');
    const moved = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800123456',
      routePoint: '3000',
      talkMs: 20,
    }).done;
    expect(['4001', '4002']).toContain(moved.agent);
  });

  it("answers the IVR over the API and as VoiceXML, and the caller's choice steers the routing", async () => {
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    const auth = { authorization: `Bearer ${token}` };
    const ask = (body: object) =>
      relais.server.inject({ method: 'POST', url: '/api/v1/ivr/decisions', headers: auth, payload: body });
    const buyer = await relais.directory.create({
      name: 'Rita Recent',
      phones: [{ number: '06 33 33 33 33' }],
    });
    await relais.directory.addPurchase(buyer.id, { sku: 'TV-55', purchasedAt: Date.now() - 3 * 86_400_000 });

    expect(
      (
        await relais.server.inject({
          method: 'POST',
          url: '/api/v1/ivr/decisions',
          payload: { callId: 'i0', ani: '', dnis: '' },
        })
      ).statusCode,
    ).toBe(401);
    const french = (await ask({ callId: 'i1', ani: '06 44 44 44 44', dnis: '01 40 00 00 00' })).json();
    expect(french).toMatchObject({
      language: 'fr-FR',
      greeting: 'welcome',
      menu: { options: [{ id: 'buy', label: 'Acheter' }, { id: 'help' }] },
    });
    const us = (await ask({ callId: 'i2', ani: '+1 212 555 0100', dnis: '01 40 00 00 00' })).json();
    expect(us).toMatchObject({ language: 'en-US', menu: { options: [{ label: 'Buy' }, { label: 'Help' }] } });
    const recent = (await ask({ callId: 'i3', ani: '+33 6 33 33 33 33', dnis: '01 40 00 00 00' })).json();
    expect(recent).toMatchObject({
      greeting: 'welcome-back',
      menu: {
        options: [
          { id: 'help', dtmf: '2' },
          { id: 'buy', dtmf: '1' },
        ],
      },
    });
    const before = relais.directory.cacheStats;
    const withheld = await ask({ callId: 'i4', ani: 'anonymous', dnis: '01 40 00 00 00' });
    expect(withheld.statusCode).toBe(200);
    expect(withheld.json()).toMatchObject({ language: 'fr-FR', greeting: 'welcome' });
    const after = relais.directory.cacheStats;
    expect(after.hits + after.misses + after.dbLookups).toBe(before.hits + before.misses + before.dbLookups); // never looked up
    expect((await ask({ callId: 'i5', ani: '\u0000<script>', dnis: '???' })).statusCode).toBe(200);

    const entry = await relais.server.inject({
      url: `/ivr/entry.vxml?ani=%2B12125550100&dnis=0140000000&callId=v1&link=pbx&token=${token}`,
    });
    expect(entry.statusCode).toBe(200);
    expect(entry.headers['content-type']).toContain('application/voicexml+xml');
    expect(entry.body).toContain('xml:lang="en-US"');
    expect((await relais.server.inject({ url: '/ivr/entry.vxml?ani=1' })).statusCode).toBe(401);
    const chose = await relais.server.inject({
      url: `/ivr/choice.vxml?callId=v1&link=pbx&menu=main&option=buy&token=${token}`,
    });
    expect(chose.body).toContain('dest="tel:3000"');

    // The caller pressed 1 (buy → sales): the default rule's queue gives way to the option's.
    const viaApi = await relais.server.inject({
      method: 'POST',
      url: '/api/v1/ivr/choices',
      headers: auth,
      payload: { callId: 'v2', choice: '1' },
    });
    expect(viaApi.json()).toMatchObject({ id: 'buy', queue: 'sales' });
    const d = routing().distributor;
    for (const a of d.agents()) if (a.state !== 'logged_off') d.logout(a.id);
    d.login('chloe');
    d.login('bob');
    const decided = await routing().engine.router({
      link: 'pbx',
      callId: 'v2',
      ani: '0622222222',
      dnis: '0140000000',
      at: Date.now(),
    });
    expect(decided.target).toEqual({ kind: 'agent', agentId: 'chloe', device: '4003' });
    const plain = await routing().engine.router({
      link: 'pbx',
      callId: 'v3',
      ani: '0622222222',
      dnis: '0140000000',
      at: Date.now(),
    });
    expect(plain.target).toEqual({ kind: 'agent', agentId: 'bob', device: '4002' });
    routing().engine.ended('pbx', 'v2');
    routing().engine.ended('pbx', 'v3');
  });

  it('puts an agent who lets the call ring out away, and offers the next call to someone else', async () => {
    const d = routing().distributor;
    for (const a of d.agents()) if (a.state !== 'logged_off') d.logout(a.id);
    d.login('bob');
    const rnr = await sim.placeCall({
      ani: '0622222222',
      dnis: '0140000000',
      routePoint: '3000',
      ringNoAnswer: true,
      answer: false,
      abandonAfterMs: 600,
    }).done;
    expect(rnr.routing).toBe('selected');
    await expect.poll(() => d.agent('bob')).toMatchObject({ state: 'away', reason: 'ring-no-answer' });
    const trace = await routing().decisions.get(rnr.callId, 'pbx');
    expect(trace?.steps.map((x) => x.what)).toContain('bob did not answer (ring-no-answer)');
    d.login('alice');
    const next = await sim.placeCall({
      ani: '0622222222',
      dnis: '0140000000',
      routePoint: '3000',
      talkMs: 20,
    }).done;
    expect(next.agent).toBe('4001');
  });

  it('offers a returning customer to their last agent first', async () => {
    const d = routing().distributor;
    for (const a of d.agents()) if (a.state !== 'logged_off') d.logout(a.id);
    const loyal = await relais.directory.create({
      name: 'Lou Loyal',
      phones: [{ number: '06 55 55 55 55' }],
      tier: 'vip',
    });
    await relais.directory.addInteraction(loyal.id, {
      at: Date.now() - 86_400_000,
      channel: 'phone',
      agentId: 'alice',
    });
    d.login('alice');
    d.setState('alice', 'away', 'break');
    d.login('bob'); // senior too, and free: without the preference the VIP would go to him at once
    // Alice is away: the VIP waits for her (preferredAgentWaitSeconds 2) rather than going to nobody else qualified…
    const call = sim.placeCall({ ani: '0655555555', dnis: '0140000000', routePoint: '3000', talkMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    d.setState('alice', 'available');
    const done = await call.done;
    expect(done.agent).toBe('4001');
    const trace = await routing().decisions.get(done.callId, 'pbx');
    expect(trace).toMatchObject({
      rule: 'vip',
      preferredAgent: 'alice',
      outcome: { kind: 'agent', agentId: 'alice' },
    });
  });

  it('follows agent states the switch reports (logged on, not ready, ready, logged off)', async () => {
    const d = routing().distributor;
    for (const a of d.agents()) if (a.state !== 'logged_off') d.logout(a.id);
    sim.agentState('4003', 'AgentLoggedOn', 'chloe');
    await expect.poll(() => d.agent('chloe')).toMatchObject({ state: 'available', device: '4003' });
    sim.agentState('4003', 'AgentNotReady', 'chloe', 'lunch');
    await expect.poll(() => d.agent('chloe')).toMatchObject({ state: 'away', reason: 'lunch' });
    // By device alone: the switch's agent id is not one of the plan's.
    sim.agentState('4003', 'AgentReady', 'SW-0042');
    await expect.poll(() => d.agent('chloe')?.state).toBe('available');
    const call = await sim.placeCall({
      ani: '0622222222',
      dnis: '0800123456',
      routePoint: '3000',
      talkMs: 20,
    }).done;
    expect(call.agent).toBe('4003');
    sim.agentState('4003', 'AgentLoggedOff', 'chloe');
    await expect.poll(() => d.agent('chloe')?.state).toBe('logged_off');
  });

  it('reads and replaces the plan over the API: refused whole with its lines, else written and applied', async () => {
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' };
    const current = await relais.server.inject({ url: '/api/v1/routing/plan', headers });
    expect(current.statusCode).toBe(200);
    expect(current.body).toContain('name: vip');

    const typo = PLAN.replace('{ id: chloe,', '{ id: chloe, skils: {},');
    const refused = await relais.server.inject({
      method: 'PUT',
      url: '/api/v1/routing/plan',
      headers,
      payload: typo,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toMatch(/routing\.yaml:\d+: agents\.2\.skils: Unexpected property/);
    expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).toBe(current.body);

    const withDan = PLAN.replace(
      'agents:\n',
      'agents:\n  - { id: dan, device: "4004", skills: { sales: 1 } }\n',
    );
    const put = await relais.server.inject({
      method: 'PUT',
      url: '/api/v1/routing/plan',
      headers,
      payload: withDan,
    });
    expect(put.json()).toEqual({ rules: 4, queues: 2, agents: 4 });
    expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).toBe(withDan);
    expect(routing().distributor.agent('dan')).toMatchObject({ state: 'logged_off', device: '4004' });
    // JSON works too (it is YAML); this one lacks its action.
    const json = await relais.server.inject({
      method: 'PUT',
      url: '/api/v1/routing/plan',
      headers: { authorization: headers.authorization },
      payload: { rules: [{ name: 'x' }] },
    });
    expect(json.statusCode).toBe(422);
    expect(json.json().error.message).toContain('rule "x"');
  });

  it('pushes the wallboard: queues with calls waiting, service level, agents by state', async () => {
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    const base = await relais.listen();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/wallboard?token=${token}`);
    const boards: Array<{
      queues: Array<{ id: string; waiting: number; serviceLevel: { total: number } }>;
      agents: { byState: Record<string, number> };
    }> = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; payload: (typeof boards)[number] };
      if (m.type === 'wallboard') boards.push(m.payload);
    });
    await expect.poll(() => boards.length).toBeGreaterThan(0);
    const d = routing().distributor;
    for (const a of d.agents()) if (a.state !== 'logged_off') d.logout(a.id);
    d.login('bob');
    const busy = sim.placeCall({ ani: '0622222222', dnis: '0140000000', routePoint: '3000', talkMs: 800 });
    const waiting = sim.placeCall({ ani: '0622222222', dnis: '0140000000', routePoint: '3000', talkMs: 20 });
    await expect
      .poll(() => boards.at(-1)?.queues.find((q) => q.id === 'support')?.waiting, { timeout: 5000 })
      .toBe(1);
    expect(boards.at(-1)?.agents.byState.busy).toBe(1);
    await Promise.all([busy.done, waiting.done]);
    await expect
      .poll(() => boards.at(-1)?.queues.find((q) => q.id === 'support')?.waiting, { timeout: 5000 })
      .toBe(0);
    expect(boards.at(-1)?.queues.find((q) => q.id === 'support')?.serviceLevel.total).toBeGreaterThan(0);
    ws.close();
  });

  it("shows the caller's IVR choice and the queue on the agent's pop", async () => {
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    const { port } = relais.server.server.address() as { port: number };
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/desktop?device=4001&token=${token}`);
    const pops: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; payload: Record<string, unknown> };
      if (m.type === 'call.offered') pops.push(m.payload);
    });
    await new Promise((r) => ws.once('open', r));
    routing().engine.chooseIvr({ callId: 'ivr-pop-1', link: 'pbx', choice: '2' });
    const at = Date.now();
    relais.ingest({
      type: 'offered',
      callId: 'ivr-pop-1',
      link: 'pbx',
      at,
      ani: '0622222222',
      dnis: '0140000000',
    });
    relais.ingest({ type: 'alerting', callId: 'ivr-pop-1', link: 'pbx', at: at + 10, device: '4001' });
    await expect
      .poll(() => pops.find((p) => p.callId === 'ivr-pop-1'))
      .toMatchObject({ ivrChoice: { id: 'help', label: 'Aide' } });
    relais.ingest({ type: 'cleared', callId: 'ivr-pop-1', link: 'pbx', at: at + 20 });
    ws.close();
  });
});
