/**
 * `relais start` as a user runs it: a real process on the embedded database, the API over a real
 * socket, call events in, a graceful SIGTERM that writes the records of calls still settling.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectCallRecords } from '../../src/history/call-records.js';
import { openPglite } from '../../src/store/pglite.js';
import { collect, runRelais, spawnRelais, waitForLine } from '../helpers/cli.js';

async function startRelais(args: string[]) {
  const child = spawnRelais(['start', '--http-port', '0', ...args]);
  const done = collect(child);
  const m = await waitForLine(child.stdout as NodeJS.ReadableStream, /"address":"([^"]+)".*relais started/);
  return { child, done, address: m[1] as string };
}

describe('relais start', () => {
  it('serves the API with the generated token, records calls, and shuts down gracefully on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-start-'));
    const { child, done, address } = await startRelais(['--data-dir', dir]);
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${address}/readyz`)).json()).toMatchObject({ status: 'ready' });
    expect((await fetch(`${address}/api/v1/customers`)).status).toBe(401);

    const created = await fetch(`${address}/api/v1/customers`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Camille Martin', phones: [{ number: '06 12 34 56 78' }], tier: 'vip' }),
    });
    expect(created.status).toBe(201);
    const customer = (await created.json()) as { id: string };

    const t0 = Date.now() - 60_000;
    const events = [
      { type: 'offered', callId: 'e2e-1', at: t0, ani: '+33 6 12 34 56 78', dnis: '0800 123 456' },
      { type: 'connected', callId: 'e2e-1', at: t0 + 5000, device: '2001', agentId: 'a1' },
    ];
    const sent = await fetch(`${address}/api/v1/call-events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ events }),
    });
    expect(sent.status).toBe(202);
    // The caller is identified off the event path (a lookup in the database thread): shortly after.
    const liveCalls = async () =>
      (
        (await (await fetch(`${address}/api/v1/calls`, { headers: auth })).json()) as {
          items: Array<{ id: string; state: string; customerId?: string }>;
        }
      ).items;
    await expect
      .poll(liveCalls, { timeout: 5000 })
      .toMatchObject([{ id: 'e2e-1', state: 'connected', customerId: customer.id }]);
    // Cleared, then SIGTERM at once: the call is still in its grace window and must be recorded anyway.
    await fetch(`${address}/api/v1/call-events`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ events: [{ type: 'cleared', callId: 'e2e-1', at: t0 + 35_000 }] }),
    });
    child.kill('SIGTERM');
    const exit = await done;
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain('relais stopped');
    expect(exit.stdout).not.toContain(token);

    const db = await openPglite(dir);
    const records = await selectCallRecords(db, t0, t0 + 1);
    await db.close();
    expect(records).toMatchObject([
      {
        callId: 'e2e-1',
        link: 'http',
        customerId: customer.id,
        outcome: 'answered',
        waitMs: 5000,
        talkMs: 30_000,
      },
    ]);
  }, 60_000);

  it('serves HTTPS with the configured certificate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const config = path.join(dir, 'relais.config.json');
    writeFileSync(config, JSON.stringify({ dataDir: dir, http: { tls: { certFile: cert, keyFile: key } } }));
    const { child, done, address } = await startRelais(['--config', config]);
    expect(address).toMatch(/^https:/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${address}/healthz`, { ca: readFileSync(cert) }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  }, 60_000);

  it('refuses to start on a bad configuration, naming the key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-bad-'));
    const config = path.join(dir, 'relais.config.yaml');
    writeFileSync(config, 'http:\n  port: eighty\nnumbers:\n  defaultCountry: france\n');
    const r = await runRelais(['start', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('http.port: Expected integer (got "eighty")');
    expect(r.stderr).toContain('numbers.defaultCountry');
    expect(r.stderr).toContain('RELAIS_ERR_CONFIG_INVALID');
  });

  it('refuses a second server on the same embedded database, naming the first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-two-'));
    const first = await startRelais(['--data-dir', dir]);
    const second = await runRelais(['start', '--http-port', '0', '--data-dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`in use by process ${first.child.pid}`);
    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(0);
  }, 60_000);
});
