/**
 * Events parsed per second on one core: a stream of framed CSTA event documents, captured from
 * the switch simulator as a monitoring client receives them, replayed in a tight loop through each
 * stage of Relais's inbound path alone, then through the whole chain.
 *
 *   header framing decoder → decodeCsta → CallMapper.map → CallTracker.ingest
 *
 * Each pass replays the whole capture with a fresh decoder, mapper and tracker (the capture's call
 * ids would otherwise be finished calls the second time round), and ends with `tracker.flush()`,
 * so every call of the pass is finalised into its record inside the timed region.
 */
import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import type { CstaLinkConfig } from '../../src/config/links.js';
import { EventBus, type RelaisEvents } from '../../src/core/event-bus.js';
import { CallTracker } from '../../src/core/tracker.js';
import { CallMapper, type DeviceKind } from '../../src/links/csta/call-mapper.js';
import { CSTA_NAMESPACES, decodeCsta, deviceKey, encodeCsta } from '../../src/links/csta/codec/index.js';
import { headerFraming } from '../../src/links/csta/framing/index.js';
import { createLinkMetrics } from '../../src/links/csta/link-metrics.js';
import type { CstaEvent } from '../../src/links/csta/messages.js';
import { CstaSession } from '../../src/links/csta/session.js';
import type { CallEvent } from '../../src/model/call.js';
import type { Normaliser } from '../../src/numbers/index.js';
import { createMetrics } from '../../src/observability.js';
import { CstaSimulator } from '../../src/simulator/csta/index.js';
import type { SwitchSetup } from './csta-switch.js';
import { ProcessProbe, type ProcessSample } from './probe.js';

/** Node reads a TCP socket in chunks of up to 64 KiB: the replay feeds the decoder that way. */
const READ_CHUNK = 64 * 1024;

export interface Capture {
  calls: number;
  /** Framed event documents (header included), in arrival order. */
  frames: Buffer[];
  bytes: number;
  byName: Record<string, number>;
  /** Other unsolicited documents received meanwhile and left out (RouteRequest…), by type. */
  skipped: Record<string, number>;
}

/**
 * Monitors `devices` over a raw socket (MonitorStart encoded with Relais's codec), places `calls`
 * calls of the benchmark's traffic, and keeps every event frame the switch sent.
 */
export async function captureEvents(
  setup: SwitchSetup,
  devices: readonly string[],
  calls: number,
  rate: number,
  seed: number,
): Promise<Capture> {
  const sim = new CstaSimulator(setup.simulator);
  const { port } = await sim.listen({ host: '127.0.0.1', port: 0 });
  const socket = net.connect({ host: '127.0.0.1', port });
  try {
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    devices.forEach((device, i) => {
      const doc = encodeCsta(
        { type: 'MonitorStart', device, monitorType: 'device' },
        { namespace: CSTA_NAMESPACES.ed3 },
      );
      socket.write(headerFraming.encode(Buffer.from(doc, 'utf8'), String(1 + (i % 9998)).padStart(4, '0')));
    });
    const deadline = Date.now() + 10_000;
    while (sim.monitorCount < devices.length) {
      if (Date.now() > deadline)
        throw new Error(`only ${sim.monitorCount} monitors of ${devices.length} started`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const traffic = sim.startTraffic({
      ...setup.profile,
      anis: setup.anis,
      dnisList: setup.dnisList,
      ratePerSecond: rate,
      maxCalls: calls,
      seed,
    });
    await traffic.finished;
    await new Promise((r) => setTimeout(r, 100)); // the last events reach the socket
    return splitCapture(Buffer.concat(received), calls);
  } finally {
    socket.destroy();
    await sim.close();
  }
}

function splitCapture(stream: Buffer, calls: number): Capture {
  const decoder = headerFraming.createDecoder({ maxFrameBytes: 0xffff });
  const frames: Buffer[] = [];
  const byName: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  for (const r of decoder.push(stream)) {
    if (!r.ok) throw new Error(`capture: framing error ${r.error.message}`);
    if (r.frame.invokeId !== '9999') continue; // responses to MonitorStart
    const d = decodeCsta(r.frame.payload);
    if (!d.ok) throw new Error(`capture: undecodable document ${d.error.message}`);
    if (d.message.type !== 'Event') {
      skipped[d.message.type] = (skipped[d.message.type] ?? 0) + 1;
      continue;
    }
    byName[d.message.event.name] = (byName[d.message.event.name] ?? 0) + 1;
    frames.push(headerFraming.encode(r.frame.payload, '9999'));
  }
  return { calls, frames, bytes: frames.reduce((a, f) => a + f.length, 0), byName, skipped };
}

export interface StageResult {
  name: string;
  description: string;
  /** Event documents pushed through in all rounds. */
  events: number;
  /** What the stage itself produced per pass (frames, messages, call events, calls finalised). */
  outputPerPass: number;
  /**
   * Event documents per CPU second of this (single-threaded) process, i.e. per core: the median
   * of the rounds, and each round's figure (the machine is shared: rounds differ).
   */
  eventsPerCoreSecond: number;
  rounds: number[];
  usPerEvent: number;
  /** GC pauses as a share of the wall time of all rounds. */
  gcShare: number;
  process: ProcessSample[];
}

export interface ParseEnv {
  linkConfig: CstaLinkConfig;
  normalise: Normaliser;
  clearGraceMs: number;
  maxCalls: number;
}

interface Stage {
  name: string;
  description: string;
  /** One replay of the capture; returns what the stage produced. */
  pass: () => number;
}

/** The device kinds the link gives its mapper (link.ts). */
function deviceKinds(c: CstaLinkConfig): Map<string, DeviceKind> {
  const kinds = new Map<string, DeviceKind>(c.devices.map((d) => [deviceKey({ id: d.id }), d.kind]));
  for (const r of c.routing.devices) kinds.set(deviceKey({ id: r }), 'routePoint');
  return kinds;
}

function newTracker(env: ParseEnv): CallTracker {
  const bus = new EventBus<RelaisEvents>({
    onError: (_t, err) => {
      throw err;
    },
  });
  return new CallTracker({
    normalise: env.normalise,
    bus,
    clearGraceMs: env.clearGraceMs,
    maxCalls: env.maxCalls,
  });
}

/** Finalises the pass's calls (their records are built) and cancels the grace timers. */
function finish(tracker: CallTracker): number {
  const n = tracker.flush();
  tracker.stop();
  return n;
}

export function buildStages(capture: Capture, env: ParseEnv): Stage[] {
  const c = env.linkConfig;
  const kinds = deviceKinds(c);
  const stream = Buffer.concat(capture.frames);
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length; i += READ_CHUNK) chunks.push(stream.subarray(i, i + READ_CHUNK));
  const payloads = capture.frames.map((f) => f.subarray(8));
  const events: CstaEvent[] = payloads.map((p) => {
    const d = decodeCsta(p);
    if (!d.ok || d.message.type !== 'Event') throw new Error('capture holds a non-event');
    return d.message.event;
  });
  const mapped: CallEvent[] = [];
  {
    const mapper = new CallMapper({ link: c.name, deviceKinds: kinds });
    const at = Date.now();
    events.forEach((e, i) => {
      mapped.push(...mapper.map(e, at + i));
    });
  }
  const mapper = () => new CallMapper({ link: c.name, deviceKinds: kinds });

  return [
    {
      name: 'framing',
      description: 'header framing decoder alone: 64 KiB reads → frames',
      pass: () => {
        const decoder = headerFraming.createDecoder({ maxFrameBytes: c.maxFrameBytes });
        let n = 0;
        for (const chunk of chunks) n += decoder.push(chunk).length;
        return n;
      },
    },
    {
      name: 'decode',
      description: 'decodeCsta alone: frame payload (Buffer) → typed message',
      pass: () => {
        let n = 0;
        for (const p of payloads) if (decodeCsta(p).ok) n++;
        return n;
      },
    },
    {
      name: 'map',
      description: 'CallMapper.map alone: CSTA event → call events (fresh mapper per pass)',
      pass: () => {
        const m = mapper();
        let n = 0;
        for (const e of events) n += m.map(e, Date.now()).length;
        return n;
      },
    },
    {
      name: 'track',
      description: 'CallTracker.ingest alone: the mapped call events, then flush (records built)',
      pass: () => {
        const t = newTracker(env);
        for (const e of mapped) t.ingest(e);
        return finish(t);
      },
    },
    {
      name: 'chain',
      description: 'framing → decodeCsta → CallMapper.map → CallTracker.ingest, then flush',
      pass: () => {
        const decoder = headerFraming.createDecoder({ maxFrameBytes: c.maxFrameBytes });
        const m = mapper();
        const t = newTracker(env);
        // One small function per frame, as CstaSession has: V8 optimises it on its own.
        const onFrame = (payload: Buffer): void => {
          const d = decodeCsta(payload);
          if (!d.ok || d.message.type !== 'Event') return;
          for (const e of m.map(d.message.event, Date.now())) t.ingest(e);
        };
        for (const chunk of chunks) {
          for (const r of decoder.push(chunk)) if (r.ok) onFrame(r.frame.payload);
        }
        return finish(t);
      },
    },
    {
      name: 'link path',
      description:
        'the chain as the link runs it: CstaSession (with its traffic metrics) → mapper → metrics → tracker',
      pass: linkPath(chunks, c, kinds, env),
    },
  ];
}

/** The real CstaSession over an in-memory stream, with the link's onMessage and the metrics app.ts counts. */
function linkPath(
  chunks: Buffer[],
  c: CstaLinkConfig,
  kinds: Map<string, DeviceKind>,
  env: ParseEnv,
): () => number {
  const core = createMetrics({ liveCalls: () => 0 });
  const metrics = createLinkMetrics(core.registry);
  return () => {
    const stream = new PassThrough();
    const m = new CallMapper({ link: c.name, deviceKinds: kinds });
    const t = newTracker(env);
    const session = new CstaSession(stream, {
      framing: headerFraming,
      maxFrameBytes: c.maxFrameBytes,
      namespace: CSTA_NAMESPACES[c.namespace],
      requestTimeoutMs: c.requestTimeoutMs,
      onMessage: (msg) => {
        if (msg.type !== 'Event') return;
        for (const e of m.map(msg.event, Date.now())) {
          core.callEvents.inc({ type: String(e.type) });
          t.ingest(e);
        }
      },
      onProblem: () => {},
      onTraffic: (direction, type) => metrics.messages.inc({ link: c.name, direction, type }),
    });
    for (const chunk of chunks) stream.emit('data', chunk);
    session.close('pass done');
    return finish(t);
  };
}

/**
 * Replays the capture for `rounds` rounds of at least `seconds` of CPU each, after as long a
 * warm-up: V8 keeps optimising, and sizing its young generation, for a second or two, and a
 * running Relais is past that.
 */
export async function runStage(
  stage: Stage,
  eventsPerPass: number,
  seconds: number,
  rounds: number,
): Promise<StageResult> {
  const warm0 = process.cpuUsage();
  for (let i = 0; ; i++) {
    stage.pass();
    const cpu = process.cpuUsage(warm0);
    if (i >= 2 && (cpu.user + cpu.system) / 1e6 >= seconds) break;
  }
  const probe = new ProcessProbe();
  const perRound: number[] = [];
  const samples: ProcessSample[] = [];
  let output = 0;
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    probe.start();
    const cpu0 = process.cpuUsage();
    let passes = 0;
    for (;;) {
      output = stage.pass();
      passes++;
      const cpu = process.cpuUsage(cpu0);
      if ((cpu.user + cpu.system) / 1e6 >= seconds) break;
    }
    const sample = await probe.stop();
    samples.push(sample);
    events += passes * eventsPerPass;
    perRound.push((passes * eventsPerPass * 1000) / sample.cpuMs);
  }
  probe.dispose();
  const sorted = [...perRound].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const wall = samples.reduce((a, x) => a + x.wallMs, 0);
  const gc = samples.reduce((a, x) => a + x.gc.totalMs, 0);
  return {
    name: stage.name,
    description: stage.description,
    events,
    outputPerPass: output,
    eventsPerCoreSecond: median,
    rounds: perRound,
    usPerEvent: 1e6 / median,
    gcShare: wall > 0 ? gc / wall : 0,
    process: samples,
  };
}
