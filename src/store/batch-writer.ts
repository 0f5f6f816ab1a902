/**
 * Group commit: writes queue up and go to the database together, one transaction per batch, so
 * the hot path never waits on a disk and PGlite's ~7k single-row writes/s stop being the ceiling.
 * `write()` resolves once its item is committed, so a caller that must acknowledge durability can.
 */
import type { Db, Queryable } from './db.js';

export interface BatchWriterOptions<T> {
  db: Db;
  /** Writes one batch inside a transaction. Must be idempotent: a retried batch is written again. */
  writeBatch: (tx: Queryable, items: T[]) => Promise<void>;
  maxBatch: number;
  /** Longest an item waits before its batch is sent. */
  flushMs: number;
  /** Attempts per batch before its writers are told it failed. */
  attempts?: number;
  onError?: (err: unknown, attempt: number) => void;
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class BatchWriter<T> {
  private queue: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly opts: BatchWriterOptions<T>) {}

  get pending(): number {
    return this.queue.length;
  }

  write(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error('batch writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.maxBatch) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.opts.flushMs);
    });
  }

  /** Resolves when everything queued so far is committed (or has failed). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running) {
      this.kick();
      await this.running;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.running || this.queue.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    const batch = this.queue.splice(0, this.opts.maxBatch);
    const attempts = this.opts.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.db.transaction((tx) =>
          this.opts.writeBatch(
            tx,
            batch.map((p) => p.item),
          ),
        );
        for (const p of batch) p.resolve();
        return;
      } catch (err) {
        this.opts.onError?.(err, attempt);
        if (attempt >= attempts) {
          for (const p of batch) p.reject(err);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
  }
}
