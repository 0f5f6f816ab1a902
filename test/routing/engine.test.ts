/** The routing engine across a plan reload: a waiting call whose queue is removed goes to that queue's device at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Distributor } from '../../src/acd/distributor.js';
import { DecisionLog } from '../../src/routing/decision-log.js';
import { acdOf, RoutingEngine } from '../../src/routing/engine.js';
import { parsePlan } from '../../src/routing/plan/load.js';
import { frNormalise } from '../helpers/numbers.js';
import { openTestDb, type TestDb } from '../helpers/stores.js';

const opts = { normalise: frNormalise, defaultCountry: 'FR', tiers: ['standard', 'vip'] };
const PLAN = (queues: string) => `skills: [s]
queues:
${queues}
agents: [{ id: alice, device: "4001", skills: { s: 1 } }]
default: { queue: q1 }
`;

describe('routing engine', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite');
  });
  afterAll(async () => {
    await t.drop();
  });

  it("sends a waiting call to its queue's device when a reload removes the queue", async () => {
    const plan = parsePlan(
      PLAN('  - { id: q1, device: "3001", skills: [s] }\n  - { id: q2, device: "3002", skills: [s] }'),
      'p.yaml',
      opts,
    );
    const log = new DecisionLog({ db: t.db, keep: 100, batchSize: 10, flushMs: 1 });
    const engine = new RoutingEngine({
      normalise: frNormalise,
      lookup: () => ({ customer: null, matches: 0 }),
      plan,
      log,
    });
    const d = new Distributor({ ...acdOf(plan.plan), onEvent: engine.onAcdEvent });
    engine.attach(d);
    const decision = await engine.router({
      link: 'pbx',
      callId: 'c1',
      ani: '0612345678',
      dnis: '0140000000',
      at: Date.now(),
    });
    expect(decision.target).toEqual({ kind: 'queue', queue: 'q1', device: '3001' });
    const waited = decision.queued?.agent;
    engine.setPlan(
      parsePlan(
        PLAN('  - { id: q2, device: "3002", skills: [s] }').replace(
          'default: { queue: q1 }',
          'default: { queue: q2 }',
        ),
        'p.yaml',
        opts,
      ),
    );
    await expect(waited).resolves.toBeUndefined();
    await expect(log.get('c1', 'pbx')).resolves.toMatchObject({
      outcome: { kind: 'queue-device', queue: 'q1', device: '3001' },
      steps: [{ what: 'queued in q1 at position 1' }, { what: 'queue q1 removed by a plan reload' }],
    });
    await log.close();
  });
});
