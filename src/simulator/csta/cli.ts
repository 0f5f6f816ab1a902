/**
 * `relais simulate csta`: runs the switch simulator from the command line (the lead wires it as a
 * subcommand). Listens (or dials a listening CTI server), optionally generates traffic, prints
 * counters every few seconds and once more when it stops (SIGINT, SIGTERM, --duration).
 */
import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { RelaisError } from '../../errors.js';
import type { IdentifierStyle } from './identifiers.js';
import type { DevicePlanOptions, SimulatorOptions } from './options.js';
import { Random } from './random.js';
import { CstaSimulator } from './simulator.js';
import type { SimulatorStats } from './stats.js';
import type { ConnectOptions, ListenOptions } from './transport.js';

export const SIMULATE_CSTA_HELP = `Usage: relais simulate csta [options]

Runs a simulated PBX speaking CSTA XML (ECMA-323) for tests, demos and benchmarks.

Connection:
  --host ADDR            listen address (default 127.0.0.1)
  --port N               listen port (default 1040)
  --connect HOST:PORT    dial a listening CTI server instead of listening
  --tls-cert FILE        PEM certificate: serve (or dial) over TLS
  --tls-key FILE         PEM private key of the certificate
  --tls-ca FILE          PEM CA: clients must present a certificate it signed (when
                         listening), or the CA that signed the server's (when dialling)
  --framing KIND         header (8-byte header with invoke id, default) or nul
  --namespace NS         ed3 (default), ed2, none, or a namespace URI
  --identifiers STYLE    plain (0612345678, default), e164 (+33612345678) or
                         unify (N<+33612345678>;displayNumber=Name)
  --country-code CC      country calling code of the switch (default 33)
  --require-session      refuse requests until StartApplicationSession
  --reply-timeout MS     RouteRequest reply timeout (default 5000)
  --status-interval MS   send SystemStatus normal this often (default: never)

Switch:
  --agents FROM-TO       agent extensions (default 2001-2050), in ACD group 3001,
                         behind route point 3000

Traffic:
  --rate N               calls per second (default 0: no traffic, calls only on demand)
  --seed N               seed of the traffic (default 1): same seed, same calls
  --anis LIST            comma-separated caller numbers (default 500 numbers from the seed)
  --dnis LIST            comma-separated dialled numbers (default +33140000000)
  --talk MIN-MAX         talk time in ms (default 20000-180000)
  --duration S           stop after S seconds (default: until SIGINT or SIGTERM)
  --stats-interval S     print counters every S seconds (default 10; 0: only at the end)
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  connect: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
  framing: { type: 'string' },
  namespace: { type: 'string' },
  identifiers: { type: 'string' },
  'country-code': { type: 'string' },
  'require-session': { type: 'boolean' },
  'reply-timeout': { type: 'string' },
  'status-interval': { type: 'string' },
  agents: { type: 'string' },
  rate: { type: 'string' },
  seed: { type: 'string' },
  anis: { type: 'string' },
  dnis: { type: 'string' },
  talk: { type: 'string' },
  duration: { type: 'string' },
  'stats-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface SimulatorCliIo {
  stdout?: Writable;
  /** Stops the simulator (besides SIGINT and SIGTERM). */
  signal?: AbortSignal;
  /** Called once the simulator listens or is connected (tests). */
  onReady?(sim: CstaSimulator): void;
}

export async function runSimulatorCli(args: string[], io: SimulatorCliIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    out.write(SIMULATE_CSTA_HELP);
    return 0;
  }
  const sim = new CstaSimulator(simulatorOptions(values));
  const stopped = waitForStop(
    io.signal,
    values.duration === undefined ? undefined : num('--duration', values.duration) * 1000,
  );
  try {
    if (values.connect !== undefined) {
      await sim.connect(connectOptions(values));
      out.write(`relais simulate csta: connected to ${values.connect}\n`);
    } else {
      const address = await sim.listen(listenOptions(values));
      out.write(
        `relais simulate csta: listening on ${address.host}:${address.port}${values['tls-cert'] ? ' (TLS)' : ''}\n`,
      );
    }
    io.onReady?.(sim);
    const rate = values.rate === undefined ? 0 : num('--rate', values.rate);
    const seed = values.seed === undefined ? 1 : num('--seed', values.seed);
    if (rate > 0) {
      sim.startTraffic({
        ratePerSecond: rate,
        seed,
        anis: values.anis?.split(',').filter(Boolean) ?? defaultAnis(seed),
        dnisList: values.dnis?.split(',').filter(Boolean) ?? ['+33140000000'],
        talkMs: values.talk === undefined ? undefined : pair('--talk', values.talk),
      });
    }
    const every =
      values['stats-interval'] === undefined ? 10 : num('--stats-interval', values['stats-interval']);
    const ticker =
      every > 0 ? setInterval(() => out.write(`${statsLine(sim.stats())}\n`), every * 1000) : undefined;
    await stopped.promise;
    if (ticker) clearInterval(ticker);
    out.write(`${statsLine(sim.stats())}\n`);
    return 0;
  } finally {
    stopped.dispose();
    await sim.close();
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function simulatorOptions(v: Values): SimulatorOptions {
  return {
    framing: oneOf('--framing', v.framing, ['header', 'nul'] as const),
    namespace: v.namespace,
    identifiers: oneOf<IdentifierStyle>('--identifiers', v.identifiers, ['plain', 'e164', 'unify']),
    countryCode: v['country-code'],
    requireSession: v['require-session'] ?? false,
    replyTimeoutMs: v['reply-timeout'] === undefined ? undefined : num('--reply-timeout', v['reply-timeout']),
    systemStatusIntervalMs:
      v['status-interval'] === undefined ? undefined : num('--status-interval', v['status-interval']),
    devices: devicePlan(v.agents),
  };
}

function devicePlan(agents: string | undefined): DevicePlanOptions | undefined {
  if (agents === undefined) return undefined;
  const [from, to] = pair('--agents', agents);
  if (to < from || to - from > 10_000)
    throw usage(`--agents expects FROM-TO with at most 10000 extensions (got "${agents}")`);
  return { agents: Array.from({ length: to - from + 1 }, (_, i) => String(from + i)) };
}

function listenOptions(v: Values): ListenOptions {
  return {
    host: v.host ?? '127.0.0.1',
    port: v.port === undefined ? 1040 : port('--port', v.port),
    tls: tlsFiles(v)
      ? {
          cert: read('--tls-cert', v['tls-cert']),
          key: read('--tls-key', v['tls-key']),
          ca: v['tls-ca'] === undefined ? undefined : read('--tls-ca', v['tls-ca']),
          requestCert: v['tls-ca'] !== undefined,
        }
      : undefined,
  };
}

function connectOptions(v: Values): ConnectOptions {
  const m = /^(.+):([0-9]{1,5})$/.exec(v.connect ?? '');
  if (!m?.[1] || !m[2]) throw usage(`--connect expects HOST:PORT (got "${v.connect}")`);
  const ca = v['tls-ca'] === undefined ? undefined : read('--tls-ca', v['tls-ca']);
  const withCert = tlsFiles(v);
  return {
    host: m[1],
    port: port('--connect', m[2]),
    tls:
      withCert || ca
        ? {
            ca,
            cert: withCert ? read('--tls-cert', v['tls-cert']) : undefined,
            key: withCert ? read('--tls-key', v['tls-key']) : undefined,
          }
        : undefined,
  };
}

function tlsFiles(v: Values): boolean {
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined))
    throw usage('--tls-cert and --tls-key go together');
  return v['tls-cert'] !== undefined;
}

function read(option: string, file: string | undefined): Buffer {
  try {
    return readFileSync(file ?? '');
  } catch (err) {
    throw usage(`${option}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function num(option: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw usage(`${option} expects a number ≥ 0 (got "${value}")`);
  return n;
}

function port(option: string, value: string): number {
  const n = num(option, value);
  if (!Number.isInteger(n) || n > 65535) throw usage(`${option} expects a port number (got "${value}")`);
  return n;
}

function pair(option: string, value: string): [number, number] {
  const m = /^([0-9]+)-([0-9]+)$/.exec(value);
  if (!m) throw usage(`${option} expects MIN-MAX (got "${value}")`);
  return [Number(m[1]), Number(m[2])];
}

function oneOf<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw usage(`${option} expects ${allowed.join(' or ')} (got "${value}")`);
  return value as T;
}

function usage(message: string): RelaisError {
  return new RelaisError('RELAIS_ERR_USAGE', message);
}

/** 500 French mobile numbers drawn from the seed. */
function defaultAnis(seed: number): string[] {
  const rnd = new Random(seed ^ 0x5eed);
  return Array.from({ length: 500 }, () => `+336${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`);
}

function waitForStop(signal: AbortSignal | undefined, afterMs: number | undefined) {
  let done: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    done = resolve;
  });
  const timer = afterMs === undefined ? undefined : setTimeout(done, afterMs);
  process.once('SIGINT', done);
  process.once('SIGTERM', done);
  signal?.addEventListener('abort', done, { once: true });
  if (signal?.aborted) done();
  return {
    promise,
    dispose() {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      signal?.removeEventListener('abort', done);
    },
  };
}

export function statsLine(s: SimulatorStats): string {
  const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(2));
  return [
    `calls placed=${s.callsPlaced} answered=${s.callsAnswered} abandoned=${s.callsAbandoned} failed=${s.callsFailed} blocked=${s.callsBlocked}`,
    `events=${s.eventsSent}`,
    `route requests=${s.routeRequestsSent} selects=${s.routeSelectsReceived} timeouts=${s.routeTimeouts} late=${s.routeSelectsLate}`,
    `latency p50=${ms(s.routeLatency.p50)}ms p99=${ms(s.routeLatency.p99)}ms p99.9=${ms(s.routeLatency.p999)}ms`,
  ].join(' | ');
}
