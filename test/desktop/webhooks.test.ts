/** Webhooks over real HTTP: signed, retried with backoff, given up on 4xx, never blocking the sender. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signature, startWebhooks } from '../../src/desktop/webhooks.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver(statuses: number[]): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses[got.length - 1] ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, server };
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

const SECRET = 'a-shared-secret-of-the-crm';

describe('webhooks', () => {
  it('signs each delivery and retries a failing target until it accepts', async () => {
    const r = await receiver([500, 503, 200]);
    servers.push(r.server);
    const results: Array<{ ok: boolean; attempts: number }> = [];
    const hooks = startWebhooks({
      targets: [{ url: r.url, secret: SECRET }],
      backoffMs: 10,
      onResult: (x) => results.push(x),
    });
    hooks.send('call.offered', { callId: 'c1', customer: { name: 'Camille' } });
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(r.got).toHaveLength(3);
    const last = r.got[2] as Received;
    const ts = String(last.headers['x-relais-timestamp']);
    expect(last.headers['x-relais-signature']).toBe(signature(SECRET, ts, last.body));
    expect(last.headers['x-relais-event']).toBe('call.offered');
    expect(JSON.parse(last.body)).toMatchObject({ event: 'call.offered', payload: { callId: 'c1' } });
    // The same delivery id on every attempt, so the receiver can drop duplicates.
    expect(new Set(r.got.map((g) => g.headers['x-relais-delivery'])).size).toBe(1);
    hooks.stop();
  });

  it('gives up at once on a 4xx that retrying cannot fix, and after the attempts on a target that is down', async () => {
    const r = await receiver([400]);
    servers.push(r.server);
    const down = await receiver([]);
    down.server.close(); // nothing listens there any more
    const results: Array<{ url: string; ok: boolean; attempts: number; status?: number }> = [];
    const hooks = startWebhooks({
      targets: [
        { url: r.url, secret: SECRET },
        { url: down.url, secret: SECRET },
      ],
      attempts: 3,
      backoffMs: 5,
      onResult: (x) => results.push(x),
    });
    const t0 = performance.now();
    hooks.send('call.offered', { callId: 'c2' });
    expect(performance.now() - t0).toBeLessThan(5); // queued, not sent inline
    await expect.poll(() => results.length).toBe(2);
    expect(results.find((x) => x.url === r.url)).toMatchObject({ ok: false, attempts: 1, status: 400 });
    expect(results.find((x) => x.url === down.url)).toMatchObject({ ok: false, attempts: 3 });
    expect(hooks.pending).toBe(0);
    hooks.stop();
  });
});
