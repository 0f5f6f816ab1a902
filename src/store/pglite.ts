/**
 * Embedded PostgreSQL (PGlite, WASM) in the data directory: one process owns it at a time.
 *
 * PGlite runs synchronously on the thread that calls it, so it runs in a worker thread of its own
 * (pglite-worker.ts): a cold lookup, a batch of call records or a checkpoint never stops the
 * event loop that reads the PBX links and answers route requests.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db, Queryable, QueryResult } from './db.js';
import { acquireDirLock } from './dir-lock.js';
import type { SerializedError, WasmModule, WorkerInit, WorkerReply, WorkerRequest } from './pglite-worker.js';

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** An error of the database thread, with PostgreSQL's SQLSTATE `code` when it has one. */
export class PgliteError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  constructor(e: SerializedError) {
    super(e.message);
    this.name = 'PgliteError';
    this.code = e.code;
    this.detail = e.detail;
  }
}

/**
 * dist/ ships the compiled worker. From the sources (tests, benchmarks) a one-line bootstrap
 * registers tsx in the thread first: Node 20 does not apply `--import` to workers.
 */
function workerEntry(): URL {
  const js = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  // require.resolve gives the CommonJS entry; its ES module twin sits beside it.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  const ts = new URL('./pglite-worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(ts)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/**
 * PGlite's WASM, compiled once per process and handed to every database thread: compiling it
 * costs about a second, and tests open many databases.
 */
// @types/node declares the WebAssembly types but not the global's functions.
const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WasmModule> } })
  .WebAssembly;
let compiled: Promise<Pick<WorkerInit, 'pgliteWasmModule' | 'initdbWasmModule'>> | undefined;
function wasmModules(): Promise<Pick<WorkerInit, 'pgliteWasmModule' | 'initdbWasmModule'>> {
  compiled ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm'].map(async (f) => wasm.compile(await readFile(path.join(dist, f)))),
    );
    return { pgliteWasmModule, initdbWasmModule };
  })();
  return compiled;
}

class DbThread {
  readonly #worker: Worker;
  readonly #waiting = new Map<
    number,
    { resolve: (r: WorkerReply & { ok: true }) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #dead: Error | undefined;

  constructor(init: WorkerInit) {
    this.#worker = new Worker(workerEntry(), { workerData: init });
    this.#worker.on('message', (r: WorkerReply) => {
      const w = this.#waiting.get(r.id);
      if (!w) return;
      this.#waiting.delete(r.id);
      if (this.#waiting.size === 0) this.#worker.unref();
      if (r.ok) w.resolve(r);
      else w.reject(new PgliteError(r.error));
    });
    this.#worker.on('error', (e) => this.#fail(e));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the database thread exited (code ${code})`)));
  }

  #fail(e: Error): void {
    this.#dead ??= e;
    for (const w of this.#waiting.values()) w.reject(e);
    this.#waiting.clear();
  }

  /** Resolves once the database is open (request id 0 is the worker's start report). */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.set(0, { resolve: () => resolve(), reject });
    });
  }

  call(req: Request): Promise<WorkerReply & { ok: true }> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      // Referenced only while a request is out: an idle store does not keep the process alive,
      // a pending one does.
      this.#worker.ref();
      this.#worker.postMessage({ ...req, id });
    });
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

function queryable(thread: DbThread, tx: number | undefined): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await thread.call({ op: 'query', sql, params: params as unknown[] | undefined, tx });
      return { rows: (r.rows ?? []) as R[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await thread.call({ op: 'exec', sql, tx });
    },
  };
}

/** Opens (creating if needed) the embedded database under `dataDir/pglite`. `memory` keeps it in RAM (tests). */
export async function openPglite(dataDir: string | 'memory'): Promise<Db> {
  let release = () => {};
  let dbPath: string | undefined;
  if (dataDir !== 'memory') {
    mkdirSync(dataDir, { recursive: true });
    release = acquireDirLock(path.join(dataDir, 'pglite.lock'));
    dbPath = path.join(dataDir, 'pglite');
  }
  const thread = new DbThread({ path: dbPath, ...(await wasmModules()) });
  try {
    await thread.ready();
  } catch (e) {
    await thread.terminate();
    release();
    throw e;
  }
  const base = queryable(thread, undefined);
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const begun = await thread.call({ op: 'begin' });
      const tx = begun.rowCount as number;
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(queryable(thread, tx));
      } catch (e) {
        await thread.call({ op: 'end', tx, commit: false });
        throw e;
      }
      await thread.call({ op: 'end', tx, commit: true });
      return result;
    },
    async ping() {
      await base.query('select 1');
    },
    close() {
      closed ??= (async () => {
        try {
          await thread.call({ op: 'close' });
        } finally {
          await thread.terminate();
          release();
        }
      })();
      return closed;
    },
  };
}
