/** Decision traces: answered from memory while recent, from the database after a restart, updated in place. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionLog } from '../../src/routing/decision-log.js';
import type { DecisionTrace } from '../../src/routing/types.js';
import { openTestDb, STORE_KINDS, type TestDb } from '../helpers/stores.js';

function trace(callId: string, over: Partial<DecisionTrace> = {}): DecisionTrace {
  return {
    link: 'pbx',
    callId,
    decidedAt: Date.parse('2026-11-25T09:00:00Z'),
    ani: '+33 6 •• •• •• 78',
    aniKind: 'e164',
    dnis: '+33800123456',
    customerId: '6b3f1c9e-0d1a-4c55-9a0e-3a1d2c4b5e6f',
    tier: 'vip',
    rule: 'vip',
    rulesTested: 1,
    rules: [
      {
        rule: 'vip',
        matched: true,
        conditions: [{ test: 'customer.tier = vip', passed: true, actual: 'vip' }],
      },
    ],
    queue: 'support',
    priority: 100,
    skills: ['senior'],
    candidates: [],
    steps: [],
    outcome: { kind: 'queued', queue: 'support' },
    ...over,
  };
}

describe.each(STORE_KINDS)('decision log on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('keeps a trace, updates it as the call progresses, and finds it after a restart', async () => {
    const log = new DecisionLog({ db: t.db, keep: 2, batchSize: 10, flushMs: 1 });
    await log.record(trace('c1'));
    const assigned = trace('c1', {
      candidates: [{ agentId: 'alice', chosen: true, why: 'senior, idle 40 s' }],
      outcome: { kind: 'agent', agentId: 'alice', device: '4001', waitedMs: 1200 },
    });
    await log.record(assigned);
    expect(await log.get('c1')).toEqual(assigned);
    await log.close();

    const restarted = new DecisionLog({ db: t.db, keep: 2, batchSize: 10, flushMs: 1 });
    expect(await restarted.get('c1', 'pbx')).toEqual(assigned);
    expect(await restarted.get('c1', 'other-link')).toBeUndefined();
    expect(await restarted.get('nope')).toBeUndefined();
    const rows = await t.db.query<{ agent_id: string; rule: string }>(
      'select agent_id, rule from routing_decisions where call_id = $1',
      ['c1'],
    );
    expect(rows.rows).toEqual([{ agent_id: 'alice', rule: 'vip' }]);
    await restarted.close();
  });

  it('keeps only the most recent traces in memory; older ones come from the database', async () => {
    const log = new DecisionLog({ db: t.db, keep: 2, batchSize: 10, flushMs: 1 });
    await Promise.all(['m1', 'm2', 'm3'].map((id) => log.record(trace(id))));
    await t.db.query(
      "update routing_decisions set trace = jsonb_set(trace, '{rule}', '\"from-db\"') where call_id = 'm1'",
    );
    expect((await log.get('m1'))?.rule).toBe('from-db');
    expect((await log.get('m3'))?.rule).toBe('vip');
    await log.close();
  });
});
