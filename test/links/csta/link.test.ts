/**
 * The CSTA link against the switch simulator over real loopback sockets: monitors, every call
 * kind through the tracker to its record, routing, faults, restart, TLS.
 */
import { once } from 'node:events';
import { Value } from '@sinclair/typebox/value';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { CstaLinkConfig } from '../../../src/config/links.js';
import { LinksSchema } from '../../../src/config/links.js';
import { EventBus, type RelaisEvents } from '../../../src/core/event-bus.js';
import { CallTracker } from '../../../src/core/tracker.js';
import { type RunningCstaLink, startCstaLink } from '../../../src/links/csta/from-config.js';
import { createLinkMetrics } from '../../../src/links/csta/link-metrics.js';
import type { CallRecord, Router } from '../../../src/model/call.js';
import { createSimpleRouter } from '../../../src/routing/simple.js';
import { CstaSimulator, type SimulatorOptions } from '../../../src/simulator/csta/index.js';
import { frNormalise } from '../../helpers/numbers.js';
import { makePki } from '../transport/pki.js';

const SWITCH: SimulatorOptions = {
  devices: {
    agents: ['2001', '2002', '2003'],
    acdGroups: [{ id: '3001' }],
    routePoints: [{ id: '3000', defaultRoute: '3001' }],
    dnisRoutes: { '0800123456': '3000', '0800999999': '3001' },
  },
};

interface Env {
  sim: CstaSimulator;
  link: RunningCstaLink;
  tracker: CallTracker;
  records: CallRecord[];
  registry: Registry;
  nextRecord(): Promise<CallRecord>;
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

function linkConfig(port: number, over: Record<string, unknown> = {}): CstaLinkConfig {
  const raw = {
    csta: [
      {
        name: 'sim',
        host: '127.0.0.1',
        port,
        keepAliveSeconds: 30,
        requestTimeoutMs: 2000,
        reconnect: { initialMs: 50, maxMs: 200 },
        devices: [
          { id: '3001', kind: 'acd' },
          { id: '2001', kind: 'agent' },
          { id: '2002', kind: 'agent' },
          { id: '2003', kind: 'agent' },
        ],
        routing: {
          devices: ['3000'],
          routes: { '0800 123 456': '3001' },
          default: '3001',
          decisionTimeoutMs: 200,
        },
        ...over,
      },
    ],
  };
  const cfg = Value.Default(LinksSchema, raw) as { csta: CstaLinkConfig[] };
  return cfg.csta[0] as CstaLinkConfig;
}

async function setUp(
  opts: { sim?: SimulatorOptions; link?: Record<string, unknown>; router?: Router; tls?: boolean } = {},
): Promise<Env> {
  const pki = opts.tls ? makePki() : undefined;
  const sim = new CstaSimulator({ ...SWITCH, ...opts.sim });
  const address = await sim.listen(pki ? { tls: { cert: pki.server.cert, key: pki.server.key } } : {});
  running.push(async () => {
    await sim.close();
    pki?.remove();
  });
  const bus = new EventBus<RelaisEvents>({ onError: (_t, err) => console.error(err) });
  const tracker = new CallTracker({ normalise: frNormalise, bus, clearGraceMs: 50 });
  const records: CallRecord[] = [];
  const waiting: Array<(r: CallRecord) => void> = [];
  bus.on('call.cleared', ({ record }) => {
    const w = waiting.shift();
    if (w) w(record);
    else records.push(record);
  });
  const registry = new Registry();
  const config = linkConfig(address.port, {
    ...(pki ? { tls: { caFile: pki.caFile, servername: 'localhost' } } : {}),
    ...opts.link,
  });
  const link = await startCstaLink(config, {
    ingest: (e) => tracker.ingest(e),
    router:
      opts.router ??
      createSimpleRouter({ routes: config.routing.routes, default: config.routing.default }, frNormalise),
    logger: pino({ level: 'silent' }),
    metrics: createLinkMetrics(registry),
  });
  running.push(async () => {
    await link.stop();
    tracker.stop();
  });
  await waitFor(() => link.link.status().state === 'up');
  return {
    sim,
    link,
    tracker,
    records,
    registry,
    nextRecord: () => {
      const r = records.shift();
      return r ? Promise.resolve(r) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

describe('CSTA link with the switch simulator over TCP', () => {
  it('monitors every device and registers the routing device, then reports up', async () => {
    const env = await setUp();
    expect(env.sim.monitorCount).toBe(4);
    expect(env.sim.registrationCount).toBe(1);
    expect(env.link.link.status()).toMatchObject({ state: 'up', monitors: 4, registrations: 1 });
    expect(await metric(env.registry, 'relais_link_up', { link: 'sim' })).toBe(1);
  });

  it('routes a call at the route point with RouteSelect, and records it answered, held and transferred', async () => {
    const env = await setUp();
    const selected = once(env.sim, 'route-select');
    const placed = env.sim.placeCall({
      ani: '0612345678',
      dnis: '0800123456',
      routePoint: '3000',
      ringMs: 20,
      holdMs: 30,
      transferTo: '2003',
      talkMs: 60,
    });
    const [sel] = (await selected) as [{ routeSelected: string }];
    expect(sel.routeSelected).toBe('3001');
    const outcome = await placed.done;
    expect(outcome.result).toBe('answered');
    const rec = await env.nextRecord();
    expect(rec).toMatchObject({
      link: 'sim',
      aniKind: 'e164',
      ani: '+33612345678',
      dnis: '+33800123456',
      outcome: 'answered',
      transfers: 1,
    });
    expect(rec.holdMs).toBeGreaterThanOrEqual(20);
    expect(rec.answeredAt).toBeDefined();
  });

  it('records a caller who hangs up in the queue as abandoned', async () => {
    const env = await setUp();
    for (const a of ['2001', '2002', '2003']) env.sim.setDeviceBusy(a, true);
    await env.sim.placeCall({
      ani: '+33 6 11 22 33 44',
      dnis: '0800999999',
      answer: false,
      abandonAfterMs: 50,
    }).done;
    const rec = await env.nextRecord();
    expect(rec).toMatchObject({ ani: '+33611223344', outcome: 'abandoned' });
    expect(rec.answeredAt).toBeUndefined();
  });

  it('goes up without the devices the switch refuses, and says which', async () => {
    const env = await setUp({ sim: { devices: { ...SWITCH.devices, agents: ['2001', '2002'] } } });
    expect(env.link.link.status()).toMatchObject({ state: 'up', monitors: 3 });
    expect(
      await metric(env.registry, 'relais_link_problems_total', {
        link: 'sim',
        kind: 'refused',
        code: 'invalidMonitorObject',
      }),
    ).toBe(1);
  });

  it('follows a ring-no-answer forward (Diverted) to the agent who answers', async () => {
    const env = await setUp({ sim: { ringNoAnswerMs: 30 } });
    const outcome = await env.sim.placeCall({
      ani: '0612345678',
      dnis: '0800999999',
      ringNoAnswer: true,
      talkMs: 10,
    }).done;
    expect(outcome.result).toBe('answered');
    const rec = await env.nextRecord();
    expect(rec.outcome).toBe('answered');
    expect(rec.device).toBe(outcome.agent);
    expect(rec.waitMs).toBeGreaterThanOrEqual(25);
  });

  it('records a call offered to a busy extension as failed', async () => {
    const env = await setUp();
    env.sim.setDeviceBusy('2002', true);
    const outcome = await env.sim.placeCall({ ani: '0612345678', dnis: '0800999999', routePoint: '2002' })
      .done;
    expect(outcome.result).toBe('failed');
    expect(await env.nextRecord()).toMatchObject({ outcome: 'failed', cause: 'busy' });
  });

  it('keeps a withheld caller withheld', async () => {
    const env = await setUp();
    await env.sim.placeCall({ presentation: 'restricted', dnis: '0800999999', talkMs: 10 }).done;
    const rec = await env.nextRecord();
    expect(rec.aniKind).toBe('withheld');
    expect(rec.ani).toBeUndefined();
  });

  it('reads vendor identifiers (N<+E.164>;displayNumber=…) and the ed2 namespace', async () => {
    const env = await setUp({ sim: { identifiers: 'unify', namespace: 'ed2' } });
    await env.sim.placeCall({ ani: '0612345678', callerName: 'Camille', dnis: '0800999999', talkMs: 10 })
      .done;
    expect(await env.nextRecord()).toMatchObject({
      ani: '+33612345678',
      dnis: '+33800999999',
      outcome: 'answered',
    });
  });

  it('answers with the fallback when the decision is late, never leaving the switch without an answer', async () => {
    const env = await setUp({
      router: () => new Promise(() => {}),
      link: { routing: { devices: ['3000'], fallback: '3001', decisionTimeoutMs: 100 } },
    });
    const selected = once(env.sim, 'route-select');
    env.sim.placeCall({ ani: '0612345678', dnis: '0800123456', routePoint: '3000', talkMs: 10 });
    const [sel] = (await selected) as [{ routeSelected: string; latencyMs: number }];
    expect(sel.routeSelected).toBe('3001');
    expect(sel.latencyMs).toBeGreaterThanOrEqual(90);
    expect(
      await metric(env.registry, 'relais_route_requests_total', { link: 'sim', result: 'fallback' }),
    ).toBe(1);
  });

  it('survives malformed XML and bad frames from the switch, counting them, and keeps following calls', async () => {
    const env = await setUp();
    env.sim.sendRaw(frame('<DeliveredEvent><monitorCrossRefID>1</monitorCrossRefID><connection>'));
    env.sim.sendRaw(frame('<<<not xml at all'));
    env.sim.sendRaw(frame('<SomethingPrivate xmlns="urn:vendor"><x/></SomethingPrivate>'));
    await env.sim.placeCall({ ani: '0612345678', dnis: '0800999999', talkMs: 10 }).done;
    expect((await env.nextRecord()).outcome).toBe('answered');
    expect(
      await metric(env.registry, 'relais_link_problems_total', {
        link: 'sim',
        kind: 'document',
        code: 'malformed-xml',
      }),
    ).toBe(2);
    expect(env.link.link.status().state).toBe('up');
  });

  it('reconnects and re-monitors by itself after the switch restarts', async () => {
    const env = await setUp();
    await env.sim.restart({ delayMs: 200 });
    await waitFor(
      () =>
        env.sim.monitorCount === 4 &&
        env.sim.registrationCount === 1 &&
        env.link.link.status().state === 'up',
    );
    await env.sim.placeCall({ ani: '0612345678', dnis: '0800999999', talkMs: 10 }).done;
    expect((await env.nextRecord()).outcome).toBe('answered');
    expect(await metric(env.registry, 'relais_link_connects_total', { link: 'sim' })).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('resets a connection whose switch sent half a frame and went silent, then comes back', async () => {
    const env = await setUp({ link: { keepAliveSeconds: 1, requestTimeoutMs: 300 } });
    env.sim.sendHalfFrameAndStall();
    await waitFor(() => env.link.link.status().state !== 'up', 5000);
    env.sim.unstall();
    await waitFor(() => env.link.link.status().state === 'up' && env.sim.monitorCount === 4, 10_000);
    expect(
      await metric(env.registry, 'relais_link_problems_total', {
        link: 'sim',
        kind: 'keep-alive',
        code: 'timeout',
      }),
    ).toBe(1);
  });

  it('starts an ECMA-354 application session first when the switch requires one', async () => {
    const env = await setUp({
      sim: { requireSession: true },
      link: { applicationSession: { applicationId: 'Relais', durationSeconds: 60 } },
    });
    expect(env.sim.monitorCount).toBe(4);
    await env.sim.placeCall({ ani: '0612345678', dnis: '0800999999', talkMs: 10 }).done;
    expect((await env.nextRecord()).outcome).toBe('answered');
  });
});

describe('CSTA link over TLS', () => {
  it('connects with the switch certificate validated against the configured CA', async () => {
    const env = await setUp({ tls: true });
    await env.sim.placeCall({ ani: '0612345678', dnis: '0800999999', talkMs: 10 }).done;
    expect((await env.nextRecord()).outcome).toBe('answered');
  });
});

function frame(xml: string): Buffer {
  const body = Buffer.from(xml, 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt16BE(body.length + 8, 2);
  head.write('9999', 4, 'ascii');
  return Buffer.concat([head, body]);
}

describe('CSTA link in server mode (the switch connects to Relais)', () => {
  async function serve(tlsMode: 'none' | 'mutual', clientCert: 'good' | 'none' = 'good') {
    const pki = tlsMode === 'mutual' ? makePki() : undefined;
    const bus = new EventBus<RelaisEvents>({ onError: () => {} });
    const tracker = new CallTracker({ normalise: frNormalise, bus, clearGraceMs: 20 });
    const records: CallRecord[] = [];
    bus.on('call.cleared', ({ record }) => records.push(record));
    const config = linkConfig(1, {
      mode: 'server',
      host: undefined,
      port: undefined,
      listen: { host: '127.0.0.1', port: 0 },
      ...(pki
        ? {
            tls: {
              certFile: pki.server.certFile,
              keyFile: pki.server.keyFile,
              caFile: pki.caFile,
              requireClientCert: true,
            },
          }
        : {}),
    });
    const link = await startCstaLink(config, {
      ingest: (e) => tracker.ingest(e),
      router: createSimpleRouter({ routes: {}, default: '3001' }, frNormalise),
      logger: pino({ level: 'silent' }),
      metrics: createLinkMetrics(new Registry()),
    });
    const sim = new CstaSimulator(SWITCH);
    running.push(async () => {
      await sim.close();
      await link.stop();
      tracker.stop();
      pki?.remove();
    });
    const port = link.listener?.address.port as number;
    const tls = pki
      ? {
          ca: pki.ca,
          servername: 'localhost',
          ...(clientCert === 'good' ? { cert: pki.client.cert, key: pki.client.key } : {}),
        }
      : undefined;
    return { sim, link, records, connect: () => sim.connect({ host: '127.0.0.1', port, tls }) };
  }

  it('accepts the switch, monitors and follows calls', async () => {
    const s = await serve('none');
    await s.connect();
    await waitFor(() => s.link.link.status().state === 'up' && s.sim.monitorCount === 4);
    await s.sim.placeCall({ ani: '0612345678', dnis: '0800999999', talkMs: 10 }).done;
    await waitFor(() => s.records.length === 1);
    expect(s.records[0]).toMatchObject({ ani: '+33612345678', outcome: 'answered' });
  });

  it('with mutual TLS, accepts a switch with a certificate from the CA', async () => {
    const s = await serve('mutual');
    await s.connect();
    await waitFor(() => s.link.link.status().state === 'up' && s.sim.monitorCount === 4);
  });

  it('with mutual TLS, refuses a switch without a client certificate', async () => {
    const s = await serve('mutual', 'none');
    await s.connect().catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(s.link.link.status().state).not.toBe('up');
    expect(s.sim.monitorCount).toBe(0);
  });
});
