/**
 * One set of migrations, PostgreSQL SQL, for PGlite and PostgreSQL alike. Append only: a migration
 * that has shipped is never edited; a change is a new entry. Each runs in its own transaction under
 * an advisory lock, so several nodes starting at once apply each exactly once.
 */
import { RelaisError } from '../errors.js';
import type { Db } from './db.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'customers',
    sql: `
      create table customers (
        id uuid primary key default gen_random_uuid(),
        external_id text unique,
        name text not null,
        tier text not null default 'standard',
        language text,
        email text,
        consent jsonb not null default '{}',
        attributes jsonb not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      -- Several people may share a number (a household, a switchboard): no unique key on e164.
      create table customer_phones (
        customer_id uuid not null references customers (id) on delete cascade,
        e164 text not null,
        label text,
        primary key (customer_id, e164)
      );
      create index customer_phones_e164 on customer_phones (e164);
      create table purchases (
        id uuid primary key default gen_random_uuid(),
        customer_id uuid not null references customers (id) on delete cascade,
        sku text not null,
        label text,
        amount_cents bigint,
        currency text,
        purchased_at timestamptz not null
      );
      create index purchases_customer on purchases (customer_id, purchased_at desc);
      create table interactions (
        id uuid primary key default gen_random_uuid(),
        customer_id uuid not null references customers (id) on delete cascade,
        at timestamptz not null,
        channel text not null,
        agent_id text,
        summary text,
        call_id text,
        disposition text
      );
      create index interactions_customer on interactions (customer_id, at desc);
    `,
  },
  {
    id: 2,
    name: 'call_records',
    sql: `
      -- One row per call. A switch reuses call ids over time, so the start is part of the key;
      -- a replayed record (same link, call id and start) is absorbed by the key.
      create table call_records (
        link text not null,
        call_id text not null,
        started_at timestamptz not null,
        answered_at timestamptz,
        ended_at timestamptz not null,
        ani_kind text not null,
        ani text,
        dnis text,
        customer_id uuid,
        queue text,
        agent_id text,
        device text,
        wait_ms integer not null,
        talk_ms integer not null,
        hold_ms integer not null,
        transfers integer not null,
        outcome text not null,
        cause text,
        recorded_at timestamptz not null default now(),
        primary key (link, call_id, started_at)
      );
      create index call_records_started on call_records (started_at);
      create index call_records_customer on call_records (customer_id, started_at desc);
    `,
  },
  {
    id: 3,
    name: 'routing_decisions',
    sql: `
      -- The trace of each routing decision: why a call went where it went. Keyed like the call;
      -- a decision is rewritten as it progresses (queued, then an agent), so the key absorbs replays.
      create table routing_decisions (
        link text not null,
        call_id text not null,
        decided_at timestamptz not null,
        rule text not null,
        queue text,
        agent_id text,
        trace jsonb not null,
        primary key (link, call_id, decided_at)
      );
      create index routing_decisions_call on routing_decisions (call_id, decided_at desc);
    `,
  },
  {
    id: 4,
    name: 'call_wrapups',
    sql: `
      -- The agent's wrap-up of a call (disposition code, note), kept with the call: joined to
      -- call_records on (link, call_id). One per agent and call; a second one replaces it.
      create table call_wrapups (
        link text not null,
        call_id text not null,
        agent_id text not null default '',
        at timestamptz not null,
        disposition text not null,
        note text,
        customer_id uuid,
        primary key (link, call_id, agent_id)
      );
      create index call_wrapups_at on call_wrapups (at);
    `,
  },
];

// Any constant works; it only has to be the same on every node.
const MIGRATION_LOCK = 0x52454c41; // 'RELA'

export interface MigrationReport {
  applied: Migration[];
  current: number;
}

export async function migrate(
  db: Db,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  await db.query(`create table if not exists relais_migrations (
    id integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied: Migration[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('select 1 from relais_migrations where id = $1', [m.id]);
      if (seen.rows.length > 0) return false;
      try {
        await tx.exec(m.sql);
      } catch (cause) {
        throw new RelaisError('RELAIS_ERR_MIGRATION', `migration ${m.id} (${m.name}) failed`, { cause });
      }
      await tx.query('insert into relais_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      return true;
    });
    if (done) applied.push(m);
  }
  const last = migrations[migrations.length - 1];
  return { applied, current: last?.id ?? 0 };
}
