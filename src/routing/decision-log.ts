/**
 * Decision traces: the recent ones in memory (live calls, answered at once), every one written to
 * `routing_decisions` off the hot path by group commit, so "why did this call go there?" has an
 * answer after a restart too.
 */
import { BatchWriter } from '../store/batch-writer.js';
import type { Db } from '../store/db.js';
import type { DecisionTrace } from './types.js';

export interface DecisionLogOptions {
  db: Db;
  /** Traces kept in memory (the most recent). */
  keep: number;
  batchSize: number;
  flushMs: number;
  onError?: (err: unknown, attempt: number) => void;
}

const key = (link: string, callId: string) => `${link}\u0000${callId}`;

export class DecisionLog {
  readonly #recent = new Map<string, DecisionTrace>();
  readonly #writer: BatchWriter<DecisionTrace>;
  readonly #db: Db;
  readonly #keep: number;

  constructor(opts: DecisionLogOptions) {
    this.#db = opts.db;
    this.#keep = opts.keep;
    this.#writer = new BatchWriter<DecisionTrace>({
      db: opts.db,
      maxBatch: opts.batchSize,
      flushMs: opts.flushMs,
      onError: opts.onError,
      writeBatch: async (tx, items) => {
        await tx.query(
          `insert into routing_decisions (link, call_id, decided_at, rule, queue, agent_id, trace)
           select x.link, x.call_id, x.decided_at, x.rule, x.queue, x.agent_id, x.trace
           from jsonb_to_recordset($1::jsonb) as x(link text, call_id text, decided_at timestamptz, rule text,
             queue text, agent_id text, trace jsonb)
           on conflict (link, call_id, decided_at) do update
             set rule = excluded.rule, queue = excluded.queue, agent_id = excluded.agent_id, trace = excluded.trace`,
          [JSON.stringify(items.map(toRow))],
        );
      },
    });
  }

  /** Records (or updates, as the call progresses) a trace; the write happens in the background. */
  record(trace: DecisionTrace): Promise<void> {
    const k = key(trace.link, trace.callId);
    this.#recent.delete(k);
    this.#recent.set(k, trace);
    if (this.#recent.size > this.#keep) this.#recent.delete(this.#recent.keys().next().value as string);
    // Not copied: a later update of the same trace (queued, then an agent) is what should be
    // written anyway, and serialising happens synchronously in one piece.
    return this.#writer.write(trace);
  }

  /** The latest trace of a call: from memory, else from the database. `link` narrows a call id two links share. */
  async get(callId: string, link?: string): Promise<DecisionTrace | undefined> {
    if (link !== undefined) {
      const t = this.#recent.get(key(link, callId));
      if (t) return t;
    } else {
      let found: DecisionTrace | undefined;
      for (const t of this.#recent.values()) if (t.callId === callId) found = t; // the latest wins
      if (found) return found;
    }
    const res = await this.#db.query<{ trace: DecisionTrace }>(
      `select trace from routing_decisions where call_id = $1 and ($2::text is null or link = $2)
       order by decided_at desc limit 1`,
      [callId, link ?? null],
      { name: 'routing_decision_by_call' },
    );
    return res.rows[0]?.trace;
  }

  /** Traces waiting to be written. */
  get pending(): number {
    return this.#writer.pending;
  }

  /** Writes what is pending (shutdown). */
  close(): Promise<void> {
    return this.#writer.close();
  }
}

function toRow(t: DecisionTrace) {
  return {
    link: t.link,
    call_id: t.callId,
    decided_at: new Date(t.decidedAt).toISOString(),
    rule: t.rule,
    queue: t.queue ?? null,
    agent_id: t.outcome.kind === 'agent' ? t.outcome.agentId : null,
    trace: t,
  };
}
