import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RelaisError } from '../errors.js';
import { createLogger } from '../observability.js';
import { parseCommand } from './options.js';
import type { Command } from './usage.js';

export const demoCommand: Command = {
  help: `Usage: relais demo [options]

Everything a newcomer needs to see Relais work, on this machine only: the embedded database in
the data directory (default ./relais-demo), demo customers (a few hundred: VIPs, several
languages, purchases and past calls), four agents logged in at extensions 2001-2004, a routing
plan, and the CSTA switch simulator placing calls at a gentle rate. Prints the addresses to open.
The HTTP API listens on 127.0.0.1 only, plain HTTP (default port 8080).

Options:
  --data-dir DIR    where the demo keeps its database and files (default ./relais-demo)
  --http-port N     HTTP port on 127.0.0.1 (default 8080; 0 picks a free one)
  --rate N          calls per minute (default 6)
`,
  async run(args) {
    const { values } = parseCommand(args, { rate: { type: 'string' } });
    const rate = values.rate === undefined ? 6 : Number(values.rate);
    if (!Number.isFinite(rate) || rate <= 0 || rate > 6000)
      throw new RelaisError(
        'RELAIS_ERR_USAGE',
        `--rate: expected calls per minute between 1 and 6000 (got ${values.rate})`,
      );
    const dataDir = path.resolve(String(values['data-dir'] ?? 'relais-demo'));
    const port = values['http-port'] === undefined ? 8080 : Number(values['http-port']);
    const [{ createRelais }, { validateConfig }, { CstaSimulator }, demo] = await Promise.all([
      import('../app.js'),
      import('../config/load.js'),
      import('../simulator/csta/index.js'),
      import('../demo/data.js'),
    ]);
    const logger = createLogger('info');
    mkdirSync(dataDir, { recursive: true });

    const sim = new CstaSimulator({
      identifiers: 'unify',
      replyTimeoutMs: 10_000,
      devices: {
        agents: demo.DEMO_AGENTS.map((a) => a.device),
        acdGroups: [{ id: '3001' }, { id: '3002' }],
        routePoints: [{ id: '3000', defaultRoute: '3001' }],
      },
    });
    const switchAddress = await sim.listen({ host: '127.0.0.1', port: 0 });
    const planFile = path.join(dataDir, 'routing.yaml');
    writeFileSync(planFile, demo.DEMO_PLAN);
    const config = validateConfig(
      {
        dataDir,
        http: { host: '127.0.0.1', port },
        calls: { clearGraceMs: 1000 },
        routing: { plan: planFile },
        links: {
          csta: [
            {
              name: 'demo-pbx',
              host: '127.0.0.1',
              port: switchAddress.port,
              devices: [
                ...demo.DEMO_AGENTS.map((a) => ({ id: a.device, kind: 'agent' })),
                { id: '3001', kind: 'acd' },
                { id: '3002', kind: 'acd' },
              ],
              routing: { devices: ['3000'], queueWaitMs: 8000 },
            },
          ],
        },
      },
      'relais demo',
    );
    const relais = await createRelais(config, logger);
    const address = await relais.listen();

    // Customers once: a second run finds them in the database.
    const now = Date.now();
    const customers = demo.demoCustomers(300, now);
    const marker = path.join(dataDir, 'demo-loaded');
    if (!existsSync(marker)) {
      for (const c of customers) {
        const card = await relais.directory.create(c.input);
        for (const p of c.purchases) await relais.directory.addPurchase(card.id, p);
        for (const i of c.interactions) await relais.directory.addInteraction(card.id, i);
      }
      writeFileSync(marker, `${new Date(now).toISOString()}\n`);
    }
    for (const a of demo.DEMO_AGENTS) relais.routing?.distributor.login(a.id, a.device);

    const traffic = sim.startTraffic({
      ratePerSecond: rate / 60,
      anis: [
        ...customers.map((c) => c.input.phones[0]?.number as string),
        '06 99 88 77 66',
        '+32 470 12 34 56',
      ],
      dnisList: [demo.DEMO_DNIS.support, demo.DEMO_DNIS.sales],
      routePoint: '3000',
      talkMs: [15_000, 45_000],
      ringMs: [2000, 5000],
      abandonAfterMs: [10_000, 30_000],
    });

    const token = relais.apiToken;
    const ws = address.replace(/^http/, 'ws');
    const lines = [
      '',
      'Relais demo is running.',
      `  Agent desktop               ${address}/desktop?token=${token}&agent=alice&device=2001`,
      `  Wallboard                   ${address}/wallboard?token=${token}`,
      `  API and its documentation   ${address}/docs`,
      `  API token                   ${token}`,
      `  Live calls                  curl -H "Authorization: Bearer ${token}" ${address}/api/v1/calls`,
      `  Wallboard WebSocket         ${ws}/ws/wallboard?token=${token}`,
      ...demo.DEMO_AGENTS.map(
        (a) => `  ${`Desktop of ${a.name}`.padEnd(27)} ${ws}/ws/desktop?device=${a.device}&token=${token}`,
      ),
      `  Calls: ${rate} a minute to ${demo.DEMO_DNIS.support} (support) and ${demo.DEMO_DNIS.sales} (campaign); Ctrl-C stops.`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    logger.info({ address }, 'relais demo ready');

    await new Promise<void>((resolve) => {
      const stop = () => {
        traffic.stop();
        relais
          .close()
          .then(() => sim.close())
          .finally(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
