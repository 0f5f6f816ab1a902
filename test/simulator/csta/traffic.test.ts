import { afterEach, describe, expect, it } from 'vitest';
import {
  type CallOutcome,
  type CallPlan,
  CstaSimulator,
  planCalls,
  type TrafficOptions,
} from '../../../src/simulator/csta/index.js';
import { RawClient, setUp, tag } from './raw-client.js';

const TRAFFIC: TrafficOptions = {
  ratePerSecond: 400,
  anis: ['+33612345678', '+33698765432', '+4930123456', '0145678901'],
  dnisList: ['+33140000000', '+33140000001'],
  abandonRatio: 0.2,
  holdRatio: 0.2,
  transferRatio: 0.2,
  answerRatio: 0.8,
  withheldRatio: 0.1,
  talkMs: [1, 6],
  ringMs: [0, 3],
  holdMs: [1, 3],
  abandonAfterMs: [1, 4],
  maxCalls: 25,
  seed: 42,
};

const sims: CstaSimulator[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sims.splice(0)) await s.close();
});

function simulator() {
  const sim = new CstaSimulator({
    devices: { agents: ['2001', '2002', '2003'], acdGroups: [{ id: '3001' }], routePoints: [{ id: '3000' }] },
    ringNoAnswerMs: 2,
    busyToneMs: 1,
  });
  sims.push(sim);
  return sim;
}

async function run(sim: CstaSimulator) {
  const placed: CallPlan[] = [];
  const ended: CallOutcome[] = [];
  sim.on('call-placed', (c) => placed.push(c.plan));
  sim.on('call-ended', (o) => ended.push(o));
  const traffic = sim.startTraffic(TRAFFIC);
  await traffic.finished;
  return { placed, ended, traffic };
}

describe('traffic generator', () => {
  it('draws the same calls from the same seed, and others from another seed', () => {
    const a = planCalls(TRAFFIC, 50);
    expect(planCalls(TRAFFIC, 50)).toEqual(a);
    expect(planCalls({ ...TRAFFIC, seed: 43 }, 50)).not.toEqual(a);
    const fates = new Set(a.map((c) => c.plan.fate));
    expect(fates).toEqual(new Set(['answer', 'abandon']));
    expect(a.some((c) => c.plan.presentation === 'restricted')).toBe(true);
    expect(a.some((c) => c.plan.transferTo === 'any')).toBe(true);
  });

  it('places the planned calls, in order, whatever the timing of the run', async () => {
    const first = await run(simulator());
    const second = await run(simulator());
    const expected = planCalls(TRAFFIC, 25).map((c) => c.plan);
    expect(first.placed).toEqual(expected);
    expect(second.placed).toEqual(expected);
    expect(first.traffic.placed).toBe(25);
    expect(first.ended).toHaveLength(25);
  });

  it('keeps every call consistent under load: each one clears, counters add up', async () => {
    const sim = simulator();
    const { port } = await sim.listen();
    const client = await RawClient.connect({ port });
    clients.push(client);
    await setUp(client, ['3000', '3001', '2001', '2002', '2003']);
    const { ended } = await run(sim);
    const stats = sim.stats();
    expect(stats.callsPlaced).toBe(25);
    expect(stats.callsAnswered + stats.callsAbandoned + stats.callsFailed).toBe(25);
    expect(sim.activeCalls).toBe(0);
    // Every call's last id gets its CallClearedEvent at some monitored device.
    const finalIds = ended.map((o) => o.finalCallId);
    await client.take((m) => m.root === 'CallClearedEvent' && tag(m.xml, 'callID') === finalIds.at(-1), 3000);
    const cleared = new Set(client.all('CallClearedEvent').map((m) => tag(m.xml, 'callID')));
    for (const id of finalIds) expect(cleared.has(id)).toBe(true);
    expect(
      client.all((m) => m.root === 'DeliveredEvent' && tag(m.xml, 'deviceIdentifier') === '3000'),
    ).toHaveLength(25);
  });
});
