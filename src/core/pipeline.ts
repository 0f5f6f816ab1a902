/**
 * The pipeline ties the services to call state (DESIGN.md step 4): when a call is offered, find
 * who is calling and tell the subscribers; when it ends, keep its record. It is the only module
 * that knows about both the tracker and the directory.
 */
import type { LookupResult } from '../customers/directory.js';
import type { Call, CallRecord } from '../model/call.js';
import type { NormalisedNumber } from '../model/number.js';
import type { EventBus, RelaisEvents } from './event-bus.js';
import type { CallTracker } from './tracker.js';

export interface PipelineDeps {
  bus: EventBus<RelaisEvents>;
  tracker: CallTracker;
  directory: { lookupNumber(n: NormalisedNumber): LookupResult | Promise<LookupResult> };
  records: { write(r: CallRecord): Promise<void> };
  /** Observes the lookup time in seconds and whether the caller was known. */
  observeLookup?: (seconds: number, known: boolean) => void;
  onError: (what: string, err: unknown) => void;
}

export function startPipeline(d: PipelineDeps): () => void {
  const offFirst = d.bus.on('call.offered', (call) => identify(d, call));
  const offCleared = d.bus.on('call.cleared', ({ record }) => {
    d.records.write(record).catch((e) => d.onError('call record', e));
  });
  return () => {
    offFirst();
    offCleared();
  };
}

function identify(d: PipelineDeps, call: Call): void {
  const started = performance.now();
  const done = (r: LookupResult) => {
    d.observeLookup?.((performance.now() - started) / 1000, r.customer !== null);
    if (r.customer) d.tracker.annotate(call.link, call.id, { customerId: r.customer.id });
    d.bus.emit('call.identified', {
      call: d.tracker.get(call.link, call.id) ?? call,
      customer: r.customer,
      matches: r.matches,
    });
  };
  try {
    const r = d.directory.lookupNumber(call.ani.number);
    // A cached answer is used in the same tick: no await on the hot path.
    if (r instanceof Promise) r.then(done, (e) => d.onError('customer lookup', e));
    else done(r);
  } catch (e) {
    d.onError('customer lookup', e);
  }
}
