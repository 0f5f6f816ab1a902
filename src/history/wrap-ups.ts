/**
 * Wrap-ups: after a call, the agent's disposition code and note. Kept with the call record
 * (`call_wrapups`, same link and call id) and given to the customer as their latest interaction,
 * so the next pop shows it.
 */
import type { Queryable } from '../store/db.js';

export interface WrapUp {
  link: string;
  callId: string;
  agentId?: string;
  at: number;
  disposition: string;
  note?: string;
  customerId?: string;
}

/** Saves (or replaces, for the same agent and call) a wrap-up. */
export async function saveWrapUp(q: Queryable, w: WrapUp): Promise<void> {
  await q.query(
    `insert into call_wrapups (link, call_id, agent_id, at, disposition, note, customer_id)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (link, call_id, agent_id) do update
       set at = excluded.at, disposition = excluded.disposition, note = excluded.note, customer_id = excluded.customer_id`,
    [w.link, w.callId, w.agentId ?? '', new Date(w.at), w.disposition, w.note ?? null, w.customerId ?? null],
  );
}

/** The customer and link of a finished call, from its latest record; undefined when none. */
export async function recordedCall(
  q: Queryable,
  callId: string,
  link?: string,
): Promise<{ link: string; customerId: string | undefined } | undefined> {
  const res = await q.query<{ link: string; customer_id: string | null }>(
    `select link, customer_id from call_records where call_id = $1 and ($2::text is null or link = $2)
     order by started_at desc limit 1`,
    [callId, link ?? null],
  );
  const r = res.rows[0];
  return r && { link: r.link, customerId: r.customer_id ?? undefined };
}

export async function wrapUpsOf(q: Queryable, link: string, callId: string): Promise<WrapUp[]> {
  const res = await q.query<{
    agent_id: string;
    at: Date;
    disposition: string;
    note: string | null;
    customer_id: string | null;
  }>(
    'select agent_id, at, disposition, note, customer_id from call_wrapups where link = $1 and call_id = $2 order by at',
    [link, callId],
  );
  return res.rows.map((r) => ({
    link,
    callId,
    agentId: r.agent_id || undefined,
    at: r.at.getTime(),
    disposition: r.disposition,
    note: r.note ?? undefined,
    customerId: r.customer_id ?? undefined,
  }));
}
