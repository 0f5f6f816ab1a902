/**
 * The composition root: builds the store, services, pipeline and server from a validated config,
 * wires them, and knows the order to take them down in.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { applyAgentReport } from './acd/agent-reports.js';
import { type AcdEvent, Distributor } from './acd/distributor.js';
import { ensureLocalToken } from './api-token.js';
import type { Config } from './config/schema.js';
import { EventBus, type RelaisEvents } from './core/event-bus.js';
import { startPipeline } from './core/pipeline.js';
import { CallTracker } from './core/tracker.js';
import type { CustomerDirectory } from './customers/directory.js';
import { campaignIndex } from './desktop/campaigns.js';
import { crmUrlResolver } from './desktop/crm-url.js';
import { DesktopHub } from './desktop/hub.js';
import { startScreenPops } from './desktop/screen-pop.js';
import { startWallboard, type Wallboard } from './desktop/wallboard.js';
import { startWebhooks } from './desktop/webhooks.js';
import { RelaisError } from './errors.js';
import { createCallRecordWriter } from './history/call-records.js';
import { type RunningCstaLink, startCstaLink } from './links/csta/from-config.js';
import { createLinkMetrics } from './links/csta/link-metrics.js';
import type { AgentStateReport } from './model/agent.js';
import type { Call, CallEvent } from './model/call.js';
import type { Normaliser } from './numbers/index.js';
import { createMetrics } from './observability.js';
import { DecisionLog } from './routing/decision-log.js';
import { acdOf, RoutingEngine } from './routing/engine.js';
import { loadPlanFile, parsePlan } from './routing/plan/load.js';
import { createSimpleRouter } from './routing/simple.js';
import { buildServer } from './server/app.js';
import type { Db } from './store/db.js';
import { openAndMigrate, redactUrl } from './store/open.js';
import { VERSION } from './version.js';
import { buildDirectory, buildNormaliser, regionsOf } from './wiring.js';

export interface Relais {
  config: Config;
  db: Db;
  server: FastifyInstance;
  tracker: CallTracker;
  directory: CustomerDirectory;
  bus: EventBus<RelaisEvents>;
  normalise: Normaliser;
  /** The routing plan's engine and distributor, when `routing.plan` is configured. */
  routing: RoutingRuntime | undefined;
  /** The first API token (the configured one, or the generated local one), for `relais demo`. */
  apiToken: string;
  /** Where links hand their events. */
  ingest(event: CallEvent): void;
  /** The address the HTTP server listens on, once `listen` resolved. */
  listen(): Promise<string>;
  /** Stop accepting, finish in-flight requests, write every pending record, close the store. */
  close(): Promise<void>;
}

export interface RoutingRuntime {
  engine: RoutingEngine;
  distributor: Distributor;
  decisions: DecisionLog;
  /** Reads the plan file again; a refused plan throws and the running one stays in force. */
  reload(): Promise<{ rules: number; queues: number; agents: number }>;
  /** The plan file as it is on disk. */
  planText(): string;
  /** Checks a new plan; when accepted, writes it to the plan file (atomically) and applies it. */
  replacePlan(text: string): Promise<{ rules: number; queues: number; agents: number }>;
}

/** The routing plan, its engine, distributor and decision log; undefined without `routing.plan`. */
function startRouting(
  config: Config,
  db: Db,
  directory: CustomerDirectory,
  normalise: Normaliser,
  logger: Logger,
  /** Also told of the distributor's events (the wallboard). */
  onAcdEvent: (e: AcdEvent) => void,
): RoutingRuntime | undefined {
  const file = config.routing.plan;
  if (file === undefined) return undefined;
  const compileOptions = {
    normalise,
    defaultCountry: config.numbers.defaultCountry,
    tiers: config.customers.tiers,
    // A rule on a region the number plan does not have could never match: refused by name.
    regions: regionsOf(config).map((r) => r.name),
  };
  const load = () => loadPlanFile(file, compileOptions);
  const plan = load();
  const decisions = new DecisionLog({
    db,
    keep: 20_000,
    batchSize: config.history.batchSize,
    flushMs: config.history.flushMs,
    onError: (err, attempt) => logger.warn({ err, attempt }, 'decision trace batch failed; retrying'),
  });
  const engine = new RoutingEngine({
    normalise,
    lookup: (n) => directory.lookupNumber(n),
    plan,
    log: decisions,
  });
  const acd = acdOf(plan.plan);
  const distributor = new Distributor({
    ...acd,
    onEvent: (e) => {
      engine.onAcdEvent(e);
      onAcdEvent(e);
    },
  });
  engine.attach(distributor);
  const summary = () => ({
    rules: engine.plan.plan.rules.length,
    queues: engine.plan.plan.queues.length,
    agents: engine.plan.plan.agents.length,
  });
  logger.info({ file, ...summary() }, 'routing plan loaded');
  return {
    engine,
    distributor,
    decisions,
    async reload() {
      try {
        engine.setPlan(load());
      } catch (err) {
        logger.error(
          { err: err instanceof Error ? err.message : String(err) },
          'routing plan refused; the running plan stays',
        );
        throw err;
      }
      logger.info({ file, ...summary() }, 'routing plan reloaded');
      return summary();
    },
    planText: () => readFileSync(file, 'utf8'),
    async replacePlan(text) {
      const plan = parsePlan(text, path.basename(file), compileOptions); // throws, nothing written, when refused
      // Written beside, then renamed: a crash never leaves half a plan for the next start.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, file);
      engine.setPlan(plan);
      logger.info({ file, ...summary() }, 'routing plan replaced through the API');
      return summary();
    },
  };
}

function linkReady(l: RunningCstaLink): void {
  const s = l.link.status();
  if (s.state !== 'up') throw new RelaisError('RELAIS_ERR_LINK_DOWN', `link ${s.name} is ${s.state}`);
}

function readTls(config: Config): { cert: Buffer; key: Buffer } | undefined {
  const tls = config.http.tls;
  if (!tls) return undefined;
  try {
    return { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
  } catch (cause) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `http.tls: cannot read ${tls.certFile} or ${tls.keyFile}`,
      { cause },
    );
  }
}

export async function createRelais(config: Config, logger: Logger): Promise<Relais> {
  const { db, report } = await openAndMigrate(config);
  logger.info(
    {
      store: db.kind,
      where: config.database.url ? redactUrl(config.database.url) : config.dataDir,
      applied: report.applied.map((m) => m.name),
    },
    'store ready',
  );
  const normalise = buildNormaliser(config);
  const bus = new EventBus<RelaisEvents>({
    onError: (topic, err) => logger.error({ err, topic }, 'event handler failed'),
  });
  const tracker = new CallTracker({
    normalise,
    bus,
    clearGraceMs: config.calls.clearGraceMs,
    maxCalls: config.calls.maxLiveCalls,
  });
  const metrics = createMetrics({ liveCalls: () => tracker.size });
  const directory = buildDirectory(config, db, normalise, (customerId, numbers) =>
    bus.emit('customer.changed', { customerId, numbers }),
  );
  const writer = createCallRecordWriter({
    db,
    batchSize: config.history.batchSize,
    flushMs: config.history.flushMs,
    onError: (err, attempt) => {
      metrics.recordErrors.inc();
      logger.warn({ err, attempt }, 'call record batch failed; retrying');
    },
  });
  const stopPipeline = startPipeline({
    bus,
    tracker,
    directory,
    records: {
      write: (r) => writer.write(r).then(() => void metrics.callsRecorded.inc({ outcome: r.outcome })),
    },
    observeLookup: (s, known) => metrics.lookups.observe({ result: known ? 'known' : 'unknown' }, s),
    onError: (what, err) => logger.error({ err }, `${what} failed`),
  });

  const tokens = [...config.api.tokens];
  if (tokens.length === 0) {
    const local = ensureLocalToken(config.dataDir);
    tokens.push({ name: 'local', token: local.token });
    logger.info(
      { file: local.file, created: local.created },
      'no API token configured: using the local token file',
    );
  }
  let routing: RoutingRuntime | undefined;
  let wallboard: Wallboard | undefined;
  try {
    routing = startRouting(config, db, directory, normalise, logger, (e) => wallboard?.onAcdEvent(e));
  } catch (err) {
    stopPipeline();
    await db.close();
    throw err;
  }
  if (routing) {
    const { engine } = routing;
    // The distributor learns from the calls themselves when its agents are free again.
    bus.on('call.updated', (call) => {
      engine.observe(call);
      if (call.state === 'cleared' || call.state === 'failed') engine.ended(call.link, call.id);
    });
    bus.on('call.cleared', ({ call }) => engine.ended(call.link, call.id));
  }
  // Calls that ended lately, until their record is surely in the store: a wrap-up comes after the
  // call, maybe while its record still waits in the writer's batch.
  const ended = new Map<string, Call>();
  const offEnded = bus.on('call.cleared', ({ call }) => {
    const k = `${call.link}/${call.id}`;
    ended.delete(k);
    ended.set(k, call);
    if (ended.size > 10_000) ended.delete(ended.keys().next().value as string);
  });
  const hub = new DesktopHub({
    keep: 200,
    maxBufferedBytes: 1024 * 1024,
    onSlowClient: (channels) => logger.warn({ channels }, 'desktop too slow: closed, it will resume'),
  });
  const crmUrl = crmUrlResolver(config.desktop.crmUrls, normalise);
  const campaignOf = campaignIndex(config.campaigns, normalise);
  const webhooks = startWebhooks({
    targets: config.desktop.webhooks,
    onResult: (r) => {
      if (!r.ok)
        logger.warn(
          { url: r.url, status: r.status, error: r.error, attempts: r.attempts },
          'webhook not delivered',
        );
    },
  });
  const stopPops = startScreenPops({
    bus,
    hub,
    lookup: (n) => directory.lookupNumber(n),
    context: (call) => {
      const queue = routing?.engine.queueOf(call.link, call.id) ?? call.queue;
      const url = crmUrl(call, queue);
      const choice = routing?.engine.ivrChoiceOf(call.link, call.id);
      const campaign = campaignOf(call.dnis.number);
      return {
        ...(campaign ? { campaign } : {}),
        ...(queue ? { queue } : {}),
        ...(url ? { crmUrl: url } : {}),
        ...(choice ? { ivrChoice: { id: choice.id, label: choice.label } } : {}),
      };
    },
    onPop: (p) => webhooks.send('call.offered', p),
    onError: (err) => logger.warn({ err }, 'screen pop failed'),
  });
  wallboard = startWallboard({
    hub,
    distributor: routing?.distributor,
    liveCalls: () => tracker.list(),
    targetSeconds: (queue) =>
      routing?.engine.plan.plan.queues.find((q) => q.id === queue)?.serviceLevel?.seconds ?? 20,
  });
  const touch = () => wallboard?.touch();
  const offBoard = [
    bus.on('call.offered', touch),
    bus.on('call.updated', touch),
    bus.on('call.cleared', touch),
  ];
  const unfollow = await directory.follow();
  const ingest = (event: CallEvent) => {
    metrics.callEvents.inc({ type: String(event.type) });
    tracker.ingest(event);
  };
  const linkMetrics = createLinkMetrics(metrics.registry);
  const links: RunningCstaLink[] = [];
  try {
    for (const lc of config.links.csta) {
      const router =
        routing?.engine.router ??
        createSimpleRouter({ routes: lc.routing.routes, default: lc.routing.default }, normalise);
      const distributor = routing?.distributor;
      const onAgentState =
        distributor &&
        ((r: AgentStateReport) => {
          try {
            const done = applyAgentReport(distributor, r);
            if (done) logger.debug({ link: r.link, agent: done }, 'agent state from the PBX');
            else
              logger.debug(
                { link: r.link, device: r.device },
                'agent state for an agent the plan does not know',
              );
          } catch (err) {
            logger.warn(
              { link: r.link, err: err instanceof Error ? err.message : String(err) },
              'agent state not applied',
            );
          }
        });
      links.push(await startCstaLink(lc, { ingest, router, logger, metrics: linkMetrics, onAgentState }));
    }
  } catch (err) {
    for (const l of links) await l.stop();
    stopPipeline();
    await unfollow();
    await db.close();
    throw err;
  }
  const server = await buildServer({
    ingest,
    https: readTls(config),
    logger,
    directory,
    normalise,
    tokens,
    metrics: metrics.registry,
    readiness: {
      store: () => db.ping(),
      ...Object.fromEntries(links.map((l) => [`link:${l.link.name}`, async () => linkReady(l)])),
    },
    liveCalls: () => tracker.list(),
    desktop: { hub, heartbeatMs: 15_000, wallboard: () => wallboard?.snapshot() },
    campaigns: config.campaigns,
    wrapUp: {
      db,
      directory,
      liveCall: (callId, link) =>
        link !== undefined
          ? (tracker.get(link, callId) ?? ended.get(`${link}/${callId}`))
          : (tracker.list().find((c) => c.id === callId) ??
            [...ended.values()].reverse().find((c) => c.id === callId)),
    },
    routing: routing && {
      decision: (callId, link) => (routing as RoutingRuntime).decisions.get(callId, link),
      distributor: routing.distributor,
      reload: () => (routing as RoutingRuntime).reload(),
      planText: () => (routing as RoutingRuntime).planText(),
      replacePlan: (text) => (routing as RoutingRuntime).replacePlan(text),
    },
    ivr: routing && {
      decide: (q) => (routing as RoutingRuntime).engine.ivr(q),
      choose: (q) => (routing as RoutingRuntime).engine.chooseIvr(q),
      defaultLanguage: () => (routing as RoutingRuntime).engine.plan.ivr?.defaultLanguage ?? 'fr-FR',
      transferTo: () => (routing as RoutingRuntime).engine.plan.plan.ivr?.transferTo,
    },
    version: VERSION,
  });

  let closing: Promise<void> | undefined;
  return {
    config,
    db,
    server,
    tracker,
    directory,
    bus,
    normalise,
    routing,
    apiToken: (tokens[0] as { token: string }).token,
    ingest,
    async listen() {
      return server.listen({ host: config.http.host, port: config.http.port });
    },
    close() {
      closing ??= (async () => {
        await server.close();
        for (const l of links) await l.stop();
        tracker.flush(); // cleared calls still in their grace window get their record now
        tracker.stop();
        stopPipeline();
        stopPops();
        webhooks.stop();
        offEnded();
        for (const off of offBoard) off();
        wallboard?.stop();
        await writer.close();
        await routing?.decisions.close();
        await unfollow();
        await db.close();
      })();
      return closing;
    },
  };
}
