/**
 * A newcomer's deployment: `relais start` with a CSTA link in its config file, a switch (the
 * simulator) on the other end, customers in the directory, calls in, records out.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectCallRecords } from '../../src/history/call-records.js';
import { CstaSimulator } from '../../src/simulator/csta/index.js';
import { openPglite } from '../../src/store/pglite.js';
import { collect, spawnRelais, waitForLine } from '../helpers/cli.js';

const sim = new CstaSimulator({
  identifiers: 'unify',
  devices: {
    agents: ['2001', '2002'],
    acdGroups: [{ id: '3001' }],
    routePoints: [{ id: '3000', defaultRoute: '3001' }],
  },
});
afterAll(() => sim.close());

describe('relais start with a CSTA link', () => {
  it('connects to the switch, reports ready, identifies callers and records their calls', async () => {
    const { port } = await sim.listen();
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-csta-'));
    const config = path.join(dir, 'relais.config.yaml');
    writeFileSync(
      config,
      `dataDir: ${dir}
http: { port: 0 }
calls: { clearGraceMs: 100 }
links:
  csta:
    - name: pbx
      host: 127.0.0.1
      port: ${port}
      devices:
        - { id: "3001", kind: acd }
        - { id: "2001", kind: agent }
        - { id: "2002", kind: agent }
      routing:
        devices: ["3000"]
        routes: { "0800 123 456": "3001" }
        default: "3001"
`,
    );
    const child = spawnRelais(['start', '--config', config]);
    const done = collect(child);
    const address = (
      await waitForLine(child.stdout as NodeJS.ReadableStream, /"address":"([^"]+)".*relais started/)
    )[1];
    const auth = { authorization: `Bearer ${readFileSync(path.join(dir, 'api-token'), 'utf8').trim()}` };
    await expect
      .poll(async () => ((await (await fetch(`${address}/readyz`)).json()) as { status: string }).status, {
        timeout: 10_000,
      })
      .toBe('ready');
    const created = await fetch(`${address}/api/v1/customers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Camille Martin',
        phones: [{ number: '+33 6 12 34 56 78' }],
        tier: 'vip',
      }),
    });
    const customer = (await created.json()) as { id: string };

    const started = Date.now();
    const call = sim.placeCall({
      ani: '0612345678',
      callerName: 'Camille',
      dnis: '0800123456',
      routePoint: '3000',
      talkMs: 300,
    });
    await expect
      .poll(async () => {
        const live = (await (await fetch(`${address}/api/v1/calls`, { headers: auth })).json()) as {
          items: Array<{ customerId?: string }>;
        };
        return live.items[0]?.customerId;
      })
      .toBe(customer.id);
    await call.done;
    await sim.placeCall({
      presentation: 'restricted',
      dnis: '0800123456',
      routePoint: '3000',
      answer: false,
      abandonAfterMs: 50,
    }).done;
    await new Promise((r) => setTimeout(r, 300)); // both calls past their clear grace
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);

    const db = await openPglite(dir);
    const records = await selectCallRecords(db, started - 1000, Date.now());
    await db.close();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      link: 'pbx',
      ani: '+33612345678',
      dnis: '+33800123456',
      customerId: customer.id,
      outcome: 'answered',
    });
    expect(records[1]).toMatchObject({ link: 'pbx', aniKind: 'withheld', customerId: undefined });
  }, 60_000);
});
