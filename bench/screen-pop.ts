/**
 * Screen pop latency: from the `Delivered` frame leaving the CSTA switch simulator to the pop
 * received by the agent's desktop WebSocket, with N connected desktops (one per agent extension).
 * Issue target: p99 ≤ 100 ms with 1,000 desktops.
 *
 *   npx tsx bench/screen-pop.ts                              # 1,000 desktops, 50 calls/s, 30 s
 *   npx tsx bench/screen-pop.ts --desktops 200 --rate 20 --seconds 10
 *
 * One process: Relais as `relais start` builds it (embedded database, CSTA link, hub), the
 * simulator on loopback TCP, and the desktops as `ws` clients over loopback. Customers are known
 * (their cards come from the directory cache, as for callers seen before). The clients share the
 * CPU with Relais, so the figure is an upper bound of what one browser per agent would see.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { createRelais } from '../src/app.js';
import { validateConfig } from '../src/config/load.js';
import { CstaSimulator } from '../src/simulator/csta/index.js';
import { latencyStats } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    desktops: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
  },
});
const desktops = Number(values.desktops);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

const CHROMIUM = '/usr/bin/chromium';

/**
 * A real browser for a sample: the desktop page at one extension, calls placed there one at a
 * time; from the Delivered frame to the card in the page's DOM (a MutationObserver notes when the
 * card of each call appears; both clocks are this machine's, read as epoch milliseconds).
 */
async function browserSample(
  base: string,
  token: string,
  agents: readonly string[],
  sim: CstaSimulator,
): Promise<void> {
  const device = agents[0] as string;
  // Every other agent busy: the ACD group rings the sampled extension.
  for (const a of agents.slice(1)) sim.setDeviceBusy(a, true);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/desktop?token=${token}&device=${device}`);
    await page.getByTestId('sign-in').click();
    await page
      .getByTestId('link-status')
      .filter({ hasText: /^connecté$/ })
      .waitFor();
    // Runs in the page (a string: this file is compiled for Node, without the DOM's types).
    await page.evaluate(`(() => {
      const seen = {};
      window.__rendered = seen;
      new MutationObserver(() => {
        const id = document.querySelector('[data-call-id]')?.getAttribute('data-call-id');
        if (id && seen[id] === undefined) seen[id] = performance.timeOrigin + performance.now();
      }).observe(document.body, { childList: true, subtree: true, attributes: true });
    })()`);
    const rings = new Map<string, number>();
    const onRing = (d: { callId: string; device: string | undefined; at: number }) => {
      if (d.device === device) rings.set(d.callId, performance.timeOrigin + d.at);
    };
    sim.on('delivered', onRing);
    for (let i = 0; i < 20; i++) {
      await sim
        .placeCall({
          ani: '06 12 35 1000',
          dnis: '0800 123 456',
          routePoint: '3000',
          transferTo: undefined,
          ringMs: 100,
          talkMs: 50,
        })
        .done.catch(() => {});
    }
    sim.off('delivered', onRing);
    const rendered = (await page.evaluate('window.__rendered')) as Record<string, number>;
    const ms = [...rings].flatMap(([id, t]) => (rendered[id] === undefined ? [] : [rendered[id] - t]));
    const s = latencyStats(Float64Array.from(ms));
    console.log(
      `browser sample (Chromium, one desktop, ${ms.length} of ${rings.size} rings at ${device}): Delivered → card in the DOM ` +
        `p50 ${s.p50.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `screen pop bench: ${int(desktops)} desktops, ${rate} calls/s for ${seconds} s, node ${process.version}`,
  );
  const agents = Array.from({ length: desktops }, (_, i) => String(20000 + i));
  const sim = new CstaSimulator({
    identifiers: 'unify',
    devices: {
      trunks: Array.from({ length: Math.max(200, rate * 20) }, (_, i) => `T${i + 1}`),
      agents,
      acdGroups: [{ id: '3001', members: agents }],
      routePoints: [{ id: '3000', defaultRoute: '3001' }],
    },
  });
  const { port } = await sim.listen();
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-pop-bench-'));
  const relais = await createRelais(
    validateConfig({
      dataDir: dir,
      http: { port: 0 },
      log: { level: 'silent' },
      links: {
        csta: [
          {
            name: 'pbx',
            host: '127.0.0.1',
            port,
            devices: [...agents.map((id) => ({ id, kind: 'agent' })), { id: '3001', kind: 'acd' }],
            routing: { devices: ['3000'], default: '3001' },
          },
        ],
      },
    }),
    pino({ level: 'silent' }),
  );
  try {
    const base = await relais.listen();
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    for (let t = Date.now(); Date.now() - t < 60_000; await new Promise((r) => setTimeout(r, 50))) {
      if ((sim.stats().requestsByType.MonitorStart ?? 0) >= desktops + 1) break;
    }
    const callers = Array.from({ length: 500 }, (_, i) => `06 12 35 ${String(1000 + i).slice(-4)}`);
    for (const [i, n] of callers.entries()) {
      await relais.directory.create({
        name: `Client ${i}`,
        phones: [{ number: n }],
        tier: i % 10 === 0 ? 'vip' : 'standard',
      });
      relais.directory.lookupNumber(relais.normalise(n)); // cached, as a caller seen before
    }

    const delivered = new Map<string, number>();
    const agentSet = new Set(agents);
    sim.on('delivered', (d) => {
      // Rings at the agents' extensions only (not at the route point or the ACD group).
      if (d.device !== undefined && agentSet.has(d.device)) delivered.set(`${d.callId}@${d.device}`, d.at);
    });
    const latencies: number[] = [];
    let pops = 0;
    const sockets = await Promise.all(
      agents.map(
        (device) =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(
              `${base.replace('http', 'ws')}/ws/desktop?device=${device}&token=${token}`,
            );
            ws.on('message', (data) => {
              const m = JSON.parse(String(data)) as {
                type: string;
                payload: { callId: string; device: string };
              };
              if (m.type !== 'call.offered') return;
              const sent = delivered.get(`${m.payload.callId}@${m.payload.device}`);
              pops++;
              if (sent !== undefined) latencies.push(performance.now() - sent);
            });
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    console.log(`${int(sockets.length)} desktops connected, ${int(callers.length)} known callers cached`);

    const traffic = sim.startTraffic({
      ratePerSecond: rate,
      anis: callers,
      dnisList: ['0800 123 456'],
      routePoint: '3000',
      withheldRatio: 0,
      unknownRatio: 0,
      abandonRatio: 0,
      answerRatio: 1,
      ringMs: [200, 600],
      talkMs: [1000, 3000],
      durationMs: seconds * 1000,
      seed: 7,
    });
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, seconds * 1000 + 4000));
    traffic.stop();
    const cpu = process.cpuUsage(cpu0);
    const s = latencyStats(Float64Array.from(latencies));
    console.log(
      `pops: ${int(pops)} received for ${int(delivered.size)} Delivered at agents; latency Delivered → desktop: ` +
        `p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  max ${s.max.toFixed(2)} ms; ` +
        `process cpu ${((cpu.user + cpu.system) / 1e6 / (seconds + 4)).toFixed(2)} cores`,
    );
    console.log(
      `${s.p99 <= 100 ? 'MET   ' : 'MISSED'} screen pop p99 with ${int(desktops)} desktops: <= 100 ms, measured ${s.p99.toFixed(2)} ms`,
    );
    for (const ws of sockets) ws.close();
    if (existsSync(CHROMIUM)) await browserSample(base, token, agents, sim);
    else console.log(`browser sample skipped: ${CHROMIUM} is not installed`);
  } finally {
    await relais.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
