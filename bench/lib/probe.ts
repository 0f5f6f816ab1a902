/**
 * What one process spent during a window: CPU time, event-loop utilisation and delay, garbage
 * collection. Used on both sides of the CSTA benchmark (Relais and the switch simulator process),
 * so that a figure can be traced to the process and the cause that bounds it.
 */
import { readFileSync } from 'node:fs';
import {
  type EventLoopUtilization,
  monitorEventLoopDelay,
  PerformanceObserver,
  performance,
} from 'node:perf_hooks';

export interface ProcessSample {
  wallMs: number;
  /** User + system CPU time of the process during the window. */
  cpuMs: number;
  /** cpuMs / wallMs: 1.0 is one core fully busy (worker threads such as GC helpers can add to it). */
  cores: number;
  /** Share of the window the event loop was busy (not waiting for I/O or timers), 0..1. */
  elu: number;
  /** Event-loop delay (how late a 2 ms timer fires): what every callback waits behind. */
  loopDelayMs: { p50: number; p99: number; max: number };
  gc: { count: number; totalMs: number; maxMs: number };
  rssMb: number;
}

export class ProcessProbe {
  readonly #delay = monitorEventLoopDelay({ resolution: 2 });
  /** GC pauses seen (start time, duration), delivered some time after they happen. */
  #gc: Array<{ at: number; ms: number }> = [];
  readonly #observer: PerformanceObserver;
  #cpu = process.cpuUsage();
  #elu: EventLoopUtilization = performance.eventLoopUtilization();
  #t0 = performance.now();

  constructor() {
    this.#observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.#gc.push({ at: e.startTime, ms: e.duration });
    });
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  start(): void {
    this.#delay.reset();
    this.#delay.enable();
    this.#cpu = process.cpuUsage();
    this.#elu = performance.eventLoopUtilization();
    this.#t0 = performance.now();
    this.#gc = this.#gc.filter((g) => g.at >= this.#t0);
  }

  /** Ends the window. Async: GC entries are delivered a little later, and only the window's count. */
  async stop(): Promise<ProcessSample> {
    const t1 = performance.now();
    const wallMs = t1 - this.#t0;
    const cpu = process.cpuUsage(this.#cpu);
    const elu = performance.eventLoopUtilization(this.#elu);
    this.#delay.disable();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const gc = this.#gc.filter((g) => g.at >= this.#t0 && g.at <= t1).map((g) => g.ms);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const ns = (v: number) => (Number.isFinite(v) ? v / 1e6 : 0);
    return {
      wallMs,
      cpuMs,
      cores: wallMs > 0 ? cpuMs / wallMs : 0,
      elu: elu.utilization,
      loopDelayMs: {
        p50: ns(this.#delay.percentile(50)),
        p99: ns(this.#delay.percentile(99)),
        max: ns(this.#delay.max),
      },
      gc: {
        count: gc.length,
        totalMs: gc.reduce((a, b) => a + b, 0),
        maxMs: gc.reduce((a, b) => Math.max(a, b), 0),
      },
      rssMb: process.memoryUsage.rss() / 1024 / 1024,
    };
  }

  dispose(): void {
    this.#delay.disable();
    this.#observer.disconnect();
  }
}

/** A V8 CPU profile of this process between `start` and `stop` (open it in Chrome DevTools). */
export class CpuProfiler {
  #session: import('node:inspector/promises').Session | undefined;

  async start(): Promise<void> {
    const { Session } = await import('node:inspector/promises');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    this.#session = session;
  }

  /** Writes the profile to `file`; returns its self time by function, largest first (top 25). */
  async stop(file: string): Promise<Array<{ fn: string; share: number }>> {
    const session = this.#session;
    if (!session) return [];
    this.#session = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return selfTimes(profile).slice(0, 25);
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

function selfTimes(profile: {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}): Array<{ fn: string; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  let sum = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] as number);
    if (!node) continue;
    const { functionName, url } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`.trim();
    const d = deltas[i] ?? 0;
    total.set(key, (total.get(key) ?? 0) + d);
    sum += d;
  }
  return [...total.entries()]
    .map(([fn, t]) => ({ fn, share: sum > 0 ? t / sum : 0 }))
    .sort((a, b) => b.share - a.share);
}

/**
 * Linux CPU pressure (PSI): the share of the last 10 s during which some runnable task waited for
 * a CPU, in %. A better sign than the load average that other work on the machine delays ours.
 * Undefined where /proc/pressure is not available.
 */
export function cpuPressure(): number | undefined {
  try {
    const text = readFileSync('/proc/pressure/cpu', 'utf8');
    const m = /^some avg10=([0-9.]+)/m.exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
