import { afterEach, describe, expect, it } from 'vitest';
import { CstaSimulator, type SimulatorOptions } from '../../../src/simulator/csta/index.js';
import {
  connection,
  device,
  ED3,
  eventsOf,
  RawClient,
  routeRegister,
  routeSelect,
  setUp,
  tag,
} from './raw-client.js';

const SWITCH: SimulatorOptions = {
  devices: {
    agents: ['2001', '2002'],
    acdGroups: [{ id: '3001' }],
    routePoints: [{ id: '3000', defaultRoute: '3001' }],
  },
};

const open: Array<{ sim: CstaSimulator; client: RawClient }> = [];

async function boot(options: SimulatorOptions = {}) {
  const sim = new CstaSimulator({ ...SWITCH, ...options });
  const { port } = await sim.listen();
  const client = await RawClient.connect({ port });
  open.push({ sim, client });
  const ids = await setUp(client, ['3000', '2001', '2002']);
  const registered = await client.request(routeRegister('3000'));
  expect(registered.root).toBe('RouteRegisterResponse');
  const regId = tag(registered.xml, 'routeRegisterReqID') ?? '';
  return { sim, client, ids, regId };
}

afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    client.close();
    await sim.close();
  }
});

describe('routeing dialogue (ECMA-269 routeing services)', () => {
  it('sends RouteRequest, takes RouteSelect, answers RouteUsed and ends with RouteEnd', async () => {
    const { sim, client, ids, regId } = await boot();
    const selects: Array<{ crossRefId: string; routeSelected: string; latencyMs: number }> = [];
    sim.on('route-select', (s) => selects.push(s));
    const call = sim.placeCall({ ani: '+33612345678', dnis: '+33140000000', talkMs: 5 });

    const request = await client.take('RouteRequest');
    expect(request.invokeId).toBe('9999');
    const crossRefId = tag(request.xml, 'crossRefIdentifier') ?? '';
    expect(tag(request.xml, 'routeRegisterReqID')).toBe(regId);
    expect(device(request.xml, 'currentRoute')).toBe('0140000000');
    expect(device(request.xml, 'callingDevice')).toBe('0612345678');
    expect(connection(request.xml, 'routedCall')).toBe(`${call.callId}@3000`);

    // RouteSelect has no positive answer: the next thing is RouteUsed, then the call moves on.
    client.send(routeSelect(crossRefId, regId, '2002', true));
    const used = await client.take('RouteUsed');
    expect(tag(used.xml, 'crossRefIdentifier')).toBe(crossRefId);
    expect(device(used.xml, 'routeUsed')).toBe('2002');
    const end = await client.take('RouteEnd');
    expect(tag(end.xml, 'crossRefIdentifier')).toBe(crossRefId);
    expect(end.xml).not.toContain('errorValue');

    expect(await call.done).toMatchObject({ result: 'answered', agent: '2002', routing: 'selected' });
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2002']);
    expect(eventsOf(client, ids['3000'])).toEqual(['DeliveredEvent', 'DivertedEvent']);
    expect(device(client.all((m) => m.monitor === ids['3000'])[1]?.xml, 'newDestination')).toBe('2002');
    const ringing = client.all((m) => m.monitor === ids['2002'])[0]?.xml;
    expect(tag(ringing, 'cause')).toBe('redirected');
    expect(device(ringing, 'lastRedirectionDevice')).toBe('3000');

    // RouteEnd comes once the call rings at its destination.
    const roots = client.messages.map((m) => (m.monitor ? `${m.root}@${m.monitor}` : m.root));
    expect(roots.indexOf('RouteEnd')).toBeGreaterThan(roots.indexOf(`DeliveredEvent@${ids['2002']}`));

    expect(selects).toHaveLength(1);
    expect(selects[0]).toMatchObject({ crossRefId, routeSelected: '2002' });
    const stats = sim.stats();
    expect(stats).toMatchObject({ routeRequestsSent: 1, routeSelectsReceived: 1, routeTimeouts: 0 });
    expect(stats.routeLatency.count).toBe(1);
    expect(stats.routeLatency.p50).toBeGreaterThan(0);
    expect(stats.routeLatency.p99).toBe(stats.routeLatency.p50);
  });

  it('ends the dialogue with routeingTimerExpired and takes the default route when no RouteSelect comes', async () => {
    const { sim, client, ids, regId } = await boot({ replyTimeoutMs: 50 });
    const timeouts: string[] = [];
    sim.on('route-timeout', (t) => timeouts.push(t.crossRefId));
    const call = sim.placeCall({ ani: '+33612345678', dnis: '+33140000000', talkMs: 5 });
    const request = await client.take('RouteRequest');
    const crossRefId = tag(request.xml, 'crossRefIdentifier') ?? '';
    const end = await client.take('RouteEnd');
    expect(tag(end.xml, 'crossRefIdentifier')).toBe(crossRefId);
    expect(tag(end.xml, 'operation')).toBe('routeingTimerExpired');
    expect(await call.done).toMatchObject({ result: 'answered', agent: '2001', routing: 'timeout' });
    expect(device(client.all((m) => m.monitor === ids['3000'])[1]?.xml, 'newDestination')).toBe('3001');
    expect(timeouts).toEqual([crossRefId]);

    // A RouteSelect after the timeout is refused and counted as late.
    const late = await client.request(routeSelect(crossRefId, regId, '2002'));
    expect(late.root).toBe('CSTAErrorCode');
    expect(tag(late.xml, 'operation')).toBe('invalidRouteingCrossReferenceID');
    expect(sim.stats()).toMatchObject({
      routeRequestsSent: 1,
      routeTimeouts: 1,
      routeSelectsLate: 1,
      routeSelectsReceived: 0,
    });
  });

  it('takes the default route when the application answers RouteEnd, or selects an unknown device', async () => {
    const { sim, client, regId } = await boot();
    const first = sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' });
    const r1 = tag((await client.take('RouteRequest')).xml, 'crossRefIdentifier');
    client.send(
      `<RouteEnd xmlns="${ED3}"><crossRefIdentifier>${r1}</crossRefIdentifier><routeRegisterReqID>${regId}</routeRegisterReqID><errorValue><operation>generic</operation></errorValue></RouteEnd>`,
    );
    expect(await first.done).toMatchObject({ result: 'answered', routing: 'ended' });

    const second = sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' });
    const r2 = tag((await client.take('RouteRequest')).xml, 'crossRefIdentifier') ?? '';
    client.send(routeSelect(r2, regId, '0999999999'));
    const end = await client.take('RouteEnd');
    expect(tag(end.xml, 'operation')).toBe('invalidDestination');
    expect(await second.done).toMatchObject({ result: 'answered', routing: 'invalid' });
    expect(sim.stats()).toMatchObject({ routeEndsReceived: 1, routeSelectsInvalid: 1 });
  });

  it('flags RouteRegister written with routingDevice instead of ECMA-323 routeingDevice', async () => {
    const { sim, client } = await boot();
    const errors: string[] = [];
    sim.on('protocol-error', (e) => errors.push(e.message));
    const answer = await client.request(
      `<RouteRegister xmlns="${ED3}"><routingDevice>3000</routingDevice></RouteRegister>`,
    );
    expect(answer.root).toBe('RouteRegisterResponse');
    expect(errors).toEqual(['RouteRegister has routingDevice; ECMA-323 names it routeingDevice']);
  });

  it('forgets registrations on RouteRegisterCancel and when the client leaves', async () => {
    const { sim, client, regId } = await boot();
    expect(sim.registrationCount).toBe(1);
    const cancelled = await client.request(
      `<RouteRegisterCancel xmlns="${ED3}"><routeRegisterReqID>${regId}</routeRegisterReqID></RouteRegisterCancel>`,
    );
    expect(cancelled.root).toBe('RouteRegisterCancelResponse');
    expect(sim.registrationCount).toBe(0);
    expect(await sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' }).done).toMatchObject({
      routing: 'unregistered',
    });
    expect((await client.request(routeRegister('2001'))).root).toBe('CSTAErrorCode');
    await client.request(routeRegister());
    expect(sim.registrationCount).toBe(1);
    client.close();
    await new Promise((resolve) => sim.once('client-disconnected', resolve));
    expect(sim.registrationCount).toBe(0);
  });
});
