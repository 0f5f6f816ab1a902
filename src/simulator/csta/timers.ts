/**
 * The simulator's timers, kept in one place so that close() and restart() cancel every pending
 * one (a real switch forgets its call timers when it reboots; a test must not leak handles).
 */
export interface Sleep {
  promise: Promise<void>;
  cancel(): void;
}

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Runs `fn` after `ms` unless cancelled; returns the cancel function. */
  after(ms: number, fn: () => void): () => void {
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        fn();
      },
      Math.max(0, ms),
    );
    this.pending.add(handle);
    return () => {
      clearTimeout(handle);
      this.pending.delete(handle);
    };
  }

  /** Runs `fn` every `ms` until cancelled. */
  every(ms: number, fn: () => void): () => void {
    const handle = setInterval(fn, ms);
    this.pending.add(handle);
    return () => {
      clearInterval(handle);
      this.pending.delete(handle);
    };
  }

  /** A promise that resolves after `ms`; a cancelled sleep never resolves. */
  sleep(ms: number): Sleep {
    let cancel = () => {};
    const promise = new Promise<void>((resolve) => {
      cancel = this.after(ms, resolve);
    });
    return { promise, cancel };
  }

  clearAll(): void {
    for (const h of this.pending) clearTimeout(h);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}

/** Monotonic milliseconds with sub-millisecond resolution, for latencies. */
export function nowMs(): number {
  return performance.now();
}
