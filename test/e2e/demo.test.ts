/** `relais demo` as a newcomer runs it: demo data, agents, routing and a simulated PBX; pops arrive. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, spawnRelais, waitForLine } from '../helpers/cli.js';

describe('relais demo', () => {
  it('starts everything on loopback and screen pops arrive at the agents within seconds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-demo-'));
    const child = spawnRelais(['demo', '--data-dir', dir, '--http-port', '0', '--rate', '300']);
    const done = collect(child);
    const address = (
      await waitForLine(child.stdout as NodeJS.ReadableStream, /"address":"([^"]+)".*relais demo ready/)
    )[1] as string;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();

    const pops: Array<{ customer: { name: string } | null; caller: { kind: string } }> = [];
    const sockets = ['2001', '2002', '2003', '2004'].map((device) => {
      const ws = new WebSocket(`${address.replace('http', 'ws')}/ws/desktop?device=${device}&token=${token}`);
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string; payload: (typeof pops)[number] };
        if (m.type === 'call.offered') pops.push(m.payload);
      });
      return ws;
    });
    // 300 calls a minute to four agents: a known customer's card within seconds.
    await expect
      .poll(() => pops.some((p) => p.customer !== null), { timeout: 30_000, interval: 200 })
      .toBe(true);
    const res = await fetch(`${address}/api/v1/agents`, { headers: { authorization: `Bearer ${token}` } });
    const agents = ((await res.json()) as { items: Array<{ id: string; state: string }> }).items;
    expect(agents.map((a) => a.id).sort()).toEqual(['alice', 'bruno', 'chloe', 'david']);
    expect(agents.every((a) => a.state !== 'logged_off')).toBe(true);
    for (const ws of sockets) ws.close();
    child.kill('SIGTERM');
    const end = await done;
    expect(end.code).toBe(0);
    expect(end.stdout).toContain('Relais demo is running.');
  }, 60_000);
});
