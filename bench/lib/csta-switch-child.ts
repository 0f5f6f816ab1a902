/**
 * The switch simulator process of the CSTA benchmark (forked by bench/lib/csta-switch.ts with
 * `node --import tsx`). It listens on a free loopback port for Relais and, on request, generates
 * traffic at a rate; the parent marks the measured window (after its warm-up) and then asks what
 * the switch saw: the RouteRequest → RouteSelect latencies, timeouts and late answers, and the
 * simulator's own CPU.
 */
import { performance } from 'node:perf_hooks';
import type { TrafficHandle } from '../../src/simulator/csta/index.js';
import { CstaSimulator } from '../../src/simulator/csta/index.js';
import type {
  SwitchDrain,
  SwitchInfo,
  SwitchRequest,
  SwitchResponse,
  SwitchSetup,
  SwitchWindow,
  TrafficRequest,
} from './csta-switch.js';
import { CpuProfiler, ProcessProbe } from './probe.js';
import { latencyStats } from './stats.js';

let sim: CstaSimulator | undefined;
let setup: SwitchSetup | undefined;
let port = 0;
const probe = new ProcessProbe();

function send(res: SwitchResponse): Promise<void> {
  return new Promise((resolve) => process.send?.(res, undefined, {}, () => resolve()));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function running(): { sim: CstaSimulator; setup: SwitchSetup } {
  if (!sim || !setup) throw new Error('the simulator is not started');
  return { sim, setup };
}

function info(): SwitchInfo {
  const s = running().sim;
  return {
    port,
    pid: process.pid,
    monitors: s.monitorCount,
    registrations: s.registrationCount,
    clients: s.clients.length,
    activeCalls: s.activeCalls,
  };
}

/** The traffic in progress and what is recorded of it. */
interface Run {
  handle: TrafficHandle;
  latencies: number[];
  recording: boolean;
  placedAtStart: number;
  maxActiveCalls: number;
  sampler: NodeJS.Timeout | undefined;
  profile: { profiler: CpuProfiler; file: string } | undefined;
}

let run: Run | undefined;

function current(): Run {
  if (!run) throw new Error('no traffic started');
  return run;
}

function startTraffic(t: TrafficRequest): void {
  const { sim, setup } = running();
  if (run) throw new Error('traffic already running');
  const handle = sim.startTraffic({
    ...setup.profile,
    anis: setup.anis,
    dnisList: setup.dnisList,
    ratePerSecond: t.rate,
    durationMs: t.durationMs,
    seed: t.seed,
  });
  run = {
    handle,
    latencies: [],
    recording: false,
    placedAtStart: 0,
    maxActiveCalls: 0,
    sampler: undefined,
    profile: undefined,
  };
}

function onSelect(i: { latencyMs: number }): void {
  if (run?.recording) run.latencies.push(i.latencyMs);
}

async function windowStart(profileFile: string | undefined): Promise<void> {
  const { sim } = running();
  const r = current();
  if (profileFile !== undefined) {
    r.profile = { profiler: new CpuProfiler(), file: profileFile };
    await r.profile.profiler.start();
  }
  sim.resetStats();
  r.latencies = [];
  r.recording = true;
  r.placedAtStart = r.handle.placed;
  r.maxActiveCalls = sim.activeCalls;
  r.sampler = setInterval(() => {
    r.maxActiveCalls = Math.max(r.maxActiveCalls, sim.activeCalls);
  }, 20);
  probe.start();
}

async function windowEnd(): Promise<SwitchWindow> {
  const r = current();
  const placed = r.handle.placed - r.placedAtStart;
  const sample = await probe.stop();
  r.handle.stop();
  const profile = r.profile ? await r.profile.profiler.stop(r.profile.file) : undefined;
  return { placed, achievedRate: (placed * 1000) / sample.wallMs, process: sample, profile };
}

async function drain(): Promise<SwitchDrain> {
  const { sim } = running();
  const r = current();
  const t0 = performance.now();
  // Calls placed in the window run to their end: answered, timed out, or abandoned.
  await Promise.race([r.handle.finished, sleep(sim.config.replyTimeoutMs + 2000)]);
  const drainMs = performance.now() - t0;
  clearInterval(r.sampler);
  r.recording = false;
  run = undefined;
  const stats = sim.stats();
  const unanswered = Math.max(
    0,
    stats.routeRequestsSent -
      stats.routeSelectsReceived -
      stats.routeTimeouts -
      stats.routeEndsReceived -
      stats.routeSelectsLate,
  );
  return {
    stats,
    latencyMs: latencyStats(Float64Array.from(r.latencies)),
    unanswered,
    maxActiveCalls: r.maxActiveCalls,
    drainMs,
    leftActive: sim.activeCalls,
  };
}

async function handle(req: SwitchRequest): Promise<unknown> {
  switch (req.type) {
    case 'init': {
      if (sim) throw new Error('the simulator is already started');
      setup = req.setup;
      sim = new CstaSimulator(req.setup.simulator);
      port = (await sim.listen({ host: '127.0.0.1', port: 0 })).port;
      sim.on('route-select', onSelect);
      return info();
    }
    case 'info':
      return info();
    case 'traffic':
      startTraffic(req.traffic);
      return null;
    case 'window-start':
      await windowStart(req.profileFile);
      return null;
    case 'window-end':
      return windowEnd();
    case 'drain':
      return drain();
    case 'close':
      await sim?.close();
      probe.dispose();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (req: SwitchRequest) => {
  handle(req).then(
    (value) => send({ id: req.id, ok: true, value }),
    (err: unknown) =>
      send({ id: req.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
// The benchmark went away (crash, Ctrl-C): do not linger.
process.on('disconnect', () => {
  void (sim?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
process.on('SIGINT', () => {}); // the parent handles Ctrl-C and closes us over IPC
