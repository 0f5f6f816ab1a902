/**
 * Call records (CDR): one row per call, written off the hot path by group commit.
 * Idempotent: a record replayed after a reconnect or a retry hits the primary key and is dropped.
 */
import type { CallRecord } from '../model/call.js';
import { BatchWriter } from '../store/batch-writer.js';
import type { Db, Queryable } from '../store/db.js';

export interface CallRecordWriterOptions {
  db: Db;
  batchSize: number;
  flushMs: number;
  onError?: (err: unknown, attempt: number) => void;
}

function toRow(r: CallRecord) {
  return {
    link: r.link,
    call_id: r.callId,
    started_at: new Date(r.startedAt).toISOString(),
    answered_at: r.answeredAt === undefined ? null : new Date(r.answeredAt).toISOString(),
    ended_at: new Date(r.endedAt).toISOString(),
    ani_kind: r.aniKind,
    ani: r.ani ?? null,
    dnis: r.dnis ?? null,
    customer_id: r.customerId ?? null,
    queue: r.queue ?? null,
    agent_id: r.agentId ?? null,
    device: r.device ?? null,
    wait_ms: Math.round(r.waitMs),
    talk_ms: Math.round(r.talkMs),
    hold_ms: Math.round(r.holdMs),
    transfers: r.transfers,
    outcome: r.outcome,
    cause: r.cause ?? null,
  };
}

export async function insertCallRecords(q: Queryable, records: CallRecord[]): Promise<number> {
  const res = await q.query(
    `insert into call_records (link, call_id, started_at, answered_at, ended_at, ani_kind, ani, dnis, customer_id,
       queue, agent_id, device, wait_ms, talk_ms, hold_ms, transfers, outcome, cause)
     select link, call_id, started_at, answered_at, ended_at, ani_kind, ani, dnis, customer_id,
       queue, agent_id, device, wait_ms, talk_ms, hold_ms, transfers, outcome, cause
     from jsonb_to_recordset($1::jsonb) as x(link text, call_id text, started_at timestamptz, answered_at timestamptz,
       ended_at timestamptz, ani_kind text, ani text, dnis text, customer_id uuid, queue text, agent_id text,
       device text, wait_ms integer, talk_ms integer, hold_ms integer, transfers integer, outcome text, cause text)
     on conflict (link, call_id, started_at) do nothing`,
    [JSON.stringify(records.map(toRow))],
  );
  return res.rowCount;
}

export function createCallRecordWriter(opts: CallRecordWriterOptions): BatchWriter<CallRecord> {
  return new BatchWriter<CallRecord>({
    db: opts.db,
    maxBatch: opts.batchSize,
    flushMs: opts.flushMs,
    onError: opts.onError,
    writeBatch: async (tx, items) => {
      await insertCallRecords(tx, items);
    },
  });
}

interface RecordRow {
  link: string;
  call_id: string;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date;
  ani_kind: CallRecord['aniKind'];
  ani: string | null;
  dnis: string | null;
  customer_id: string | null;
  queue: string | null;
  agent_id: string | null;
  device: string | null;
  wait_ms: number;
  talk_ms: number;
  hold_ms: number;
  transfers: number;
  outcome: CallRecord['outcome'];
  cause: string | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function fromRow(r: RecordRow): CallRecord {
  return {
    link: r.link,
    callId: r.call_id,
    startedAt: r.started_at.getTime(),
    answeredAt: r.answered_at?.getTime(),
    endedAt: r.ended_at.getTime(),
    aniKind: r.ani_kind,
    ani: opt(r.ani),
    dnis: opt(r.dnis),
    customerId: opt(r.customer_id),
    queue: opt(r.queue),
    agentId: opt(r.agent_id),
    device: opt(r.device),
    waitMs: r.wait_ms,
    talkMs: r.talk_ms,
    holdMs: r.hold_ms,
    transfers: r.transfers,
    outcome: r.outcome,
    cause: opt(r.cause),
  };
}

/** Records whose call started in [from, to), oldest first. */
export async function selectCallRecords(
  q: Queryable,
  from: number,
  to: number,
  limit = 1000,
): Promise<CallRecord[]> {
  const res = await q.query<RecordRow>(
    'select * from call_records where started_at >= $1 and started_at < $2 order by started_at, link, call_id limit $3',
    [new Date(from), new Date(to), limit],
  );
  return res.rows.map(fromRow);
}
