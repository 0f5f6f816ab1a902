/**
 * The embedded database's own thread. PGlite runs PostgreSQL compiled to WASM synchronously on
 * the thread that calls it: a query, a commit or a checkpoint there would stop the event loop
 * that reads PBX links and answers route requests. Here it stops only this thread.
 *
 * Protocol (parentPort): requests `{ id, op, … }`, one reply per request `{ id, ok, … }`.
 * A transaction is opened by `begin` (reply carries no data until it is open) and closed by
 * `end` with `commit: boolean`; queries inside it carry its `tx` id. PGlite's own lock makes
 * other queries wait for the end of an open transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';

/** A compiled WebAssembly.Module (the build's lib has no WebAssembly namespace: Node types only). */
export type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

export type WorkerReply =
  | { id: number; ok: true; rows?: unknown[]; rowCount?: number }
  | { id: number; ok: false; error: SerializedError };

export interface SerializedError {
  message: string;
  code?: string;
  detail?: string;
}

export interface WorkerInit {
  /** `undefined` keeps the database in memory. */
  path: string | undefined;
  /** Compiled once by the parent (structured clone shares them). */
  pgliteWasmModule?: WasmModule;
  initdbWasmModule?: WasmModule;
}

interface OpenTx {
  tx: Transaction;
  finish: (commit: boolean) => void;
}

function serialize(e: unknown): SerializedError {
  if (e instanceof Error) {
    const { code, detail } = e as Error & { code?: unknown; detail?: unknown };
    return {
      message: e.message,
      code: typeof code === 'string' ? code : undefined,
      detail: typeof detail === 'string' ? detail : undefined,
    };
  }
  return { message: String(e) };
}

class Rollback extends Error {}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pglite-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  // numeric as a JS number, as the node-postgres side does (postgres.ts).
  const options = {
    parsers: { 1700: (v: string) => Number(v) },
    pgliteWasmModule: init.pgliteWasmModule,
    initdbWasmModule: init.initdbWasmModule,
  };
  let pg: PGlite;
  try {
    pg = init.path === undefined ? await PGlite.create(options) : await PGlite.create(init.path, options);
  } catch (e) {
    port.postMessage({ id: 0, ok: false, error: serialize(e) } satisfies WorkerReply);
    return;
  }
  port.postMessage({ id: 0, ok: true } satisfies WorkerReply);

  const txs = new Map<number, OpenTx>();
  let nextTx = 1;
  const reply = (r: WorkerReply) => port.postMessage(r);
  const target = (tx: number | undefined) => {
    if (tx === undefined) return pg;
    const open = txs.get(tx);
    if (!open) throw new Error(`transaction ${tx} is not open`);
    return open.tx;
  };

  const pending = new Map<number, (endId: number) => void>();
  port.on('message', (req: WorkerRequest) => {
    switch (req.op) {
      case 'query':
        Promise.resolve()
          .then(() => target(req.tx).query(req.sql, req.params))
          .then(
            (res) =>
              reply({ id: req.id, ok: true, rows: res.rows, rowCount: res.affectedRows ?? res.rows.length }),
            (e) => reply({ id: req.id, ok: false, error: serialize(e) }),
          );
        return;
      case 'exec':
        Promise.resolve()
          .then(() => target(req.tx).exec(req.sql))
          .then(
            () => reply({ id: req.id, ok: true }),
            (e) => reply({ id: req.id, ok: false, error: serialize(e) }),
          );
        return;
      case 'begin': {
        const txId = nextTx++;
        // The reply to `begin` goes out once PGlite has the transaction open; the reply to `end`
        // once it has committed or rolled back.
        let endId = 0;
        pg.transaction(
          (tx) =>
            new Promise<void>((resolve, reject) => {
              txs.set(txId, {
                tx,
                finish: (commit) => (commit ? resolve() : reject(new Rollback('rolled back'))),
              });
              reply({ id: req.id, ok: true, rowCount: txId });
            }),
        ).then(
          () => {
            txs.delete(txId);
            reply({ id: endId, ok: true });
          },
          (e) => {
            txs.delete(txId);
            if (e instanceof Rollback) reply({ id: endId, ok: true });
            else reply({ id: endId, ok: false, error: serialize(e) });
          },
        );
        // `end` for this transaction records where to answer.
        pending.set(txId, (id) => {
          endId = id;
        });
        return;
      }
      case 'end': {
        const open = txs.get(req.tx);
        const setEnd = pending.get(req.tx);
        if (!open || !setEnd) {
          reply({ id: req.id, ok: false, error: { message: `transaction ${req.tx} is not open` } });
          return;
        }
        pending.delete(req.tx);
        setEnd(req.id);
        open.finish(req.commit);
        return;
      }
      case 'close':
        pg.close().then(
          () => {
            reply({ id: req.id, ok: true });
            port.close();
          },
          (e) => reply({ id: req.id, ok: false, error: serialize(e) }),
        );
        return;
    }
  });
}

void main();
