/**
 * A small typed in-process event bus.
 *
 * Dispatch is synchronous: `emit` calls every handler before it returns, so the hot path (a call
 * being offered) never waits for a tick. A handler that throws, or returns a promise that rejects,
 * is reported to `onError` and never reaches the emitter nor the other handlers.
 */
import type { Call, CallRecord } from '../model/call.js';
import type { CustomerCard } from '../model/customer.js';

/**
 * The topics of Relais and their payloads.
 *
 * An interface rather than a type alias so that a later module can add its own topics by
 * declaration merging, without editing this file:
 *
 * ```ts
 * declare module '../core/event-bus.js' {
 *   interface RelaisEvents {
 *     'route.decided': RouteDecision;
 *   }
 * }
 * ```
 */
export interface RelaisEvents {
  /** A call reached the contact centre (once per call, when its `offered` event arrives). */
  'call.offered': Call;
  /** The caller is known (or known to be unknown): the screen pop and routing start from here. */
  'call.identified': { call: Call; customer: CustomerCard | null; matches: number };
  /** The state, device, agent or queue of a live call changed. */
  'call.updated': Call;
  /** The call is finished: its final view and its one record. */
  'call.cleared': { call: Call; record: CallRecord };
  /** A customer was created, changed or deleted; `numbers` are the E.164 numbers it had or has. */
  'customer.changed': { customerId: string; numbers: string[] };
}

/** Handlers may be async; the bus does not wait for them, it only watches for a rejection. */
export type Handler<T> = (payload: T) => unknown;

export type ErrorReporter<E> = (topic: keyof E & string, err: unknown) => void;

export interface EventBusOptions<E> {
  /** Told about every handler that throws or rejects. Must not throw (if it does, it is ignored). */
  onError: ErrorReporter<E>;
}

export class EventBus<E extends object> {
  /**
   * Copy-on-write handler lists: `on` and unsubscribing build a new array, so `emit` can walk
   * the current one without copying it, and a handler that (un)subscribes during an emit does
   * not change who receives that emit.
   */
  readonly #handlers = new Map<keyof E, ReadonlyArray<Handler<never>>>();
  readonly #onError: ErrorReporter<E>;

  constructor(options: EventBusOptions<E>) {
    this.#onError = options.onError;
  }

  /** Subscribes `handler` to `topic`; returns a function that unsubscribes it (idempotent). */
  on<K extends keyof E & string>(topic: K, handler: Handler<E[K]>): () => void {
    // Wrapping gives each subscription its own identity: the same function subscribed twice is
    // called twice and each unsubscribe removes exactly one of them.
    const entry: Handler<E[K]> = (payload) => handler(payload);
    this.#handlers.set(topic, [...this.#list(topic), entry]);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const remaining = this.#list(topic).filter((h) => h !== entry);
      if (remaining.length === 0) this.#handlers.delete(topic);
      else this.#handlers.set(topic, remaining);
    };
  }

  /** Calls every handler of `topic` now, in subscription order. Never throws because of a handler. */
  emit<K extends keyof E & string>(topic: K, payload: E[K]): void {
    const handlers = this.#handlers.get(topic) as ReadonlyArray<Handler<E[K]>> | undefined;
    if (handlers === undefined) return;
    for (const handler of handlers) this.#call(topic, handler, payload);
  }

  /** Number of handlers subscribed to `topic` (for tests and leak checks). */
  listenerCount(topic: keyof E & string): number {
    return this.#list(topic).length;
  }

  #list(topic: keyof E): ReadonlyArray<Handler<never>> {
    return this.#handlers.get(topic) ?? [];
  }

  #call<K extends keyof E & string>(topic: K, handler: Handler<E[K]>, payload: E[K]): void {
    try {
      const result = handler(payload);
      if (isThenable(result)) result.then(undefined, (err: unknown) => this.#report(topic, err));
    } catch (err) {
      this.#report(topic, err);
    }
  }

  #report(topic: keyof E & string, err: unknown): void {
    try {
      this.#onError(topic, err);
    } catch {
      // The reporter is the last resort: if it fails too there is nobody left to tell, and the
      // emitter must carry on.
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
