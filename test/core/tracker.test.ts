import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus, type RelaisEvents } from '../../src/core/event-bus.js';
import { CallTracker, type CallTrackerOptions } from '../../src/core/tracker.js';
import { isRelaisError } from '../../src/errors.js';
import type { Call, CallEvent, CallEventType, CallRecord } from '../../src/model/call.js';
import type { NormalisedNumber } from '../../src/model/number.js';
import { prng } from '../helpers/prng.js';

/** A tiny stand-in for src/numbers: enough kinds to check how the tracker uses them. */
function normalise(raw: string | undefined): NormalisedNumber {
  const s = (raw ?? '').trim();
  if (s === '') return { kind: 'unavailable', raw: s };
  if (s === 'anonymous') return { kind: 'withheld', raw: s };
  if (/^\+\d{6,15}$/.test(s)) {
    return { kind: 'e164', e164: s, country: undefined, type: 'unknown', region: undefined, raw: s };
  }
  if (/^\d{2,6}$/.test(s)) return { kind: 'extension', extension: s, raw: s };
  return { kind: 'unknown', raw: s, reason: 'not a number' };
}

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const ANI = '+33612345678';
const DNIS = '+33140000000';

type Fields<T extends CallEventType> = Omit<
  Extract<CallEvent, { type: T }>,
  'type' | 'at' | 'link' | 'callId'
> & {
  link?: string;
  callId?: string;
};

function ev<T extends CallEventType>(type: T, at: number, fields: Fields<T>): CallEvent {
  return { link: 'pbx', callId: 'c1', ...fields, type, at } as CallEvent;
}

const offered = (at: number, f: Partial<Fields<'offered'>> = {}) =>
  ev('offered', at, { ani: ANI, dnis: DNIS, device: 'RP1', ...f });

function setup(options: Partial<CallTrackerOptions> = {}) {
  const errors: unknown[] = [];
  const bus = new EventBus<RelaisEvents>({ onError: (_topic, err) => errors.push(err) });
  const offers: Call[] = [];
  const updates: Call[] = [];
  const records: CallRecord[] = [];
  const clearedCalls: Call[] = [];
  bus.on('call.offered', (c) => offers.push(c));
  bus.on('call.updated', (c) => updates.push(c));
  bus.on('call.cleared', ({ call, record }) => {
    clearedCalls.push(call);
    records.push(record);
  });
  const tracker = new CallTracker({ normalise, bus, ...options });
  const feed = (...events: CallEvent[]) => {
    for (const e of events) tracker.ingest(e);
  };
  return { bus, tracker, feed, offers, updates, records, clearedCalls, errors };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(s(0));
});

afterEach(() => {
  vi.useRealTimers();
});

/** offered 0s, queued 2s, alerting 10s, connected 15s, held 30–45s, cleared 75s. */
const answeredCall: CallEvent[] = [
  offered(s(0)),
  ev('queued', s(2), { queue: 'sales' }),
  ev('alerting', s(10), { device: '2001', agentId: 'A1' }),
  ev('connected', s(15), { device: '2001', agentId: 'A1' }),
  ev('held', s(30), { device: '2001' }),
  ev('retrieved', s(45), { device: '2001' }),
  ev('cleared', s(75), { cause: 'normal' }),
];

const answeredRecord: CallRecord = {
  callId: 'c1',
  link: 'pbx',
  aniKind: 'e164',
  ani: ANI,
  dnis: DNIS,
  queue: 'sales',
  agentId: 'A1',
  device: '2001',
  startedAt: s(0),
  answeredAt: s(15),
  endedAt: s(75),
  waitMs: 15_000,
  talkMs: 45_000,
  holdMs: 15_000,
  transfers: 0,
  outcome: 'answered',
  cause: 'normal',
};

describe('CallTracker: the life of a call', () => {
  it('records a normal answered call with exact durations', () => {
    const { tracker, feed, offers, updates, records } = setup();
    feed(...answeredCall);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ id: 'c1', link: 'pbx', state: 'offered', device: 'RP1' });
    expect(offers[0]?.ani.number).toMatchObject({ kind: 'e164', e164: ANI });
    expect(updates.map((c) => c.state)).toEqual([
      'queued',
      'alerting',
      'connected',
      'held',
      'connected',
      'cleared',
    ]);
    expect(tracker.get('pbx', 'c1')).toMatchObject({ state: 'cleared', holdMs: 15_000, endedAt: s(75) });

    vi.advanceTimersByTime(999);
    expect(records).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(records).toEqual([answeredRecord]);
    expect(tracker.size).toBe(0);
    expect(tracker.get('pbx', 'c1')).toBeUndefined();
  });

  it('shows the live call while it goes on', () => {
    const { tracker, feed } = setup();
    feed(...answeredCall.slice(0, 5));
    const live = tracker.get('pbx', 'c1');
    expect(live).toMatchObject({
      state: 'held',
      queue: 'sales',
      device: '2001',
      agentId: 'A1',
      offeredAt: s(0),
      queuedAt: s(2),
      alertingAt: s(10),
      answeredAt: s(15),
      heldSince: s(30),
      holdMs: 0,
    });
    expect(live?.endedAt).toBeUndefined();
    expect(tracker.list().map((c) => c.id)).toEqual(['c1']);
  });

  it('records a call abandoned in the queue', () => {
    const { feed, records } = setup();
    feed(offered(s(0)), ev('queued', s(1), { queue: 'sales' }), ev('cleared', s(41), {}));
    vi.advanceTimersByTime(1000);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'abandoned', waitMs: 41_000, talkMs: 0, holdMs: 0 });
    expect(records[0]?.answeredAt).toBeUndefined();
  });

  it('records a call abandoned while ringing', () => {
    const { feed, records } = setup();
    feed(offered(s(0)), ev('alerting', s(3), { device: '2001' }), ev('cleared', s(20), {}));
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ outcome: 'abandoned', waitMs: 20_000, device: '2001' });
  });

  it('records an unanswered call that never reached a queue nor a phone', () => {
    const { feed, records } = setup();
    feed(offered(s(0)), ev('cleared', s(4), {}));
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ outcome: 'unanswered', waitMs: 4000, talkMs: 0 });
  });

  it('records a failed call with its cause; failed wins over cleared', () => {
    const { feed, records, clearedCalls } = setup();
    feed(offered(s(0)), ev('failed', s(2), { cause: 'busy' }), ev('cleared', s(3), { cause: 'normal' }));
    vi.advanceTimersByTime(1000);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'failed', cause: 'busy', endedAt: s(2), waitMs: 2000 });
    expect(clearedCalls[0]?.state).toBe('failed');
  });

  it('keeps answered as the outcome of a call that failed after being answered', () => {
    const { feed, records } = setup();
    feed(offered(s(0)), ev('connected', s(5), { device: '2001' }), ev('failed', s(65), { cause: 'network' }));
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ outcome: 'answered', cause: 'network', talkMs: 60_000 });
  });

  it('closes a hold still open at clear at the clear time', () => {
    const { feed, records, clearedCalls } = setup();
    feed(
      offered(s(0)),
      ev('connected', s(10), { device: '2001' }),
      ev('held', s(20), {}),
      ev('retrieved', s(25), {}),
      ev('held', s(40), {}),
      ev('cleared', s(70), {}),
    );
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ holdMs: 35_000, talkMs: 25_000, waitMs: 10_000 });
    expect(clearedCalls[0]?.heldSince).toBeUndefined();
    expect(clearedCalls[0]?.holdMs).toBe(35_000);
  });

  it('ignores a repeated held while on hold and a retrieved while not', () => {
    const { feed, records } = setup();
    feed(
      offered(s(0)),
      ev('connected', s(10), { device: '2001' }),
      ev('retrieved', s(12), { device: '2001' }),
      ev('held', s(20), { device: '2001' }),
      ev('held', s(22), { device: '2002' }),
      ev('retrieved', s(30), {}),
      ev('cleared', s(50), {}),
    );
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ holdMs: 10_000, talkMs: 30_000 });
  });

  it('counts transfers and follows the device', () => {
    const { tracker, feed, records, updates } = setup();
    feed(
      offered(s(0)),
      ev('connected', s(10), { device: '2001', agentId: 'A1' }),
      ev('transferred', s(40), { from: '2001', to: '2002' }),
    );
    expect(tracker.get('pbx', 'c1')).toMatchObject({ state: 'connected', device: '2002', transfers: 1 });
    expect(updates.at(-1)).toMatchObject({ state: 'connected', device: '2002' });
    feed(ev('transferred', s(60), { from: '2002', to: '2003' }), ev('cleared', s(90), {}));
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ transfers: 2, device: '2003', talkMs: 80_000, outcome: 'answered' });
  });

  it('follows a diversion', () => {
    const { tracker, feed } = setup();
    feed(
      offered(s(0)),
      ev('alerting', s(1), { device: '2001' }),
      ev('diverted', s(20), { from: '2001', to: '2009', reason: 'noAnswer' }),
    );
    expect(tracker.get('pbx', 'c1')).toMatchObject({ state: 'alerting', device: '2009', transfers: 0 });
  });

  it('keeps the names and the redirecting number of the offer', () => {
    const { tracker, feed } = setup();
    feed(offered(s(0), { aniName: 'DUPONT J', redirectingNumber: '+33140000099' }));
    const call = tracker.get('pbx', 'c1');
    expect(call?.ani.name).toBe('DUPONT J');
    expect(call?.redirectingNumber).toMatchObject({ kind: 'e164', e164: '+33140000099' });
  });

  it('writes ani/dnis only for e164 and extensions', () => {
    const { feed, records } = setup();
    feed(
      offered(s(0), { callId: 'a', ani: 'anonymous', dnis: '4000' }),
      ev('cleared', s(1), { callId: 'a' }),
      offered(s(0), { callId: 'b', ani: '', dnis: 'garbage' }),
      ev('cleared', s(1), { callId: 'b' }),
    );
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ aniKind: 'withheld', dnis: '4000' });
    expect(records[0]?.ani).toBeUndefined();
    expect(records[1]).toMatchObject({ aniKind: 'unavailable' });
    expect(records[1]?.ani).toBeUndefined();
    expect(records[1]?.dnis).toBeUndefined();
  });
});

describe('CallTracker: events out of order', () => {
  it('fills in alertingAt from an alerting that arrives after connected, without going back', () => {
    const { tracker, feed, updates } = setup();
    feed(offered(s(0)), ev('connected', s(8), { device: '2001', agentId: 'A1' }));
    const before = updates.length;
    feed(ev('alerting', s(5), { device: '2001', agentId: 'A1' }));
    expect(updates).toHaveLength(before);
    expect(tracker.get('pbx', 'c1')).toMatchObject({
      state: 'connected',
      alertingAt: s(5),
      answeredAt: s(8),
    });
  });

  it('creates the call from an alerting that arrives before the offer, then completes it', () => {
    const { tracker, feed, offers, updates } = setup();
    feed(ev('alerting', s(3), { device: '2001' }));
    expect(offers).toHaveLength(0);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ state: 'alerting', offeredAt: s(3), device: '2001' });
    expect(updates[0]?.ani.number.kind).toBe('unavailable');
    expect(updates[0]?.dnis.number.kind).toBe('unavailable');

    feed(offered(s(0)));
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ state: 'alerting', offeredAt: s(0), device: '2001' });
    expect(offers[0]?.ani.number.kind).toBe('e164');

    // A second offer (another monitor, another eventId) does not offer the call again.
    feed(offered(s(0), { eventId: 'other', device: 'RP2' }));
    expect(offers).toHaveLength(1);
    expect(tracker.get('pbx', 'c1')?.device).toBe('2001');
  });

  it('amends a cleared call with a connected that arrives within the grace window', () => {
    const { feed, records } = setup();
    feed(offered(s(0)), ev('cleared', s(60), {}));
    vi.advanceTimersByTime(900);
    feed(ev('connected', s(10), { device: '2001', agentId: 'A1' }));
    vi.advanceTimersByTime(100);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      outcome: 'answered',
      answeredAt: s(10),
      waitMs: 10_000,
      talkMs: 50_000,
    });
  });

  it('does not restart the grace window on a second end', () => {
    const { feed, records } = setup();
    feed(offered(s(0)), ev('cleared', s(60), {}));
    vi.advanceTimersByTime(600);
    feed(ev('failed', s(61), { cause: 'x' }));
    vi.advanceTimersByTime(400);
    expect(records).toHaveLength(1);
  });

  it('takes the earliest connected as answeredAt', () => {
    const { feed, records } = setup();
    feed(
      offered(s(0)),
      ev('connected', s(20), { device: '2002' }),
      ev('connected', s(12), { device: '2001' }),
      ev('cleared', s(30), {}),
    );
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ answeredAt: s(12), device: '2002', talkMs: 18_000 });
  });
});

describe('CallTracker: duplicates and replays', () => {
  it('gives one record with the same durations when every event is sent twice', () => {
    const { feed, records, offers } = setup();
    for (const e of answeredCall) feed(e, e);
    vi.advanceTimersByTime(1000);
    expect(offers).toHaveLength(1);
    expect(records).toEqual([answeredRecord]);
  });

  it('drops a duplicate by eventId even when its other fields differ', () => {
    const { tracker, feed } = setup();
    feed(
      offered(s(0)),
      ev('connected', s(10), { device: '2001', eventId: 'e1' }),
      ev('held', s(20), { eventId: 'e2' }),
      ev('held', s(25), { eventId: 'e2' }),
    );
    expect(tracker.get('pbx', 'c1')?.heldSince).toBe(s(20));
    expect(tracker.stats.duplicates).toBe(1);
  });

  it('tells apart two events of one type at one millisecond on different devices', () => {
    const { tracker, feed } = setup();
    feed(
      offered(s(0)),
      ev('alerting', s(1), { device: '2001' }),
      ev('alerting', s(1), { device: '2002' }),
      ev('alerting', s(1), { device: '2002' }),
    );
    expect(tracker.stats).toMatchObject({ accepted: 3, duplicates: 1 });
  });

  it('ignores a cleared replayed after finalisation', () => {
    const { tracker, feed, records, updates } = setup();
    feed(...answeredCall);
    vi.advanceTimersByTime(1000);
    const updatesBefore = updates.length;
    feed(ev('cleared', s(75), { cause: 'normal' }), ev('cleared', s(80), { eventId: 'replay' }));
    feed(ev('connected', s(15), { device: '2001' }));
    vi.advanceTimersByTime(5000);
    expect(records).toHaveLength(1);
    expect(tracker.size).toBe(0);
    expect(updates).toHaveLength(updatesBefore);
    expect(tracker.stats.late).toBe(3);
  });

  it('ignores a late offered for a finished call but starts a new call when the PBX reuses its id', () => {
    const { tracker, feed, records, offers } = setup();
    feed(offered(s(0)), ev('cleared', s(10), {}));
    vi.advanceTimersByTime(1000);
    feed(offered(s(0)));
    expect(tracker.size).toBe(0);
    feed(offered(s(3600)));
    expect(tracker.size).toBe(1);
    expect(offers).toHaveLength(2);
    feed(ev('cleared', s(3610), {}));
    vi.advanceTimersByTime(1000);
    expect(records.map((r) => r.startedAt)).toEqual([s(0), s(3600)]);
  });

  it('remembers only the last dedupeWindow finished keys', () => {
    const { tracker, feed, records } = setup({ dedupeWindow: 1 });
    feed(offered(s(0), { callId: 'a' }), ev('cleared', s(1), { callId: 'a' }));
    vi.advanceTimersByTime(1000);
    feed(offered(s(0), { callId: 'b' }), ev('cleared', s(1), { callId: 'b' }));
    vi.advanceTimersByTime(1000);
    feed(ev('cleared', s(1), { callId: 'b' }));
    expect(tracker.size).toBe(0);
    // 'a' has been forgotten: its replay is taken for a new call.
    feed(ev('cleared', s(1), { callId: 'a' }));
    expect(tracker.size).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(records).toHaveLength(3);
  });
});

describe('CallTracker: calls it never saw begin', () => {
  it('records a call seen only through its end', () => {
    const { feed, records, updates } = setup();
    feed(ev('cleared', s(9), { callId: 'ghost' }));
    expect(updates).toHaveLength(1);
    expect(updates[0]?.state).toBe('cleared');
    vi.advanceTimersByTime(1000);
    expect(records).toEqual([
      {
        callId: 'ghost',
        link: 'pbx',
        aniKind: 'unavailable',
        startedAt: s(9),
        endedAt: s(9),
        waitMs: 0,
        talkMs: 0,
        holdMs: 0,
        transfers: 0,
        outcome: 'unanswered',
      },
    ]);
  });

  it('records a call first seen connected', () => {
    const { feed, records, offers } = setup();
    feed(ev('connected', s(5), { device: '2001', agentId: 'A1' }), ev('cleared', s(65), {}));
    vi.advanceTimersByTime(1000);
    expect(offers).toHaveLength(0);
    expect(records[0]).toMatchObject({
      outcome: 'answered',
      startedAt: s(5),
      answeredAt: s(5),
      waitMs: 0,
      talkMs: 60_000,
      aniKind: 'unavailable',
    });
  });

  it('keeps calls of different links apart', () => {
    const { tracker, feed } = setup();
    feed(offered(s(0), { link: 'csta' }), offered(s(0), { link: 'sip' }));
    expect(tracker.size).toBe(2);
    expect(tracker.get('csta', 'c1')).toBeDefined();
    expect(tracker.get('sip', 'c1')).toBeDefined();
  });
});

describe('CallTracker: bad input', () => {
  it('rejects events with no callId, no link or an unknown type, without throwing', () => {
    const { tracker, updates, offers } = setup();
    const bad: unknown[] = [
      null,
      undefined,
      42,
      { type: 'offered', link: 'pbx', at: s(0), ani: ANI, dnis: DNIS },
      { type: 'offered', link: 'pbx', callId: '', at: s(0), ani: ANI, dnis: DNIS },
      { type: 'offered', callId: 'c1', at: s(0), ani: ANI, dnis: DNIS },
      { type: 'exploded', link: 'pbx', callId: 'c1', at: s(0) },
      { link: 'pbx', callId: 'c1', at: s(0) },
    ];
    for (const e of bad) expect(() => tracker.ingest(e as CallEvent)).not.toThrow();
    expect(tracker.rejected).toBe(bad.length);
    expect(tracker.size).toBe(0);
    expect(updates).toHaveLength(0);
    expect(offers).toHaveLength(0);
  });

  it('stamps an event without a usable timestamp with the clock', () => {
    const { tracker } = setup({ clock: { now: () => s(42) } });
    tracker.ingest({ ...offered(0), at: Number.NaN });
    expect(tracker.get('pbx', 'c1')?.offeredAt).toBe(s(42));
  });

  it('survives a normaliser that throws', () => {
    const bus = new EventBus<RelaisEvents>({ onError: () => {} });
    const tracker = new CallTracker({
      bus,
      normalise: () => {
        throw new Error('bad plan');
      },
    });
    tracker.ingest(offered(s(0)));
    expect(tracker.get('pbx', 'c1')?.ani.number).toEqual({ kind: 'unknown', raw: ANI, reason: 'bad plan' });
  });

  it('keeps working when a listener throws', () => {
    const { bus, feed, records, errors } = setup();
    bus.on('call.updated', () => {
      throw new Error('listener bug');
    });
    feed(...answeredCall);
    vi.advanceTimersByTime(1000);
    expect(records).toEqual([answeredRecord]);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('stops remembering events of a call that receives too many, but still ends it', () => {
    const { tracker, feed, records } = setup();
    feed(offered(s(0)), ev('connected', s(1), { device: '2001' }));
    for (let i = 0; i < 1200; i++) feed(ev(i % 2 === 0 ? 'held' : 'retrieved', s(2) + i, {}));
    expect(tracker.rejected).toBe(202);
    feed(ev('cleared', s(100), {}));
    vi.advanceTimersByTime(1000);
    expect(records).toHaveLength(1);
  });

  it('refuses bad options', () => {
    const bus = new EventBus<RelaisEvents>({ onError: () => {} });
    for (const bad of [{ maxCalls: 0 }, { clearGraceMs: -1 }, { dedupeWindow: 1.5 }]) {
      let caught: unknown;
      try {
        new CallTracker({ bus, normalise, ...bad });
      } catch (err) {
        caught = err;
      }
      expect(isRelaisError(caught, 'RELAIS_ERR_CONFIG_INVALID')).toBe(true);
    }
  });
});

describe('CallTracker: memory, shutdown and the pipeline', () => {
  it('evicts the oldest live call as failed when maxCalls is exceeded', () => {
    const { tracker, feed, records } = setup({ maxCalls: 2 });
    feed(offered(s(0), { callId: 'a' }), ev('alerting', s(4), { callId: 'a', device: '2001' }));
    feed(offered(s(1), { callId: 'b' }));
    expect(records).toHaveLength(0);
    feed(offered(s(2), { callId: 'c' }));
    expect(tracker.size).toBe(2);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      callId: 'a',
      outcome: 'failed',
      cause: 'evicted',
      endedAt: s(4),
      waitMs: 4000,
    });
    expect(tracker.list().map((c) => c.id)).toEqual(['b', 'c']);
    expect(tracker.stats.evicted).toBe(1);
    // A late event of the evicted call neither resurrects it nor evicts another one.
    feed(ev('cleared', s(30), { callId: 'a' }));
    expect(tracker.size).toBe(2);
    expect(records).toHaveLength(1);
  });

  it('keeps answered as the outcome of an evicted call that was answered', () => {
    const { feed, records, clearedCalls } = setup({ maxCalls: 1 });
    feed(offered(s(0), { callId: 'a' }), ev('connected', s(3), { callId: 'a', device: '2001' }));
    feed(ev('held', s(10), { callId: 'a' }), offered(s(20), { callId: 'b' }));
    expect(records[0]).toMatchObject({
      callId: 'a',
      outcome: 'answered',
      cause: 'evicted',
      endedAt: s(10),
      holdMs: 0,
      talkMs: 7000,
    });
    expect(clearedCalls[0]?.state).toBe('failed');
  });

  it('evicts an ended call waiting for its grace window as it is, once', () => {
    const { feed, records } = setup({ maxCalls: 1 });
    feed(
      offered(s(0), { callId: 'a' }),
      ev('cleared', s(5), { callId: 'a' }),
      offered(s(6), { callId: 'b' }),
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ callId: 'a', outcome: 'unanswered', endedAt: s(5) });
    expect(records[0]?.cause).toBeUndefined();
    vi.advanceTimersByTime(5000);
    expect(records).toHaveLength(1);
  });

  it('flush() finalises every ended call at once and leaves live ones', () => {
    const { tracker, feed, records } = setup();
    feed(offered(s(0), { callId: 'a' }), ev('cleared', s(5), { callId: 'a' }));
    feed(offered(s(0), { callId: 'b' }), ev('failed', s(5), { callId: 'b', cause: 'busy' }));
    feed(offered(s(0), { callId: 'c' }));
    expect(tracker.flush()).toBe(2);
    expect(records.map((r) => r.callId)).toEqual(['a', 'b']);
    expect(tracker.list().map((c) => c.id)).toEqual(['c']);
    vi.advanceTimersByTime(5000);
    expect(records).toHaveLength(2);
    expect(tracker.flush()).toBe(0);
  });

  it('stop() cancels the timers and refuses later events; flush() still works', () => {
    const { tracker, feed, records } = setup();
    feed(offered(s(0)), ev('cleared', s(5), {}));
    tracker.stop();
    vi.advanceTimersByTime(5000);
    expect(records).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    feed(offered(s(0), { callId: 'late' }));
    expect(tracker.size).toBe(1);
    expect(tracker.rejected).toBe(1);
    expect(tracker.flush()).toBe(1);
    expect(records).toHaveLength(1);
  });

  it('finalises at once when clearGraceMs is 0', () => {
    const { feed, records } = setup({ clearGraceMs: 0 });
    feed(offered(s(0)), ev('cleared', s(5), {}));
    expect(records).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('annotate() attaches the customer and a queue that a queued event overrides', () => {
    const { tracker, feed, records, updates } = setup();
    feed(offered(s(0)));
    expect(tracker.annotate('pbx', 'c1', { customerId: 'K42', queue: 'vip' })).toBe(true);
    expect(updates).toHaveLength(0);
    expect(tracker.get('pbx', 'c1')).toMatchObject({ customerId: 'K42', queue: 'vip' });
    feed(ev('queued', s(1), { queue: 'sales' }), ev('cleared', s(9), {}));
    vi.advanceTimersByTime(1000);
    expect(records[0]).toMatchObject({ customerId: 'K42', queue: 'sales' });
    expect(tracker.annotate('pbx', 'c1', { customerId: 'K43' })).toBe(false);
    expect(tracker.annotate('pbx', 'nope', { customerId: 'K43' })).toBe(false);
  });

  it('hands out copies that callers cannot use to change the tracker', () => {
    const { tracker, feed, offers } = setup();
    feed(offered(s(0)));
    const copy = tracker.get('pbx', 'c1');
    if (copy === undefined) throw new Error('missing call');
    copy.state = 'cleared';
    copy.transfers = 99;
    const fromList = tracker.list()[0];
    if (fromList !== undefined) fromList.holdMs = 5;
    if (offers[0] !== undefined) offers[0].device = 'X';
    expect(tracker.get('pbx', 'c1')).toMatchObject({
      state: 'offered',
      transfers: 0,
      holdMs: 0,
      device: 'RP1',
    });
  });
});

function shuffledWithDuplicates(events: readonly CallEvent[], random: () => number): CallEvent[] {
  const out: CallEvent[] = [];
  for (const e of events) {
    const copies = 1 + Math.floor(random() * 3);
    for (let i = 0; i < copies; i++) out.push({ ...e });
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as CallEvent, out[i] as CallEvent];
  }
  return out;
}

describe('CallTracker: order does not matter within the grace window (property)', () => {
  const complexCall: CallEvent[] = [
    offered(s(0), { device: 'RP1' }),
    ev('queued', s(1), { queue: 'sales' }),
    ev('alerting', s(6), { device: '2001', agentId: 'A1' }),
    ev('connected', s(9), { device: '2001', agentId: 'A1' }),
    ev('held', s(20), { device: '2001' }),
    ev('retrieved', s(26), { device: '2001' }),
    ev('transferred', s(30), { from: '2001', to: '2002' }),
    ev('held', s(40), { device: '2002' }),
    ev('retrieved', s(47), { device: '2002' }),
    ev('held', s(60), { device: '2002' }),
    ev('cleared', s(90), { cause: 'normal' }),
  ];
  const withEventIds = complexCall.map((e, i) => ({ ...e, eventId: `ev-${i}` }));
  const abandonedCall: CallEvent[] = [
    offered(s(0)),
    ev('queued', s(2), { queue: 'support' }),
    ev('alerting', s(30), { device: '2005' }),
    ev('diverted', s(45), { from: '2005', to: '2006' }),
    ev('cleared', s(50), {}),
  ];
  const failedCall: CallEvent[] = [
    offered(s(0)),
    ev('alerting', s(1), { device: '2001' }),
    ev('failed', s(3), { cause: 'busy' }),
    ev('cleared', s(4), {}),
  ];

  function recordOf(events: readonly CallEvent[], spacingMs: (i: number) => number): CallRecord[] {
    const { feed, records, offers } = setup();
    events.forEach((e, i) => {
      vi.advanceTimersByTime(spacingMs(i));
      feed(e);
    });
    vi.advanceTimersByTime(1000);
    expect(offers).toHaveLength(1);
    return records;
  }

  const scenarios = { complexCall, withEventIds, abandonedCall, failedCall };
  for (const [name, events] of Object.entries(scenarios)) {
    it(`${name}: 300 random permutations with duplicates give the in-order record`, () => {
      const expected = recordOf(events, () => 0);
      expect(expected).toHaveLength(1);
      const random = prng(0x5eed + name.length);
      for (let run = 0; run < 300; run++) {
        const permuted = shuffledWithDuplicates(events, random);
        // Spread the arrivals, but keep them all before the grace window of the first end closes.
        const step = Math.floor(900 / permuted.length);
        const got = recordOf(permuted, () => Math.floor(random() * step));
        expect(got, `run ${run}: ${permuted.map((e) => e.type).join(',')}`).toEqual(expected);
      }
    });
  }

  it('the complex call has the durations worked out by hand', () => {
    const [record] = recordOf(complexCall, () => 0);
    // Holds: 20–26, 40–47, 60–90 (open at clear) = 6 + 7 + 30 s.
    expect(record).toMatchObject({
      outcome: 'answered',
      waitMs: 9000,
      holdMs: 43_000,
      talkMs: 81_000 - 43_000,
      transfers: 1,
      device: '2002',
      agentId: 'A1',
      queue: 'sales',
    });
  });
});
