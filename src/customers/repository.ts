/**
 * SQL for the customer directory. Every function takes a `Queryable` so callers choose the
 * transaction. Rows come back as model objects; database errors are translated by the caller.
 */
import type {
  AttributeValue,
  CustomerCard,
  CustomerPhone,
  Interaction,
  Purchase,
} from '../model/customer.js';
import type { Queryable } from '../store/db.js';

/** A customer as it is written: phones already normalised to E.164. */
export interface CustomerWrite {
  externalId?: string | null;
  name: string;
  tier: string;
  language?: string | null;
  email?: string | null;
  consent: Record<string, boolean>;
  attributes: Record<string, AttributeValue>;
  phones: CustomerPhone[];
}

export interface CardLimits {
  purchases: number;
  interactions: number;
}

/** The card in one statement: customer, phones, recent purchases and interactions ($2, $3 are the limits). */
const CARD = `
  c.id, c.external_id, c.name, c.tier, c.language, c.email, c.consent, c.attributes, c.created_at, c.updated_at,
  coalesce((select json_agg(json_build_object('e164', p.e164, 'label', p.label) order by p.e164)
            from customer_phones p where p.customer_id = c.id), '[]') as phones,
  coalesce((select json_agg(x order by x.purchased_at desc) from (
              select id, sku, label, amount_cents, currency, purchased_at from purchases
              where customer_id = c.id order by purchased_at desc limit $2) x), '[]') as purchases,
  coalesce((select json_agg(x order by x.at desc) from (
              select id, at, channel, agent_id, summary, call_id, disposition from interactions
              where customer_id = c.id order by at desc limit $3) x), '[]') as interactions`;

interface CardRow {
  id: string;
  external_id: string | null;
  name: string;
  tier: string;
  language: string | null;
  email: string | null;
  consent: Record<string, boolean>;
  attributes: Record<string, AttributeValue>;
  created_at: Date;
  updated_at: Date;
  phones: Array<{ e164: string; label: string | null }>;
  purchases: Array<Record<string, unknown>>;
  interactions: Array<Record<string, unknown>>;
}

function optional<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

function toCard(r: CardRow): CustomerCard {
  return {
    id: r.id,
    externalId: optional(r.external_id),
    name: r.name,
    tier: r.tier,
    language: optional(r.language),
    email: optional(r.email),
    consent: r.consent,
    attributes: r.attributes,
    createdAt: r.created_at.getTime(),
    updatedAt: r.updated_at.getTime(),
    phones: r.phones.map((p) => ({ e164: p.e164, label: optional(p.label) })),
    recentPurchases: r.purchases.map(toPurchase),
    recentInteractions: r.interactions.map(toInteraction),
  };
}

function toPurchase(p: Record<string, unknown>): Purchase {
  return {
    id: String(p.id),
    sku: String(p.sku),
    label: optional(p.label as string | null),
    amountCents: p.amount_cents === null ? undefined : Number(p.amount_cents),
    currency: optional(p.currency as string | null),
    purchasedAt: Date.parse(String(p.purchased_at)),
  };
}

function toInteraction(i: Record<string, unknown>): Interaction {
  return {
    id: String(i.id),
    at: Date.parse(String(i.at)),
    channel: String(i.channel),
    agentId: optional(i.agent_id as string | null),
    summary: optional(i.summary as string | null),
    callId: optional(i.call_id as string | null),
    disposition: optional(i.disposition as string | null),
  };
}

export async function selectById(
  q: Queryable,
  id: string,
  lim: CardLimits,
): Promise<CustomerCard | undefined> {
  const res = await q.query<CardRow>(`select ${CARD} from customers c where c.id = $1`, [
    id,
    lim.purchases,
    lim.interactions,
  ]);
  const row = res.rows[0];
  return row && toCard(row);
}

/** Customers having this number, most recently updated first: one indexed query. */
export async function selectByNumber(q: Queryable, e164: string, lim: CardLimits): Promise<CustomerCard[]> {
  const res = await q.query<CardRow>(
    `select ${CARD} from customer_phones n join customers c on c.id = n.customer_id
     where n.e164 = $1 order by c.updated_at desc, c.id limit 10`,
    [e164, lim.purchases, lim.interactions],
    { name: 'relais_customer_by_number' },
  );
  return res.rows.map(toCard);
}

export interface ListPage {
  items: CustomerCard[];
  next: string | undefined;
}

/** Keyset pagination on id: stable under inserts, no OFFSET scans. */
export async function selectPage(
  q: Queryable,
  after: string | undefined,
  limit: number,
  lim: CardLimits,
): Promise<ListPage> {
  const res = await q.query<CardRow>(
    `select ${CARD} from customers c where ($1::uuid is null or c.id > $1::uuid) order by c.id limit $4`,
    [after ?? null, lim.purchases, lim.interactions, limit + 1],
  );
  const items = res.rows.slice(0, limit).map(toCard);
  return { items, next: res.rows.length > limit ? items[items.length - 1]?.id : undefined };
}

export async function insertCustomer(q: Queryable, c: CustomerWrite): Promise<string> {
  const res = await q.query<{ id: string }>(
    `insert into customers (external_id, name, tier, language, email, consent, attributes)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      c.externalId ?? null,
      c.name,
      c.tier,
      c.language ?? null,
      c.email ?? null,
      JSON.stringify(c.consent),
      JSON.stringify(c.attributes),
    ],
  );
  const id = (res.rows[0] as { id: string }).id;
  await replacePhones(q, [{ id, phones: c.phones }]);
  return id;
}

/** Returns false when no such customer. */
export async function updateCustomer(q: Queryable, id: string, c: CustomerWrite): Promise<boolean> {
  const res = await q.query(
    `update customers set external_id = $2, name = $3, tier = $4, language = $5, email = $6, consent = $7,
       attributes = $8, updated_at = now() where id = $1`,
    [
      id,
      c.externalId ?? null,
      c.name,
      c.tier,
      c.language ?? null,
      c.email ?? null,
      JSON.stringify(c.consent),
      JSON.stringify(c.attributes),
    ],
  );
  if (res.rowCount === 0) return false;
  await replacePhones(q, [{ id, phones: c.phones }]);
  return true;
}

/** Deletes a customer and returns the numbers they had (for cache invalidation), or undefined. */
export async function deleteCustomer(q: Queryable, id: string): Promise<string[] | undefined> {
  const phones = await q.query<{ e164: string }>('select e164 from customer_phones where customer_id = $1', [
    id,
  ]);
  const res = await q.query('delete from customers where id = $1', [id]);
  return res.rowCount === 0 ? undefined : phones.rows.map((r) => r.e164);
}

/** Numbers a set of customers has now. */
export async function selectNumbers(q: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const res = await q.query<{ e164: string }>(
    'select e164 from customer_phones where customer_id = any($1::uuid[])',
    [ids],
  );
  return res.rows.map((r) => r.e164);
}

async function replacePhones(
  q: Queryable,
  items: Array<{ id: string; phones: CustomerPhone[] }>,
): Promise<void> {
  const ids = items.map((i) => i.id);
  await q.query('delete from customer_phones where customer_id = any($1::uuid[])', [ids]);
  const rows = items.flatMap((i) =>
    i.phones.map((p) => ({ customer_id: i.id, e164: p.e164, label: p.label ?? null })),
  );
  if (rows.length === 0) return;
  await q.query(
    `insert into customer_phones (customer_id, e164, label)
     select customer_id, e164, label from jsonb_to_recordset($1::jsonb) as x(customer_id uuid, e164 text, label text)
     on conflict (customer_id, e164) do update set label = excluded.label`,
    [JSON.stringify(rows)],
  );
}

export interface UpsertOutcome {
  id: string;
  externalId: string;
  inserted: boolean;
}

/**
 * Import path: many customers keyed by external id in three statements, whatever the batch size.
 * External ids must be distinct within the batch (ON CONFLICT cannot touch one row twice).
 */
export async function upsertByExternalId(
  q: Queryable,
  batch: Array<CustomerWrite & { externalId: string }>,
): Promise<UpsertOutcome[]> {
  const input = batch.map((c) => ({
    external_id: c.externalId,
    name: c.name,
    tier: c.tier,
    language: c.language ?? null,
    email: c.email ?? null,
    consent: c.consent,
    attributes: c.attributes,
  }));
  const res = await q.query<{ id: string; external_id: string; inserted: boolean }>(
    `insert into customers as c (external_id, name, tier, language, email, consent, attributes)
     select external_id, name, tier, language, email, consent, attributes
     from jsonb_to_recordset($1::jsonb)
       as x(external_id text, name text, tier text, language text, email text, consent jsonb, attributes jsonb)
     on conflict (external_id) do update set name = excluded.name, tier = excluded.tier,
       language = excluded.language, email = excluded.email, consent = excluded.consent,
       attributes = excluded.attributes, updated_at = now()
     returning c.id, c.external_id, (xmax = 0) as inserted`,
    [JSON.stringify(input)],
  );
  const byExternal = new Map(res.rows.map((r) => [r.external_id, r]));
  const items = batch.map((c) => ({
    id: (byExternal.get(c.externalId) as { id: string }).id,
    phones: c.phones,
  }));
  await replacePhones(q, items);
  return res.rows.map((r) => ({ id: r.id, externalId: r.external_id, inserted: r.inserted }));
}

export interface PurchaseWrite {
  sku: string;
  label?: string;
  amountCents?: number;
  currency?: string;
  purchasedAt: number;
}

export async function insertPurchase(q: Queryable, customerId: string, p: PurchaseWrite): Promise<string> {
  const res = await q.query<{ id: string }>(
    `insert into purchases (customer_id, sku, label, amount_cents, currency, purchased_at)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [customerId, p.sku, p.label ?? null, p.amountCents ?? null, p.currency ?? null, new Date(p.purchasedAt)],
  );
  await touch(q, customerId);
  return (res.rows[0] as { id: string }).id;
}

export interface InteractionWrite {
  at: number;
  channel: string;
  agentId?: string;
  summary?: string;
  callId?: string;
  disposition?: string;
}

export async function insertInteraction(
  q: Queryable,
  customerId: string,
  i: InteractionWrite,
): Promise<string> {
  const res = await q.query<{ id: string }>(
    `insert into interactions (customer_id, at, channel, agent_id, summary, call_id, disposition)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      customerId,
      new Date(i.at),
      i.channel,
      i.agentId ?? null,
      i.summary ?? null,
      i.callId ?? null,
      i.disposition ?? null,
    ],
  );
  await touch(q, customerId);
  return (res.rows[0] as { id: string }).id;
}

async function touch(q: Queryable, customerId: string): Promise<void> {
  await q.query('update customers set updated_at = now() where id = $1', [customerId]);
}

export async function countCustomers(q: Queryable): Promise<number> {
  const res = await q.query<{ n: number }>('select count(*)::int as n from customers');
  return (res.rows[0] as { n: number }).n;
}
