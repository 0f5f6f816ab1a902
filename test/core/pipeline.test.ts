/**
 * The path of one call through the real pieces: tracker → pipeline → directory (on a real store)
 * → identified event → call record committed at clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, type RelaisEvents } from '../../src/core/event-bus.js';
import { startPipeline } from '../../src/core/pipeline.js';
import { CallTracker } from '../../src/core/tracker.js';
import { createCallRecordWriter, selectCallRecords } from '../../src/history/call-records.js';
import type { CallEvent } from '../../src/model/call.js';
import { testDirectory } from '../helpers/directory.js';
import { frNormalise } from '../helpers/numbers.js';
import { openTestDb, STORE_KINDS, type TestDb } from '../helpers/stores.js';

describe.each(STORE_KINDS)('call pipeline on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  function build() {
    const errors: unknown[] = [];
    const bus = new EventBus<RelaisEvents>({ onError: (_topic, err) => errors.push(err) });
    const tracker = new CallTracker({ normalise: frNormalise, bus, clearGraceMs: 0 });
    const directory = testDirectory(t.db, { cacheSize: 100 });
    const writer = createCallRecordWriter({ db: t.db, batchSize: 50, flushMs: 5 });
    const written: Promise<void>[] = [];
    const stop = startPipeline({
      bus,
      tracker,
      directory,
      records: {
        write: (r) => {
          const p = writer.write(r);
          written.push(p);
          return p;
        },
      },
      onError: (_what, err) => errors.push(err),
    });
    return { bus, tracker, directory, writer, written, stop, errors };
  }

  const t0 = Date.UTC(2026, 10, 25, 10, 0, 0);
  const call = (id: string, ani: string): CallEvent[] => [
    { type: 'offered', callId: id, link: 'pbx', at: t0, ani, dnis: '0800123456' },
    { type: 'queued', callId: id, link: 'pbx', at: t0 + 1000, queue: 'support' },
    { type: 'alerting', callId: id, link: 'pbx', at: t0 + 9000, device: '2001' },
    { type: 'connected', callId: id, link: 'pbx', at: t0 + 12_000, device: '2001', agentId: 'agent-7' },
    { type: 'cleared', callId: id, link: 'pbx', at: t0 + 72_000 },
  ];

  it('identifies a known caller, tags the call and records it with the customer at clear', async () => {
    const p = build();
    const vip = await p.directory.create({
      name: 'Camille',
      phones: [{ number: '06 12 34 56 78' }],
      tier: 'vip',
    });
    const identified = new Promise<RelaisEvents['call.identified']>((resolve) =>
      p.bus.on('call.identified', resolve),
    );
    const [offered, ...rest] = call('k1', '+33612345678');
    p.tracker.ingest(offered as CallEvent);
    const who = await identified;
    expect(who.customer?.id).toBe(vip.id);
    expect(who.customer?.tier).toBe('vip');
    expect(p.tracker.get('pbx', 'k1')?.customerId).toBe(vip.id);
    for (const e of rest) p.tracker.ingest(e);
    await Promise.all(p.written);
    const [rec] = await selectCallRecords(t.db, t0, t0 + 1);
    expect(rec).toMatchObject({
      callId: 'k1',
      customerId: vip.id,
      ani: '+33612345678',
      dnis: '+33800123456',
      queue: 'support',
      agentId: 'agent-7',
      outcome: 'answered',
      waitMs: 12_000,
      talkMs: 60_000,
    });
    expect(p.errors).toEqual([]);
    p.stop();
    await p.writer.close();
  });

  it('identifies a cached caller in the same tick, with no database query', async () => {
    const p = build();
    await p.directory.create({ name: 'Léa', phones: [{ number: '0699887766' }] });
    await p.directory.lookup('+33699887766');
    const before = p.directory.dbLookups;
    let seen: RelaisEvents['call.identified'] | undefined;
    p.bus.on('call.identified', (e) => {
      seen = e;
    });
    p.tracker.ingest({
      type: 'offered',
      callId: 'k2',
      link: 'pbx',
      at: t0 + 5,
      ani: '0699887766',
      dnis: '3001',
    });
    expect(seen?.customer?.name).toBe('Léa'); // synchronously
    expect(p.directory.dbLookups).toBe(before);
    p.stop();
  });

  it('treats a withheld caller as unknown without a lookup, and records the kind', async () => {
    const p = build();
    const before = p.directory.dbLookups;
    let seen: RelaisEvents['call.identified'] | undefined;
    p.bus.on('call.identified', (e) => {
      seen = e;
    });
    for (const e of call('k3', 'anonymous')) p.tracker.ingest({ ...e, at: e.at + 100_000 });
    expect(seen?.customer).toBeNull();
    expect(seen?.call.ani.number.kind).toBe('withheld');
    expect(p.directory.dbLookups).toBe(before);
    await Promise.all(p.written);
    const [rec] = await selectCallRecords(t.db, t0 + 100_000, t0 + 100_001);
    expect(rec).toMatchObject({ callId: 'k3', aniKind: 'withheld', ani: undefined, customerId: undefined });
    p.stop();
    await p.writer.close();
  });
});
