/** Logs and metrics shared by the whole process. */
import { type Logger, pino } from 'pino';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'relais' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Credentials never reach a log line, whatever a module passes in.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'token',
          '*.token',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}

export interface CoreMetrics {
  registry: Registry;
  callEvents: Counter<'type'>;
  callsRecorded: Counter<'outcome'>;
  lookups: Histogram<'result'>;
  liveCalls: Gauge;
  recordErrors: Counter;
}

export function createMetrics(sources: { liveCalls: () => number }): CoreMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'relais_process_' });
  return {
    registry,
    callEvents: new Counter({
      name: 'relais_call_events_total',
      help: 'Call events received from the links, by type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    callsRecorded: new Counter({
      name: 'relais_call_records_total',
      help: 'Call records committed, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    lookups: new Histogram({
      name: 'relais_customer_lookup_seconds',
      help: 'Time from call offered to caller identified.',
      labelNames: ['result'],
      buckets: [0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    liveCalls: new Gauge({
      name: 'relais_live_calls',
      help: 'Calls the tracker follows now.',
      registers: [registry],
      collect() {
        this.set(sources.liveCalls());
      },
    }),
    recordErrors: new Counter({
      name: 'relais_call_record_errors_total',
      help: 'Call record batches that failed to commit (retried).',
      registers: [registry],
    }),
  };
}
