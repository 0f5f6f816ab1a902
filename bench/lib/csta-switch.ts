/**
 * The simulated switch of the CSTA benchmark: its device plan, the traffic profile, and the
 * parent side of the simulator process (bench/lib/csta-switch-child.ts), driven over IPC.
 *
 * The simulator runs in its own process, as a PBX would: its CPU is not Relais's, and the
 * RouteRequest → RouteSelect latency it measures crosses a real TCP connection.
 *
 * Why not `relais simulate csta`: its traffic keeps the simulator's defaults for what the CLI does
 * not expose (120 trunks, rings of 1–6 s, 4 s ring-no-answer, abandons after 2–30 s), so it blocks
 * on trunks at a few tens of calls per second; and `--anis` takes a command-line list, too short
 * for a directory-sized caller mix. The child runs the same `CstaSimulator` with short calls.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions, SimulatorStats, TrafficOptions } from '../../src/simulator/csta/index.js';
import type { ProcessSample } from './probe.js';
import type { LatencyStats } from './stats.js';

export const ROUTE_POINT = '3000';
export const STANDARD_GROUP = '3001';
/** Where the router sends VIP callers: its own ACD group, so the lookup changes the answer. */
export const VIP_GROUP = '3002';
export const DNIS = '+33140000000';

export interface SwitchPlan {
  agents: string[];
  vipAgents: string[];
  trunks: number;
}

export function switchPlan(agents: number, vipAgents: number, trunks: number): SwitchPlan {
  const ext = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));
  return { agents: ext(2001, agents), vipAgents: ext(2001 + agents, vipAgents), trunks };
}

/** The simulator's options: short timers so that thousands of calls per second fit the trunks. */
export function simulatorOptions(plan: SwitchPlan): SimulatorOptions {
  return {
    identifiers: 'plain', // national numbers (0612345678): Relais normalises them as it must in France
    devices: {
      agents: [...plan.agents, ...plan.vipAgents],
      acdGroups: [
        { id: STANDARD_GROUP, members: plan.agents },
        { id: VIP_GROUP, members: plan.vipAgents },
      ],
      routePoints: [{ id: ROUTE_POINT, defaultRoute: STANDARD_GROUP }],
      trunks: Array.from({ length: plan.trunks }, (_, i) => `T${String(i + 1).padStart(5, '0')}`),
      dnisRoutes: { '*': ROUTE_POINT },
    },
    ringNoAnswerMs: 20,
    busyToneMs: 20,
    replyTimeoutMs: 5000,
    latencySamples: 1 << 20,
  };
}

export type TrafficProfile = Omit<
  TrafficOptions,
  'ratePerSecond' | 'anis' | 'dnisList' | 'durationMs' | 'maxCalls' | 'seed'
>;

/**
 * Every kind of call the simulator models (queueing aside), in the default proportions, but
 * seconds-long phases shrunk to milliseconds: a call holds a trunk and an agent for ~50 ms, so
 * 5,000 calls/s keep ~250 calls up at once. Abandons come at 50–100 ms, after routing, so that a
 * caller hanging up during routing (which would turn its RouteSelect "late") stays exceptional.
 */
export const TRAFFIC_PROFILE: TrafficProfile = {
  answerRatio: 0.9,
  abandonRatio: 0.03,
  holdRatio: 0.1,
  transferRatio: 0.05,
  withheldRatio: 0.05,
  unknownRatio: 0.01,
  callerReleaseRatio: 0.5,
  talkMs: [10, 60],
  ringMs: [0, 20],
  holdMs: [5, 20],
  abandonAfterMs: [50, 100],
};

export interface SwitchSetup {
  simulator: SimulatorOptions;
  profile: TrafficProfile;
  /** Caller numbers the traffic draws from, uniformly: a sample of the benchmark's caller mix. */
  anis: string[];
  dnisList: string[];
}

export interface TrafficRequest {
  rate: number;
  seed: number;
  /** The traffic stops placing calls after this long (warm-up + window + margin). */
  durationMs: number;
}

/** The measured window, from `windowStart` to `windowEnd`. */
export interface SwitchWindow {
  /** Calls the traffic placed during the window (including those refused for want of a trunk), and per second. */
  placed: number;
  achievedRate: number;
  /** The simulator process during the window. */
  process: ProcessSample;
  /** With a profile file: the functions with the most self time during the window. */
  profile?: Array<{ fn: string; share: number }>;
}

/** From `windowStart` to the end of the drain: the calls placed in the window have all ended. */
export interface SwitchDrain {
  /** Counters since `windowStart`. */
  stats: SimulatorStats;
  /** RouteRequest sent → RouteSelect received, in ms, from the simulator's 'route-select' events. */
  latencyMs: LatencyStats;
  /** Route requests that got neither a RouteSelect, a RouteEnd nor a timeout by the end of the drain. */
  unanswered: number;
  maxActiveCalls: number;
  drainMs: number;
  /** Calls still up when the drain gave up waiting (0 normally). */
  leftActive: number;
}

type Request =
  | { id: number; type: 'init'; setup: SwitchSetup }
  | { id: number; type: 'info' }
  | { id: number; type: 'traffic'; traffic: TrafficRequest }
  | { id: number; type: 'window-start'; profileFile?: string }
  | { id: number; type: 'window-end' }
  | { id: number; type: 'drain' }
  | { id: number; type: 'close' };
export type SwitchRequest = Request;

export type SwitchResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };

export interface SwitchInfo {
  port: number;
  pid: number;
  monitors: number;
  registrations: number;
  clients: number;
  activeCalls: number;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'csta-switch-child.ts');

/** The simulator in a child process (`node --import tsx`), one request at a time over IPC. */
export class SwitchProcess {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #next = 1;
  #exited: Error | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m: SwitchResponse) => {
      const w = this.#waiting.get(m.id);
      if (!w) return;
      this.#waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(`switch process: ${m.error}`));
    });
    child.on('exit', (code, signal) => {
      this.#exited = new Error(`switch process exited (${signal ?? code})`);
      for (const w of this.#waiting.values()) w.reject(this.#exited);
      this.#waiting.clear();
    });
  }

  static async start(setup: SwitchSetup): Promise<{ sim: SwitchProcess; info: SwitchInfo }> {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      cwd: path.join(path.dirname(CHILD), '..', '..'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const sim = new SwitchProcess(child);
    const info = (await sim.#call({ type: 'init', setup })) as SwitchInfo;
    return { sim, info };
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  info(): Promise<SwitchInfo> {
    return this.#call({ type: 'info' }) as Promise<SwitchInfo>;
  }

  /** Starts the traffic (returns at once); the window and the drain measure it. */
  startTraffic(traffic: TrafficRequest): Promise<void> {
    return this.#call({ type: 'traffic', traffic }) as Promise<void>;
  }

  /** Zeroes the simulator's counters and starts recording latencies and the process (and a CPU profile). */
  windowStart(profileFile?: string): Promise<void> {
    return this.#call({ type: 'window-start', profileFile }) as Promise<void>;
  }

  /** Stops placing calls and ends the process sample. */
  windowEnd(): Promise<SwitchWindow> {
    return this.#call({ type: 'window-end' }) as Promise<SwitchWindow>;
  }

  /** Waits for the window's calls to end (or the reply timeout), then reports what the switch saw. */
  drain(): Promise<SwitchDrain> {
    return this.#call({ type: 'drain' }) as Promise<SwitchDrain>;
  }

  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.#call({ type: 'close' }).catch(() => {});
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  #call(req: WithoutId<Request>): Promise<unknown> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#child.send({ ...req, id } as Request);
    });
  }
}
