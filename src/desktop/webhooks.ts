/**
 * Outgoing webhooks for screen pops: each pop is POSTed as JSON to every configured URL, signed
 * with HMAC-SHA256 (`X-Relais-Signature: sha256=<hex>` over `<timestamp>.<body>`), retried with
 * exponential backoff, and never on the call path: a queue per target, bounded, drained in the
 * background. A target that is down costs nothing but its own retries.
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookOptions {
  targets: readonly WebhookTarget[];
  /** Attempts per delivery (the first included). */
  attempts?: number;
  /** First retry delay; doubled each time. */
  backoffMs?: number;
  timeoutMs?: number;
  /** Deliveries waiting per target beyond which the oldest is dropped. */
  maxQueue?: number;
  onResult?: (r: {
    url: string;
    event: string;
    ok: boolean;
    attempts: number;
    status?: number;
    error?: string;
  }) => void;
}

/** The signature a receiver recomputes: HMAC-SHA256 of `<timestamp>.<body>` with the shared secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface Delivery {
  id: string;
  event: string;
  body: string;
}

export interface Webhooks {
  /** Queues an event for every target; returns at once. */
  send(event: string, payload: unknown): void;
  /** Deliveries still queued or in flight. */
  readonly pending: number;
  stop(): void;
}

export function startWebhooks(o: WebhookOptions): Webhooks {
  const attempts = o.attempts ?? 5;
  const backoffMs = o.backoffMs ?? 1000;
  const timeoutMs = o.timeoutMs ?? 5000;
  const maxQueue = o.maxQueue ?? 10_000;
  let stopped = false;
  const queues = o.targets.map((t) => ({ target: t, queue: [] as Delivery[], running: false }));
  let inFlight = 0;

  const attempt = async (
    t: WebhookTarget,
    d: Delivery,
  ): Promise<{ ok: boolean; status?: number; error?: string }> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-relais-event': d.event,
          'x-relais-delivery': d.id,
          'x-relais-timestamp': timestamp,
          'x-relais-signature': signature(t.secret, timestamp, d.body),
        },
        body: d.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      return { ok: res.ok, status: res.status };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };

  const drain = async (q: (typeof queues)[number]) => {
    if (q.running) return;
    q.running = true;
    try {
      while (!stopped && q.queue.length > 0) {
        const d = q.queue.shift() as Delivery;
        inFlight++;
        let last: { ok: boolean; status?: number; error?: string } = { ok: false };
        let n = 0;
        for (; n < attempts && !stopped; n++) {
          if (n > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (n - 1)).unref());
          last = await attempt(q.target, d);
          // A 4xx other than 408/429 will not get better by retrying.
          if (
            last.ok ||
            (last.status !== undefined && last.status < 500 && last.status !== 408 && last.status !== 429)
          ) {
            n++;
            break;
          }
        }
        inFlight--;
        o.onResult?.({ url: q.target.url, event: d.event, attempts: n, ...last });
      }
    } finally {
      q.running = false;
    }
  };

  return {
    send(event, payload) {
      if (stopped || queues.length === 0) return;
      const d: Delivery = {
        id: randomUUID(),
        event,
        body: JSON.stringify({ event, at: Date.now(), payload }),
      };
      for (const q of queues) {
        q.queue.push(d);
        if (q.queue.length > maxQueue) q.queue.shift();
        void drain(q);
      }
    },
    get pending() {
      return inFlight + queues.reduce((n, q) => n + q.queue.length, 0);
    },
    stop() {
      stopped = true;
    },
  };
}
