/**
 * The call tracker: one state machine per call, fed with `CallEvent`s by every link, which turns
 * them into live `Call`s and, once a call is over, into exactly one `CallRecord`.
 *
 * ```
 *                 (any event for an unseen call creates it, in the state that event implies)
 *
 *   offered ──▶ queued ──▶ alerting ──▶ connected ◀──▶ held
 *      │           │           │            │             │
 *      └───────────┴───────────┴────────────┴─────────────┴──▶ cleared | failed ──(clearGraceMs)──▶ record
 * ```
 *
 * Links lose, repeat and reorder events (two CSTA monitors, a reconnecting AMI, UDP), so the
 * tracker keeps the *facts* each event brings (earliest timestamps, latest device, hold marks)
 * and derives the call from them. The result does not depend on the order of arrival, only on
 * the events' own timestamps.
 *
 * MUST-rules:
 * 1. A call is keyed by `${link}:${callId}`.
 * 2. An event with no `callId`, no `link` or an unknown `type` is counted in `rejected` and
 *    ignored; `ingest` never throws. An event whose `at` is not a number is stamped `clock.now()`.
 * 3. A duplicate (same `eventId`, or same type + `at` + device/queue/target when there is no
 *    `eventId`) is counted in `duplicates` and ignored.
 * 4. An event for an unseen call creates it. Until its `offered` arrives, ANI and DNIS are
 *    `unavailable`. `offeredAt` is the earliest timestamp seen for the call.
 * 5. The state only moves forward: offered < queued < alerting < connected. `held`/`retrieved`
 *    imply connected, and the call is `held` while a hold is open, ordering hold marks by their
 *    timestamps. `cleared` and `failed` are terminal; `failed` wins over `cleared`.
 * 6. A late event never moves the state back but fills in its own fact: `queuedAt`,
 *    `alertingAt`, `answeredAt` (the earliest `connected`) and `endedAt` are the earliest
 *    timestamps seen; device, agent and queue come from the latest (by timestamp) event
 *    carrying one (offered, alerting, connected, transferred `to`, diverted `to`; queued).
 * 7. `holdMs` sums the closed holds; a hold still open at the end is closed at `endedAt`.
 *    Each distinct `transferred` adds one to `transfers`.
 * 8. At the first terminal event the call waits `clearGraceMs`, during which late events still
 *    amend it, then is finalised: it leaves the live set, its key is remembered (the last
 *    `dedupeWindow` keys) and `call.cleared` is emitted with exactly one `CallRecord`.
 * 9. Events for a remembered key are counted in `late` and ignored, so a replayed `cleared`
 *    cannot create a call nor a second record. Only an `offered` timestamped after the finished
 *    call's end starts a new call on that key (PBXs reuse call ids).
 * 10. `call.offered` is emitted once per call, when its first `offered` arrives. `call.updated`
 *    is emitted when the state, device, agent or queue of a call changes, including when a
 *    call is created by another event than `offered`. `annotate` emits nothing.
 * 11. At most `maxCalls` calls are kept. Making room finalises the oldest call: as it is if it
 *    had already ended, else as `failed` with cause `evicted`, ended at its latest event.
 */
import { RelaisError } from '../errors.js';
import type {
  Call,
  CallEvent,
  CallEventType,
  CallOutcome,
  CallRecord,
  CallState,
  EpochMs,
} from '../model/call.js';
import { dialString, type NormalisedNumber } from '../model/number.js';
import type { EventBus, RelaisEvents } from './event-bus.js';

export interface Clock {
  now(): EpochMs;
}

export interface CallTrackerOptions {
  /** Turns a raw number into a `NormalisedNumber`; expected never to throw (guarded anyway). */
  normalise: (raw: string | undefined) => NormalisedNumber;
  bus: EventBus<RelaisEvents>;
  /** Stamps events whose `at` is missing or not a number. Default: `Date.now`. */
  clock?: Clock;
  /** How long a call waits after its first `cleared`/`failed` for late events. Default 1000 ms. */
  clearGraceMs?: number;
  /** How many finished call keys are remembered to drop replays. Default 10 000. */
  dedupeWindow?: number;
  /** Most calls kept at once (live or waiting for their grace period). Default 100 000. */
  maxCalls?: number;
}

export interface CallAnnotation {
  customerId?: string;
  /** Used until the PBX says which queue it put the call in (a `queued` event wins). */
  queue?: string;
}

export interface TrackerStats {
  /** Events that changed a call's facts. */
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Events for calls already finalised. */
  late: number;
  evicted: number;
  /** Records emitted. */
  finalised: number;
}

const DEFAULT_CLEAR_GRACE_MS = 1000;
const DEFAULT_DEDUPE_WINDOW = 10_000;
const DEFAULT_MAX_CALLS = 100_000;
/** A call never carries this many events; past it a link is looping, so stop remembering them. */
const MAX_EVENTS_PER_CALL = 1000;

const EVENT_TYPES: ReadonlySet<string> = new Set<CallEventType>([
  'offered',
  'queued',
  'alerting',
  'connected',
  'held',
  'retrieved',
  'transferred',
  'diverted',
  'cleared',
  'failed',
]);

/** Forward-only progress of a call before it ends; index = rank. */
const PHASES = ['offered', 'queued', 'alerting', 'connected'] as const;
type Phase = 0 | 1 | 2 | 3;
const PHASE_OF: Partial<Record<CallEventType, Phase>> = {
  offered: 0,
  queued: 1,
  alerting: 2,
  connected: 3,
  held: 3,
  retrieved: 3,
};

/** A value with the timestamp of the event that brought it. */
interface Stamped {
  value: string;
  at: EpochMs;
}

interface HoldMark {
  at: EpochMs;
  held: boolean;
}

/** Everything the tracker knows about one call; `call` is derived from the rest. */
interface Entry {
  key: string;
  call: Call;
  seen: Set<string>;
  phase: Phase;
  offered: boolean;
  failed: boolean;
  endedAt?: EpochMs;
  lastAt: EpochMs;
  holds: HoldMark[];
  device?: Stamped;
  agent?: Stamped;
  queue?: Stamped;
  annotatedQueue?: string;
  failCause?: Stamped;
  clearCause?: Stamped;
  forcedCause?: string;
  timer?: ReturnType<typeof setTimeout>;
}

/** What the tracker reads from an event once it has been checked. */
type Checked = CallEvent & { at: EpochMs };

export class CallTracker {
  readonly #normalise: (raw: string | undefined) => NormalisedNumber;
  readonly #bus: EventBus<RelaisEvents>;
  readonly #clock: Clock;
  readonly #clearGraceMs: number;
  readonly #dedupeWindow: number;
  readonly #maxCalls: number;
  /** Insertion order = creation order, which makes the first entry the one to evict. */
  readonly #calls = new Map<string, Entry>();
  /** Finished keys → their end, oldest first. */
  readonly #finished = new Map<string, EpochMs>();
  readonly #stats: TrackerStats = {
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    late: 0,
    evicted: 0,
    finalised: 0,
  };
  #stopped = false;

  constructor(options: CallTrackerOptions) {
    this.#normalise = options.normalise;
    this.#bus = options.bus;
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#clearGraceMs = checkCount('clearGraceMs', options.clearGraceMs ?? DEFAULT_CLEAR_GRACE_MS, 0);
    this.#dedupeWindow = checkCount('dedupeWindow', options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW, 0);
    this.#maxCalls = checkCount('maxCalls', options.maxCalls ?? DEFAULT_MAX_CALLS, 1);
  }

  /** Feeds one event from any link. Never throws because of the event. */
  ingest(event: CallEvent): void {
    const ev = this.#check(event);
    if (ev === undefined) {
      this.#stats.rejected++;
      return;
    }
    const key = `${ev.link}:${ev.callId}`;
    if (this.#isFinished(key, ev)) {
      this.#stats.late++;
      return;
    }
    const existing = this.#calls.get(key);
    if (existing === undefined) this.#create(key, ev);
    else this.#amend(existing, ev);
  }

  /** A copy of the live call, or undefined once it is finalised or if it was never seen. */
  get(link: string, callId: string): Call | undefined {
    const entry = this.#calls.get(`${link}:${callId}`);
    return entry === undefined ? undefined : snapshot(entry.call);
  }

  /** Copies of every call not finalised yet (including those in their grace period), oldest first. */
  list(): Call[] {
    return [...this.#calls.values()].map((e) => snapshot(e.call));
  }

  /** Attaches what the pipeline learnt about a call. Returns false if the call is not (or no longer) kept. */
  annotate(link: string, callId: string, patch: CallAnnotation): boolean {
    const entry = this.#calls.get(`${link}:${callId}`);
    if (entry === undefined) return false;
    if (patch.customerId !== undefined) entry.call.customerId = patch.customerId;
    if (patch.queue !== undefined) entry.annotatedQueue = patch.queue;
    derive(entry);
    return true;
  }

  /** Number of calls kept (live or in their grace period). */
  get size(): number {
    return this.#calls.size;
  }

  /** Events counted in `rejected`: malformed, past the per-call limit, or received after `stop()`. */
  get rejected(): number {
    return this.#stats.rejected;
  }

  get stats(): Readonly<TrackerStats> {
    return { ...this.#stats };
  }

  /** Finalises now every call that has ended (graceful shutdown). Returns how many were finalised. */
  flush(): number {
    const ended = [...this.#calls.values()].filter((e) => e.endedAt !== undefined);
    for (const entry of ended) this.#finalise(entry);
    return ended.length;
  }

  /** Cancels every timer; later events are rejected. Calls still kept stay readable and flushable. */
  stop(): void {
    this.#stopped = true;
    for (const entry of this.#calls.values()) {
      if (entry.timer !== undefined) clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }

  #check(event: CallEvent): Checked | undefined {
    if (this.#stopped || typeof event !== 'object' || event === null) return undefined;
    if (!isText(event.callId) || !isText(event.link) || !EVENT_TYPES.has(event.type)) return undefined;
    const at = Number.isFinite(event.at) ? event.at : this.#clock.now();
    return { ...event, at };
  }

  #isFinished(key: string, ev: Checked): boolean {
    const endedAt = this.#finished.get(key);
    if (endedAt === undefined) return false;
    // A new offer after the old call ended is the PBX reusing the call id, not a replay.
    if (ev.type === 'offered' && ev.at > endedAt) {
      this.#finished.delete(key);
      return false;
    }
    return true;
  }

  #create(key: string, ev: Checked): void {
    if (this.#calls.size >= this.#maxCalls) this.#evictOldest();
    const entry = newEntry(key, ev);
    this.#calls.set(key, entry);
    entry.seen.add(fingerprint(ev));
    this.#stats.accepted++;
    this.#apply(entry, ev);
    derive(entry);
    // A call first seen through another event still tells listeners where it is.
    this.#bus.emit(ev.type === 'offered' ? 'call.offered' : 'call.updated', snapshot(entry.call));
    this.#scheduleIfEnded(entry);
  }

  #amend(entry: Entry, ev: Checked): void {
    const fp = fingerprint(ev);
    if (entry.seen.has(fp)) {
      this.#stats.duplicates++;
      return;
    }
    const terminal = ev.type === 'cleared' || ev.type === 'failed';
    // Past the limit only an end still counts, so that a looping link cannot keep a call alive.
    if (entry.seen.size >= MAX_EVENTS_PER_CALL && !terminal) {
      this.#stats.rejected++;
      return;
    }
    if (entry.seen.size < MAX_EVENTS_PER_CALL) entry.seen.add(fp);
    this.#stats.accepted++;
    const before = visible(entry.call);
    const firstOffer = this.#apply(entry, ev);
    derive(entry);
    if (firstOffer) this.#bus.emit('call.offered', snapshot(entry.call));
    if (visible(entry.call) !== before) this.#bus.emit('call.updated', snapshot(entry.call));
    this.#scheduleIfEnded(entry);
  }

  /** Records the facts `ev` brings. Returns true when it is the call's first `offered`. */
  #apply(entry: Entry, ev: Checked): boolean {
    const call = entry.call;
    call.offeredAt = Math.min(call.offeredAt, ev.at);
    entry.lastAt = Math.max(entry.lastAt, ev.at);
    entry.phase = Math.max(entry.phase, PHASE_OF[ev.type] ?? 0) as Phase;
    switch (ev.type) {
      case 'offered':
        entry.device = latest(entry.device, ev.device, ev.at);
        return this.#applyOffer(entry, ev);
      case 'queued':
        call.queuedAt = earliest(call.queuedAt, ev.at);
        entry.queue = latest(entry.queue, ev.queue, ev.at);
        break;
      case 'alerting':
        call.alertingAt = earliest(call.alertingAt, ev.at);
        entry.device = latest(entry.device, ev.device, ev.at);
        entry.agent = latest(entry.agent, ev.agentId, ev.at);
        break;
      case 'connected':
        call.answeredAt = earliest(call.answeredAt, ev.at);
        entry.device = latest(entry.device, ev.device, ev.at);
        entry.agent = latest(entry.agent, ev.agentId, ev.at);
        break;
      case 'held':
      case 'retrieved':
        entry.holds.push({ at: ev.at, held: ev.type === 'held' });
        break;
      case 'transferred':
        call.transfers++;
        entry.device = latest(entry.device, ev.to, ev.at);
        break;
      case 'diverted':
        entry.device = latest(entry.device, ev.to, ev.at);
        break;
      case 'cleared':
        entry.endedAt = earliest(entry.endedAt, ev.at);
        entry.clearCause = earliestStamp(entry.clearCause, ev.cause, ev.at);
        break;
      case 'failed':
        entry.endedAt = earliest(entry.endedAt, ev.at);
        entry.failed = true;
        entry.failCause = earliestStamp(entry.failCause, ev.cause, ev.at);
        break;
    }
    return false;
  }

  #applyOffer(entry: Entry, ev: Checked & { type: 'offered' }): boolean {
    // Only the first offer names the parties: a second one is a re-presentation of the same call.
    if (entry.offered) return false;
    entry.offered = true;
    const call = entry.call;
    call.ani = isText(ev.aniName)
      ? { number: this.#number(ev.ani), name: ev.aniName }
      : { number: this.#number(ev.ani) };
    call.dnis = { number: this.#number(ev.dnis) };
    if (ev.redirectingNumber !== undefined) call.redirectingNumber = this.#number(ev.redirectingNumber);
    return true;
  }

  #number(raw: unknown): NormalisedNumber {
    const text = typeof raw === 'string' ? raw : undefined;
    try {
      return this.#normalise(text);
    } catch (err) {
      // The normaliser promises not to throw; if it does, one bad number must not lose the call.
      return { kind: 'unknown', raw: text ?? '', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  #scheduleIfEnded(entry: Entry): void {
    if (entry.endedAt === undefined || entry.timer !== undefined || !this.#calls.has(entry.key)) return;
    if (this.#clearGraceMs === 0) {
      this.#finalise(entry);
      return;
    }
    entry.timer = setTimeout(() => this.#finalise(entry), this.#clearGraceMs);
  }

  #evictOldest(): void {
    const oldest = this.#calls.values().next().value;
    if (oldest === undefined) return;
    this.#stats.evicted++;
    if (oldest.endedAt === undefined) {
      // We never saw its end (lost event): end it at the last thing we know rather than now,
      // so that its durations are not inflated by the time it sat here.
      oldest.failed = true;
      oldest.forcedCause = 'evicted';
      oldest.endedAt = oldest.lastAt;
      derive(oldest);
    }
    this.#finalise(oldest);
  }

  #finalise(entry: Entry): void {
    if (this.#calls.get(entry.key) !== entry) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    this.#calls.delete(entry.key);
    const call = snapshot(entry.call);
    this.#remember(entry.key, call.endedAt ?? entry.lastAt);
    this.#stats.finalised++;
    this.#bus.emit('call.cleared', { call, record: toRecord(call) });
  }

  #remember(key: string, endedAt: EpochMs): void {
    this.#finished.delete(key);
    this.#finished.set(key, endedAt);
    while (this.#finished.size > this.#dedupeWindow) {
      const oldest = this.#finished.keys().next().value;
      if (oldest === undefined) break;
      this.#finished.delete(oldest);
    }
  }
}

function newEntry(key: string, ev: Checked): Entry {
  const unavailable: NormalisedNumber = { kind: 'unavailable', raw: '' };
  return {
    key,
    call: {
      id: ev.callId,
      link: ev.link,
      state: 'offered',
      ani: { number: unavailable },
      dnis: { number: unavailable },
      offeredAt: ev.at,
      holdMs: 0,
      transfers: 0,
    },
    seen: new Set(),
    phase: 0,
    offered: false,
    failed: false,
    lastAt: ev.at,
    holds: [],
  };
}

/** Recomputes the parts of `entry.call` that depend on several facts. */
function derive(entry: Entry): void {
  const call = entry.call;
  const hold = foldHolds(entry.holds, entry.endedAt);
  call.holdMs = hold.holdMs;
  setOptional(call, 'heldSince', hold.heldSince);
  call.state = stateOf(entry, hold.heldSince !== undefined);
  setOptional(call, 'endedAt', entry.endedAt);
  setOptional(call, 'device', entry.device?.value);
  setOptional(call, 'agentId', entry.agent?.value);
  setOptional(call, 'queue', entry.queue?.value ?? entry.annotatedQueue);
  setOptional(call, 'cause', entry.forcedCause ?? entry.failCause?.value ?? entry.clearCause?.value);
}

function stateOf(entry: Entry, onHold: boolean): CallState {
  if (entry.endedAt !== undefined) return entry.failed ? 'failed' : 'cleared';
  if (entry.phase === 3) return onHold ? 'held' : 'connected';
  return PHASES[entry.phase];
}

/**
 * Sums hold periods from marks ordered by timestamp (stable, so equal timestamps keep their
 * arrival order). A `held` while on hold and a `retrieved` while not are no-ops; a hold open
 * at `end` is closed there.
 */
function foldHolds(marks: readonly HoldMark[], end?: EpochMs): { holdMs: number; heldSince?: EpochMs } {
  const sorted = marks.length > 1 ? [...marks].sort((a, b) => a.at - b.at) : marks;
  let holdMs = 0;
  let since: EpochMs | undefined;
  for (const mark of sorted) {
    if (end !== undefined && mark.at > end) break;
    if (mark.held) since ??= mark.at;
    else if (since !== undefined) {
      holdMs += mark.at - since;
      since = undefined;
    }
  }
  if (end !== undefined && since !== undefined) {
    holdMs += end - since;
    since = undefined;
  }
  return since === undefined ? { holdMs } : { holdMs, heldSince: since };
}

/** The call's one record, from its final view. */
export function toRecord(call: Call): CallRecord {
  const endedAt = call.endedAt ?? call.offeredAt;
  const answeredAt = call.answeredAt;
  const record: CallRecord = {
    callId: call.id,
    link: call.link,
    aniKind: call.ani.number.kind,
    startedAt: call.offeredAt,
    endedAt,
    waitMs: nonNegative((answeredAt ?? endedAt) - call.offeredAt),
    talkMs: answeredAt === undefined ? 0 : nonNegative(endedAt - answeredAt - call.holdMs),
    holdMs: call.holdMs,
    transfers: call.transfers,
    outcome: outcomeOf(call),
  };
  setOptional(record, 'ani', dialString(call.ani.number));
  setOptional(record, 'dnis', dialString(call.dnis.number));
  setOptional(record, 'customerId', call.customerId);
  setOptional(record, 'queue', call.queue);
  setOptional(record, 'agentId', call.agentId);
  setOptional(record, 'device', call.device);
  setOptional(record, 'answeredAt', answeredAt);
  setOptional(record, 'cause', call.cause);
  return record;
}

function outcomeOf(call: Call): CallOutcome {
  if (call.answeredAt !== undefined) return 'answered';
  if (call.state === 'failed') return 'failed';
  // The caller reached a queue or a ringing phone and hung up before anyone answered.
  if (call.queuedAt !== undefined || call.alertingAt !== undefined) return 'abandoned';
  return 'unanswered';
}

function fingerprint(ev: Checked): string {
  if (isText(ev.eventId)) return `id:${ev.eventId}`;
  return `${ev.type}|${ev.at}|${where(ev) ?? ''}`;
}

/** The place an event is about, to tell apart two events of one type at the same millisecond. */
function where(ev: Checked): string | undefined {
  switch (ev.type) {
    case 'queued':
      return ev.queue;
    case 'transferred':
    case 'diverted':
      return ev.to;
    case 'cleared':
    case 'failed':
      return undefined;
    default:
      return ev.device;
  }
}

/** What `call.updated` listeners care about; compared before and after each event. */
function visible(call: Call): string {
  return `${call.state}|${call.device ?? ''}|${call.agentId ?? ''}|${call.queue ?? ''}`;
}

function earliest(current: EpochMs | undefined, at: EpochMs): EpochMs {
  return current === undefined ? at : Math.min(current, at);
}

function latest(current: Stamped | undefined, value: unknown, at: EpochMs): Stamped | undefined {
  if (!isText(value)) return current;
  // `>=`: at the same millisecond the later arrival is the better guess.
  return current === undefined || at >= current.at ? { value, at } : current;
}

function earliestStamp(current: Stamped | undefined, value: unknown, at: EpochMs): Stamped | undefined {
  if (!isText(value)) return current;
  return current === undefined || at < current.at ? { value, at } : current;
}

/** Copies the call so that listeners and callers cannot see or make later changes. */
function snapshot(call: Call): Call {
  return { ...call };
}

/** Sets or deletes an optional key, so that snapshots carry no `key: undefined`. */
function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function nonNegative(ms: number): number {
  return Math.max(ms, 0);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RelaisError('RELAIS_ERR_CONFIG_INVALID', `${name} must be an integer ≥ ${min}`, {
      details: { key: name, value },
    });
  }
  return value;
}
