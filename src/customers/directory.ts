/**
 * The customer directory: CRUD with validation, and the hot-path lookup by normalised ANI.
 *
 * Lookup: a number seen before is answered from memory (hit or known miss); a new one costs one
 * indexed query, and concurrent lookups of one number share it. Every write invalidates the
 * numbers it touched, before and after the change.
 */
import { randomUUID } from 'node:crypto';
import { RelaisError } from '../errors.js';
import type { CustomerCard, CustomerPhone } from '../model/customer.js';
import type { NormalisedNumber } from '../model/number.js';
import { maskNumber } from '../numbers/mask.js';
import type { Db } from '../store/db.js';
import { toRelaisError } from '../store/errors.js';
import { LookupCache } from './lookup-cache.js';
import type { CustomerWrite, InteractionWrite, PurchaseWrite } from './repository.js';
import * as repo from './repository.js';

/** A customer as a person or a file gives it: numbers in any format, optional fields absent. */
export interface CustomerInput {
  externalId?: string;
  name: string;
  phones: Array<{ number: string; label?: string }>;
  tier?: string;
  language?: string;
  email?: string;
  consent?: Record<string, boolean>;
  attributes?: Record<string, string | number | boolean>;
}

export interface LookupResult {
  /** The best match (most recently updated), or null for an unknown number. */
  customer: CustomerCard | null;
  /** How many customers share this number. */
  matches: number;
}

const NO_MATCH: LookupResult = Object.freeze({ customer: null, matches: 0 });

export interface DirectoryOptions {
  db: Db;
  normalise: (raw: string) => NormalisedNumber;
  cacheSize: number;
  recentPurchases: number;
  recentInteractions: number;
  tiers: readonly string[];
  /** Told after every committed change, with every number it touched. */
  onChange?: (customerId: string, numbers: string[]) => void;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** PostgreSQL NOTIFY channel of directory changes; payload `{origin, numbers}` under 8000 bytes. */
export const CHANGE_CHANNEL = 'relais_customer_changed';
const NOTIFY_NUMBERS_PER_MESSAGE = 300; // 300 × ~16 bytes of JSON per E.164 < 8000

function chunkForNotify(numbers: string[]): string[][] {
  const unique = [...new Set(numbers)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += NOTIFY_NUMBERS_PER_MESSAGE) {
    chunks.push(unique.slice(i, i + NOTIFY_NUMBERS_PER_MESSAGE));
  }
  return chunks;
}

function parseChange(payload: string): { origin: string; numbers: string[] } | undefined {
  try {
    const m = JSON.parse(payload) as { origin?: unknown; numbers?: unknown };
    if (typeof m.origin !== 'string' || !Array.isArray(m.numbers)) return undefined;
    return { origin: m.origin, numbers: m.numbers.filter((n): n is string => typeof n === 'string') };
  } catch {
    return undefined; // unreadable: the caller drops the whole cache, the safe answer
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class CustomerDirectory {
  private readonly cache: LookupCache<LookupResult>;
  private readonly inflight = new Map<string, Promise<LookupResult>>();
  private readonly limits: repo.CardLimits;
  /** Tells this process's own notifications from the others'. */
  private readonly origin = randomUUID();
  dbLookups = 0;

  constructor(private readonly opts: DirectoryOptions) {
    this.cache = new LookupCache(opts.cacheSize);
    this.limits = { purchases: opts.recentPurchases, interactions: opts.recentInteractions };
  }

  get cacheStats(): { size: number; hits: number; misses: number; dbLookups: number } {
    return {
      size: this.cache.size,
      hits: this.cache.hits,
      misses: this.cache.misses,
      dbLookups: this.dbLookups,
    };
  }

  /** The hot path. Withheld, unknown and internal numbers are never looked up. */
  lookupNumber(n: NormalisedNumber): LookupResult | Promise<LookupResult> {
    return n.kind === 'e164' ? this.lookup(n.e164) : NO_MATCH;
  }

  lookup(e164: string): LookupResult | Promise<LookupResult> {
    const cached = this.cache.get(e164);
    if (cached !== undefined) return cached;
    const running = this.inflight.get(e164);
    if (running) return running;
    const p = this.fetch(e164).finally(() => this.inflight.delete(e164));
    this.inflight.set(e164, p);
    return p;
  }

  private async fetch(e164: string): Promise<LookupResult> {
    const since = this.cache.begin();
    this.dbLookups++;
    let cards: CustomerCard[];
    try {
      cards = await repo.selectByNumber(this.opts.db, e164, this.limits);
    } catch (e) {
      throw toRelaisError(e, `lookup of ${maskNumber(e164)}`);
    }
    const result: LookupResult =
      cards.length === 0 ? NO_MATCH : { customer: cards[0] ?? null, matches: cards.length };
    this.cache.set(e164, result, since);
    return result;
  }

  async get(id: string): Promise<CustomerCard> {
    if (!UUID.test(id)) throw notFound(id);
    const card = await this.guard(`customer ${id}`, () => repo.selectById(this.opts.db, id, this.limits));
    if (!card) throw notFound(id);
    return card;
  }

  list(after: string | undefined, limit: number): Promise<repo.ListPage> {
    return this.guard('customer list', () => repo.selectPage(this.opts.db, after, limit, this.limits));
  }

  async create(input: CustomerInput): Promise<CustomerCard> {
    const write = this.prepare(input);
    const id = await this.guard('customer', () =>
      this.opts.db.transaction((tx) => repo.insertCustomer(tx, write)),
    );
    this.changed(
      id,
      write.phones.map((p) => p.e164),
    );
    return this.get(id);
  }

  /** Replaces the customer's fields and numbers (PUT semantics). */
  async update(id: string, input: CustomerInput): Promise<CustomerCard> {
    if (!UUID.test(id)) throw notFound(id);
    const write = this.prepare(input);
    const before = await this.guard(`customer ${id}`, () =>
      this.opts.db.transaction(async (tx) => {
        const old = await repo.selectNumbers(tx, [id]);
        return (await repo.updateCustomer(tx, id, write)) ? old : undefined;
      }),
    );
    if (!before) throw notFound(id);
    this.changed(id, [...before, ...write.phones.map((p) => p.e164)]);
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound(id);
    const numbers = await this.guard(`customer ${id}`, () =>
      this.opts.db.transaction((tx) => repo.deleteCustomer(tx, id)),
    );
    if (!numbers) throw notFound(id);
    this.changed(id, numbers);
  }

  async addPurchase(id: string, p: PurchaseWrite): Promise<CustomerCard> {
    if (!UUID.test(id)) throw notFound(id);
    await this.guard(`purchase of customer ${id}`, () =>
      this.opts.db.transaction((tx) => repo.insertPurchase(tx, id, p)),
    );
    const card = await this.get(id);
    this.changed(
      id,
      card.phones.map((x) => x.e164),
    );
    return card;
  }

  async addInteraction(id: string, i: InteractionWrite): Promise<CustomerCard> {
    if (!UUID.test(id)) throw notFound(id);
    await this.guard(`interaction of customer ${id}`, () =>
      this.opts.db.transaction((tx) => repo.insertInteraction(tx, id, i)),
    );
    const card = await this.get(id);
    this.changed(
      id,
      card.phones.map((x) => x.e164),
    );
    return card;
  }

  /**
   * Upserts customers keyed by external id, all or nothing for the batch (one transaction).
   * Returns how many were new. Callers validate with `check` first.
   */
  async upsertBatch(
    batch: Array<CustomerWrite & { externalId: string }>,
  ): Promise<{ inserted: number; updated: number }> {
    const { outcomes, old } = await this.guard('customer import', () =>
      this.opts.db.transaction(async (tx) => {
        const existing = await tx.query<{ id: string }>(
          'select id from customers where external_id = any($1::text[])',
          [batch.map((c) => c.externalId)],
        );
        const oldNumbers = await repo.selectNumbers(
          tx,
          existing.rows.map((r) => r.id),
        );
        return { outcomes: await repo.upsertByExternalId(tx, batch), old: oldNumbers };
      }),
    );
    const touched = [...old, ...batch.flatMap((c) => c.phones.map((p) => p.e164))];
    this.cache.invalidate(touched);
    this.publish(touched);
    for (const o of outcomes) this.opts.onChange?.(o.id, []);
    const inserted = outcomes.filter((o) => o.inserted).length;
    return { inserted, updated: outcomes.length - inserted };
  }

  /** Validates and normalises one input; throws RELAIS_ERR_VALIDATION naming every bad field. */
  prepare(input: CustomerInput): CustomerWrite {
    const { write, problems } = this.check(input);
    if (problems.length > 0) {
      throw new RelaisError(
        'RELAIS_ERR_VALIDATION',
        problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        {
          details: { problems },
        },
      );
    }
    return write;
  }

  check(input: CustomerInput): { write: CustomerWrite; problems: FieldProblem[] } {
    const problems: FieldProblem[] = [];
    const name = input.name?.trim() ?? '';
    if (name === '') problems.push({ field: 'name', message: 'must not be empty' });
    const tier = input.tier?.trim() || (this.opts.tiers[0] as string);
    if (!this.opts.tiers.includes(tier)) {
      problems.push({
        field: 'tier',
        message: `must be one of ${this.opts.tiers.join(', ')} (got "${tier}")`,
      });
    }
    const language = input.language?.trim() || undefined;
    if (language !== undefined && !LANGUAGE.test(language)) {
      problems.push({
        field: 'language',
        message: `must be a language tag such as fr or en-GB (got "${language}")`,
      });
    }
    const email = input.email?.trim() || undefined;
    if (email !== undefined && !EMAIL.test(email))
      problems.push({ field: 'email', message: 'is not an email address' });
    const phones = this.normalisePhones(input.phones ?? [], problems);
    const write: CustomerWrite = {
      externalId: input.externalId?.trim() || undefined,
      name,
      tier,
      language,
      email,
      consent: input.consent ?? {},
      attributes: input.attributes ?? {},
      phones,
    };
    return { write, problems };
  }

  private normalisePhones(
    raw: Array<{ number: string; label?: string }>,
    problems: FieldProblem[],
  ): CustomerPhone[] {
    if (raw.length === 0)
      problems.push({ field: 'phones', message: 'at least one phone number is required' });
    const seen = new Map<string, CustomerPhone>();
    raw.forEach((p, i) => {
      const n = this.opts.normalise(p.number);
      if (n.kind !== 'e164') {
        const why =
          n.kind === 'unknown' ? n.reason : `is ${n.kind === 'extension' ? 'an internal extension' : n.kind}`;
        problems.push({
          field: `phones[${i}]`,
          message: `"${p.number}" is not a public phone number: ${why}`,
        });
        return;
      }
      // The same number written twice: keep the first, with its label.
      if (!seen.has(n.e164)) seen.set(n.e164, { e164: n.e164, label: p.label?.trim() || undefined });
    });
    return [...seen.values()];
  }

  private changed(id: string, numbers: string[]): void {
    this.cache.invalidate(numbers);
    this.opts.onChange?.(id, numbers);
    this.publish(numbers);
  }

  /** Tells the other processes on this database which numbers changed (after the commit). */
  private publish(numbers: string[]): void {
    const notify = this.opts.db.notify?.bind(this.opts.db);
    if (!notify || numbers.length === 0) return;
    for (const chunk of chunkForNotify(numbers)) {
      notify(CHANGE_CHANNEL, JSON.stringify({ origin: this.origin, numbers: chunk })).catch(() => {
        // The listeners clear their whole cache when their connection comes back; nothing to retry.
      });
    }
  }

  /**
   * Follows changes made by other processes (another node, `relais customers import`) and drops
   * them from the cache; resolves to a function that stops following.
   */
  async follow(): Promise<() => Promise<void>> {
    if (!this.opts.db.listen) return async () => {};
    return this.opts.db.listen(
      CHANGE_CHANNEL,
      (payload) => {
        const msg = parseChange(payload);
        if (!msg) this.cache.clear();
        else if (msg.origin !== this.origin) this.cache.invalidate(msg.numbers);
      },
      () => this.cache.clear(),
    );
  }

  /** Drops cached lookups (another process or node changed the directory). */
  invalidate(numbers?: string[]): void {
    if (numbers) this.cache.invalidate(numbers);
    else this.cache.clear();
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toRelaisError(e, what);
    }
  }
}

function notFound(id: string): RelaisError {
  return new RelaisError('RELAIS_ERR_NOT_FOUND', `customer ${id} not found`);
}
