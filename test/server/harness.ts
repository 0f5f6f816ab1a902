/**
 * A Relais HTTP server on a real customer directory (PGlite), for fastify.inject() tests.
 * Every response is kept so that a suite can check that none carries database error text, and
 * every log line is kept so that a suite can check what is (not) logged.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { CustomerDirectory } from '../../src/customers/directory.js';
import type { CallEvent } from '../../src/model/call.js';
import { buildServer, type ServerDeps } from '../../src/server/app.js';
import type { Db, Queryable } from '../../src/store/db.js';
import { testDirectory } from '../helpers/directory.js';
import { frNormalise } from '../helpers/numbers.js';
import { openTestDb, type TestDb } from '../helpers/stores.js';

export const TOKEN = 'test-token-0123456789abcdefghij';
export const OTHER_TOKEN = 'other-token-0123456789abcdefghi';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Text a database error could carry; none of it may reach a client. */
export const SECRET_DB_TEXT = 'FATAL: password authentication failed for user "relais" at db.internal:5432';
const DB_TEXT =
  /db\.internal|password authentication|duplicate key|violates|relation "|syntax error at|invalid input syntax|SQLSTATE|PGlite|\bat .*\.(js|ts):\d+/;

/** A Db that throws a driver-like error (with a SQLSTATE) while `failing` is set. */
export class FlakyDb implements Db {
  failing = false;
  readonly kind: Db['kind'];
  constructor(private readonly inner: Db) {
    this.kind = inner.kind;
  }
  private check(): void {
    if (this.failing) throw Object.assign(new Error(SECRET_DB_TEXT), { code: '28P01', severity: 'FATAL' });
  }
  async query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]) {
    this.check();
    return this.inner.query<R>(sql, params);
  }
  async exec(sql: string): Promise<void> {
    this.check();
    return this.inner.exec(sql);
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.check();
    return this.inner.transaction(fn);
  }
  async ping(): Promise<void> {
    this.check();
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface Harness {
  app: FastifyInstance;
  db: FlakyDb;
  directory: CustomerDirectory;
  metrics: Registry;
  logs: string[];
  /** Call events the server handed on, in order. */
  ingested: CallEvent[];
  responses: LightMyRequestResponse[];
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Empties the directory (and its cache). */
  reset(): Promise<void>;
  /** Throws if any JSON response since the last call carries database error text. */
  assertNoDbText(): void;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<ServerDeps> = {}): Promise<Harness> {
  const t: TestDb = await openTestDb('pglite');
  const db = new FlakyDb(t.db);
  const directory = testDirectory(db);
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(s) });
  const metrics = new Registry();
  const ingested: CallEvent[] = [];
  const app = await buildServer({
    logger,
    directory,
    normalise: frNormalise,
    tokens: [
      { name: 'crm', token: TOKEN },
      { name: 'backoffice', token: OTHER_TOKEN },
    ],
    metrics,
    readiness: { store: () => db.ping() },
    liveCalls: () => [
      { id: 'c1', state: 'alerting', ani: { number: { kind: 'e164', e164: '+33612345678' } } },
    ],
    version: '0.0.0-test',
    ingest: (e) => void ingested.push(e),
    ...overrides,
  });
  await app.ready();
  const responses: LightMyRequestResponse[] = [];
  return {
    app,
    db,
    directory,
    metrics,
    logs,
    ingested,
    responses,
    async inject(opts) {
      const res = await app.inject(opts);
      responses.push(res);
      return res;
    },
    async reset() {
      db.failing = false;
      await t.db.query('truncate customers cascade');
      directory.invalidate();
    },
    assertNoDbText() {
      for (const r of responses.splice(0)) {
        if (!String(r.headers['content-type'] ?? '').includes('json')) continue;
        const text = `${JSON.stringify(r.headers)}\n${r.body}`;
        const m = DB_TEXT.exec(text);
        if (m) throw new Error(`a response carries database error text ("${m[0]}"): ${text.slice(0, 500)}`);
      }
    },
    async close() {
      await app.close();
      await t.drop();
    },
  };
}
