/**
 * The store as the rest of Relais sees it: PostgreSQL SQL, whichever engine runs it
 * (embedded PGlite by default, a PostgreSQL server when `DATABASE_URL` is set).
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Names a hot statement so PostgreSQL prepares it once per connection and reuses the plan
   * (planning the customer card costs more than running it). Ignored by PGlite.
   */
  name?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    opts?: QueryOptions,
  ): Promise<QueryResult<R>>;
  /** Runs a script of several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Cross-process notifications (PostgreSQL LISTEN/NOTIFY), so that caches in other processes and
   * nodes learn of changes. PGlite belongs to one process and has none.
   */
  notify?(channel: string, payload: string): Promise<void>;
  /** Calls `onMessage` per notification; `onGap` after a reconnect, when messages may have been missed. */
  listen?(
    channel: string,
    onMessage: (payload: string) => void,
    onGap: () => void,
  ): Promise<() => Promise<void>>;
  /** Cheap round trip, for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
