import { afterEach, describe, expect, it } from 'vitest';
import { CstaSimulator, type SimulatorOptions } from '../../../src/simulator/csta/index.js';
import { connection, device, eventsOf, inner, RawClient, type RawMessage, setUp, tag } from './raw-client.js';

const SWITCH: SimulatorOptions = {
  devices: { agents: ['2001', '2002'], acdGroups: [{ id: '3001' }], routePoints: [{ id: '3000' }] },
  ringNoAnswerMs: 20,
  busyToneMs: 5,
};
const ANI = '+33612345678';
const DNIS = '+33140000000';

const open: Array<{ sim: CstaSimulator; client: RawClient }> = [];

async function boot(options: SimulatorOptions = {}, devices = ['3000', '3001', '2001', '2002']) {
  const sim = new CstaSimulator({ ...SWITCH, ...options });
  const { port } = await sim.listen();
  const client = await RawClient.connect({ port });
  open.push({ sim, client });
  const ids = await setUp(client, devices);
  return { sim, client, ids };
}

afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    client.close();
    await sim.close();
  }
});

/** The event of a monitor at a position in its own sequence. */
function nth(client: RawClient, monitor: string | undefined, index: number): RawMessage {
  const m = client.messages.filter((x) => x.monitor === monitor && x.root.endsWith('Event'))[index];
  if (!m) throw new Error(`no event #${index} for monitor ${monitor}`);
  return m;
}

describe('an inbound call through route point, ACD group and agent', () => {
  it('reports ECMA-269 events in order, with the parties of the call', async () => {
    const { sim, client, ids } = await boot();
    const call = sim.placeCall({ ani: ANI, dnis: DNIS, ringMs: 5, talkMs: 10 });
    const outcome = await call.done;
    expect(outcome).toMatchObject({ result: 'answered', agent: '2001', routing: 'unregistered' });
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2001']);

    expect(eventsOf(client, ids['3000'])).toEqual(['DeliveredEvent', 'DivertedEvent']);
    expect(eventsOf(client, ids['3001'])).toEqual(['DeliveredEvent', 'DivertedEvent']);
    expect(eventsOf(client, ids['2001'])).toEqual([
      'DeliveredEvent',
      'EstablishedEvent',
      'ConnectionClearedEvent',
      'ConnectionClearedEvent',
      'CallClearedEvent',
    ]);
    expect(eventsOf(client, ids['2002'])).toEqual([]);

    const id = call.callId;
    const atRoutePoint = nth(client, ids['3000'], 0).xml;
    expect(connection(atRoutePoint, 'connection')).toBe(`${id}@3000`);
    expect(device(atRoutePoint, 'alertingDevice')).toBe('3000');
    expect(device(atRoutePoint, 'callingDevice')).toBe('0612345678');
    expect(device(atRoutePoint, 'calledDevice')).toBe('0140000000');
    expect(device(atRoutePoint, 'lastRedirectionDevice')).toBe('notRequired');
    expect(device(atRoutePoint, 'networkCallingDevice')).toBe('0612345678');
    expect(device(atRoutePoint, 'networkCalledDevice')).toBe('0140000000');
    expect(tag(atRoutePoint, 'localConnectionInfo')).toBe('alerting');
    expect(tag(atRoutePoint, 'cause')).toBe('newCall');

    const diverted = nth(client, ids['3000'], 1).xml;
    expect(device(diverted, 'divertingDevice')).toBe('3000');
    expect(device(diverted, 'newDestination')).toBe('3001');
    expect(tag(diverted, 'localConnectionInfo')).toBe('null');

    const ringing = nth(client, ids['2001'], 0).xml;
    expect(connection(ringing, 'connection')).toBe(`${id}@2001`);
    expect(device(ringing, 'alertingDevice')).toBe('2001');
    expect(device(ringing, 'callingDevice')).toBe('0612345678');
    expect(device(ringing, 'lastRedirectionDevice')).toBe('3001');
    expect(tag(ringing, 'localConnectionInfo')).toBe('alerting');
    expect(tag(ringing, 'cause')).toBe('distributed');

    const answered = nth(client, ids['2001'], 1).xml;
    expect(connection(answered, 'establishedConnection')).toBe(`${id}@2001`);
    expect(device(answered, 'answeringDevice')).toBe('2001');
    expect(tag(answered, 'localConnectionInfo')).toBe('connected');

    const agentLeft = nth(client, ids['2001'], 2).xml;
    expect(connection(agentLeft, 'droppedConnection')).toBe(`${id}@2001`);
    expect(device(agentLeft, 'releasingDevice')).toBe('2001');
    expect(tag(agentLeft, 'cause')).toBe('normalClearing');
    const callerLeft = nth(client, ids['2001'], 3).xml;
    expect(connection(callerLeft, 'droppedConnection')).toBe(`${id}@0612345678`);
    const cleared = nth(client, ids['2001'], 4).xml;
    expect(tag(cleared, 'callID')).toBe(id);
    expect(tag(cleared, 'cause')).toBe('normalClearing');

    // One socket, one order: the route point saw the call before the agent did.
    const order = client.messages
      .filter((m) => m.root.endsWith('Event'))
      .map((m) => `${m.monitor}:${m.root}`);
    expect(order.slice(0, 5)).toEqual([
      `${ids['3000']}:DeliveredEvent`,
      `${ids['3000']}:DivertedEvent`,
      `${ids['3001']}:DeliveredEvent`,
      `${ids['3001']}:DivertedEvent`,
      `${ids['2001']}:DeliveredEvent`,
    ]);
    expect(sim.stats()).toMatchObject({ callsPlaced: 1, callsAnswered: 1, eventsSent: order.length });
  });

  it('queues the call when no agent is free, and reports the abandon (callCancelled)', async () => {
    const { sim, client, ids } = await boot();
    sim.setDeviceBusy('2001', true);
    sim.setDeviceBusy('2002', true);
    const outcome = await sim.placeCall({ ani: ANI, dnis: DNIS, answer: false, abandonAfterMs: 20 }).done;
    expect(outcome.result).toBe('abandoned');
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['3001']);
    expect(eventsOf(client, ids['3001'])).toEqual([
      'DeliveredEvent',
      'QueuedEvent',
      'ConnectionClearedEvent',
      'ConnectionClearedEvent',
      'CallClearedEvent',
    ]);
    const queued = nth(client, ids['3001'], 1).xml;
    expect(device(queued, 'queue')).toBe('3001');
    expect(tag(queued, 'numberQueued')).toBe('1');
    expect(tag(queued, 'localConnectionInfo')).toBe('queued');
    const hangUp = nth(client, ids['3001'], 2).xml;
    expect(device(hangUp, 'releasingDevice')).toBe('0612345678');
    expect(tag(hangUp, 'cause')).toBe('callCancelled');
    expect(tag(nth(client, ids['3001'], 4).xml, 'cause')).toBe('callCancelled');
    expect(sim.stats().callsAbandoned).toBe(1);
  });

  it('serves a queued call as soon as an agent is free again', async () => {
    const { sim, client, ids } = await boot();
    sim.setDeviceBusy('2001', true);
    sim.setDeviceBusy('2002', true);
    const call = sim.placeCall({ ani: ANI, dnis: DNIS, talkMs: 5 });
    await client.take((m) => m.root === 'QueuedEvent');
    sim.setDeviceBusy('2002', false);
    expect(await call.done).toMatchObject({ result: 'answered', agent: '2002' });
    expect(eventsOf(client, ids['3001'])).toEqual(['DeliveredEvent', 'QueuedEvent', 'DivertedEvent']);
  });

  it('reports abandon while the agent rings', async () => {
    const { sim, client, ids } = await boot();
    const outcome = await sim.placeCall({
      ani: ANI,
      dnis: DNIS,
      answer: false,
      abandonAfterMs: 20,
      ringMs: 1000,
    }).done;
    expect(outcome.result).toBe('abandoned');
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2001']);
    expect(eventsOf(client, ids['2001'])).toEqual([
      'DeliveredEvent',
      'ConnectionClearedEvent',
      'ConnectionClearedEvent',
      'CallClearedEvent',
    ]);
    expect(tag(nth(client, ids['2001'], 1).xml, 'cause')).toBe('callCancelled');
  });
});

describe('caller identities', () => {
  it('writes the unify style, escaped', async () => {
    const { sim, client, ids } = await boot({ identifiers: 'unify' });
    await sim.placeCall({ ani: ANI, callerName: 'Dupont', dnis: DNIS }).done;
    const delivered = await client.take((m) => m.root === 'DeliveredEvent' && m.monitor === ids['3000']);
    expect(delivered.xml).toContain(
      '<deviceIdentifier>N&lt;+33612345678&gt;;displayNumber=Dupont</deviceIdentifier>',
    );
    expect(device(delivered.xml, 'calledDevice')).toBe('N<+33140000000>');
  });

  it('sends withheld callers as <restricted/> and unknown ones as <notKnown/>', async () => {
    const { sim, client, ids } = await boot({ identifiers: 'e164' });
    await sim.placeCall({ ani: ANI, presentation: 'restricted', dnis: DNIS }).done;
    await sim.placeCall({ dnis: DNIS }).done;
    const [withheld, unknown] = client.all((m) => m.root === 'DeliveredEvent' && m.monitor === ids['3000']);
    expect(device(withheld?.xml, 'callingDevice')).toBe('restricted');
    expect(device(withheld?.xml, 'networkCallingDevice')).toBe('restricted');
    expect(device(unknown?.xml, 'callingDevice')).toBe('notKnown');
    expect(device(unknown?.xml, 'calledDevice')).toBe('+33140000000');
    // Without a number, the caller's connection is named after the trunk the call seized.
    const cleared = client.all((m) => m.root === 'ConnectionClearedEvent' && m.monitor === ids['2001']);
    expect(connection(cleared[1]?.xml, 'droppedConnection')).toMatch(/@T00[12]$/);
  });
});

describe('hold, transfer, forward and busy', () => {
  it('holds, consults and transfers to another agent under a new call id', async () => {
    const { sim, client, ids } = await boot();
    const outcome = await sim.placeCall({ ani: ANI, dnis: DNIS, holdMs: 5, transferTo: '2002', talkMs: 30 })
      .done;
    expect(outcome).toMatchObject({ result: 'answered', agent: '2002' });
    expect(outcome.finalCallId).not.toBe(outcome.callId);
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2002']);
    expect(eventsOf(client, ids['2001'])).toEqual([
      'DeliveredEvent',
      'EstablishedEvent',
      'HeldEvent',
      'RetrievedEvent',
      'HeldEvent',
      'ServiceInitiatedEvent',
      'OriginatedEvent',
      'DeliveredEvent',
      'EstablishedEvent',
      'TransferedEvent',
    ]);
    expect(eventsOf(client, ids['2002'])).toEqual([
      'DeliveredEvent',
      'EstablishedEvent',
      'TransferedEvent',
      'ConnectionClearedEvent',
      'ConnectionClearedEvent',
      'CallClearedEvent',
    ]);
    const held = nth(client, ids['2001'], 2).xml;
    expect(connection(held, 'heldConnection')).toBe(`${outcome.callId}@2001`);
    expect(tag(held, 'localConnectionInfo')).toBe('hold');
    const transfered = nth(client, ids['2002'], 2).xml;
    const consultId = tag(inner(transfered, 'secondaryOldCall'), 'callID');
    expect(connection(transfered, 'primaryOldCall')).toBe(`${outcome.callId}@2001`);
    expect(connection(transfered, 'secondaryOldCall')).toBe(`${consultId}@2001`);
    expect(device(transfered, 'transferringDevice')).toBe('2001');
    expect(device(transfered, 'transferredToDevice')).toBe('2002');
    expect(tag(transfered, 'cause')).toBe('transfer');
    const items = [...transfered.matchAll(/<connectionListItem>([\s\S]*?)<\/connectionListItem>/g)].map(
      (m) => m[1],
    );
    expect(items.map((i) => `${connection(i, 'oldConnection')} → ${connection(i, 'newConnection')}`)).toEqual(
      [
        `${outcome.callId}@0612345678 → ${outcome.finalCallId}@0612345678`,
        `${consultId}@2002 → ${outcome.finalCallId}@2002`,
      ],
    );
    expect(tag(nth(client, ids['2002'], 5).xml, 'callID')).toBe(outcome.finalCallId);
  });

  it('forwards on ring-no-answer with a DivertedEvent', async () => {
    const { sim, client, ids } = await boot();
    const outcome = await sim.placeCall({ ani: ANI, dnis: DNIS, ringNoAnswer: true }).done;
    expect(outcome).toMatchObject({ result: 'answered', agent: '2002' });
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2002']);
    expect(eventsOf(client, ids['2001'])).toEqual(['DeliveredEvent', 'DivertedEvent']);
    const diverted = nth(client, ids['2001'], 1).xml;
    expect(device(diverted, 'newDestination')).toBe('2002');
    expect(tag(diverted, 'cause')).toBe('callForwardNoAnswer');
    const ringing = nth(client, ids['2002'], 0).xml;
    expect(device(ringing, 'lastRedirectionDevice')).toBe('2001');
    expect(tag(ringing, 'cause')).toBe('callForwardNoAnswer');
  });

  it('reports a busy extension with a FailedEvent', async () => {
    const { sim, client, ids } = await boot();
    sim.setDeviceBusy('2001', true);
    const outcome = await sim.placeCall({ ani: ANI, dnis: DNIS, routePoint: '2001' }).done;
    expect(outcome.result).toBe('failed');
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2001']);
    expect(eventsOf(client, ids['2001'])).toEqual([
      'FailedEvent',
      'ConnectionClearedEvent',
      'ConnectionClearedEvent',
      'CallClearedEvent',
    ]);
    const failed = nth(client, ids['2001'], 0).xml;
    expect(device(failed, 'failingDevice')).toBe('2001');
    expect(tag(failed, 'cause')).toBe('busy');
    expect(tag(failed, 'localConnectionInfo')).toBe('fail');
  });
});
