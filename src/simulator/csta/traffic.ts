/**
 * The traffic generator: Poisson arrivals at `ratePerSecond`, each call's fate drawn from the
 * ratios. Everything comes from one seeded stream, in a fixed order per call, so the same options
 * and seed give the same list of calls whatever the timing of the run.
 */
import type { CallPlan } from './call-plan.js';
import { SimulatorError } from './errors.js';
import type { Presentation } from './identifiers.js';
import { Random } from './random.js';

export type MsRange = readonly [number, number];

export interface TrafficOptions {
  ratePerSecond: number;
  /** Caller numbers to draw from (E.164 or national). */
  anis: string[];
  /** Dialled numbers to draw from. */
  dnisList: string[];
  /** Share of alerted calls the first agent answers; the rest ring unanswered and are forwarded (0.9). */
  answerRatio?: number;
  /** Share of calls the caller abandons before an agent answers (0.05). */
  abandonRatio?: number;
  /** Share of answered calls put on hold once (0.1). */
  holdRatio?: number;
  /** Share of answered calls transferred to another agent (0.05). */
  transferRatio?: number;
  /** Share of callers who withhold their number: `<restricted/>` (0.05). */
  withheldRatio?: number;
  /** Share of callers whose number the network does not give: `<notKnown/>` (0.01). */
  unknownRatio?: number;
  /** Share of answered calls the caller ends (the agent ends the others) (0.5). */
  callerReleaseRatio?: number;
  talkMs?: MsRange;
  ringMs?: MsRange;
  holdMs?: MsRange;
  abandonAfterMs?: MsRange;
  /** Device the calls enter at; default from the DNIS routes. */
  routePoint?: string;
  /** Stop after this many calls. */
  maxCalls?: number;
  /** Stop placing calls after this long. */
  durationMs?: number;
  seed?: number;
}

export interface PlannedCall {
  /** Time since the previous call (the first: since the start). */
  delayMs: number;
  plan: CallPlan;
}

const DEFAULTS = {
  answerRatio: 0.9,
  abandonRatio: 0.05,
  holdRatio: 0.1,
  transferRatio: 0.05,
  withheldRatio: 0.05,
  unknownRatio: 0.01,
  callerReleaseRatio: 0.5,
  talkMs: [20_000, 180_000] as MsRange,
  ringMs: [1_000, 6_000] as MsRange,
  holdMs: [5_000, 30_000] as MsRange,
  abandonAfterMs: [2_000, 30_000] as MsRange,
  seed: 1,
};

/** Draws the calls of a traffic, one after the other. */
export class TrafficPlanner {
  private readonly rnd: Random;
  private readonly o: Required<Omit<TrafficOptions, 'routePoint' | 'maxCalls' | 'durationMs'>> &
    Pick<TrafficOptions, 'routePoint'>;

  constructor(options: TrafficOptions) {
    if (!(options.ratePerSecond > 0)) throw new SimulatorError('SIM_BAD_OPTION', 'ratePerSecond must be > 0');
    if (options.anis.length === 0 || options.dnisList.length === 0) {
      throw new SimulatorError('SIM_BAD_OPTION', 'traffic needs at least one ANI and one DNIS');
    }
    const o = options;
    this.o = {
      ratePerSecond: o.ratePerSecond,
      anis: o.anis,
      dnisList: o.dnisList,
      answerRatio: o.answerRatio ?? DEFAULTS.answerRatio,
      abandonRatio: o.abandonRatio ?? DEFAULTS.abandonRatio,
      holdRatio: o.holdRatio ?? DEFAULTS.holdRatio,
      transferRatio: o.transferRatio ?? DEFAULTS.transferRatio,
      withheldRatio: o.withheldRatio ?? DEFAULTS.withheldRatio,
      unknownRatio: o.unknownRatio ?? DEFAULTS.unknownRatio,
      callerReleaseRatio: o.callerReleaseRatio ?? DEFAULTS.callerReleaseRatio,
      talkMs: o.talkMs ?? DEFAULTS.talkMs,
      ringMs: o.ringMs ?? DEFAULTS.ringMs,
      holdMs: o.holdMs ?? DEFAULTS.holdMs,
      abandonAfterMs: o.abandonAfterMs ?? DEFAULTS.abandonAfterMs,
      seed: o.seed ?? DEFAULTS.seed,
      routePoint: o.routePoint,
    };
    this.rnd = new Random(this.o.seed);
  }

  next(): PlannedCall {
    const { rnd, o } = this;
    const delayMs = rnd.exponentialMs(o.ratePerSecond);
    const ani = rnd.pick(o.anis);
    const dnis = rnd.pick(o.dnisList);
    const p = rnd.next();
    const presentation: Presentation =
      p < o.withheldRatio ? 'restricted' : p < o.withheldRatio + o.unknownRatio ? 'notKnown' : 'allowed';
    const abandon = rnd.chance(o.abandonRatio);
    const abandonAfterMs = rnd.range(o.abandonAfterMs);
    const ringNoAnswer = !rnd.chance(o.answerRatio);
    const ringMs = rnd.range(o.ringMs);
    const hold = rnd.chance(o.holdRatio);
    const holdMs = rnd.range(o.holdMs);
    const transfer = rnd.chance(o.transferRatio);
    const talkMs = rnd.range(o.talkMs);
    const releasedBy = rnd.chance(o.callerReleaseRatio) ? 'caller' : 'agent';
    return {
      delayMs,
      plan: {
        ani: presentation === 'notKnown' ? undefined : ani,
        presentation,
        callerName: undefined,
        dnis,
        entry: o.routePoint,
        fate: abandon ? 'abandon' : 'answer',
        abandonAfterMs,
        ringMs,
        ringNoAnswer,
        holdMs: hold ? holdMs : undefined,
        transferTo: transfer ? 'any' : undefined,
        talkMs,
        releasedBy,
      },
    };
  }
}

/** The first `count` calls of a traffic, without placing them (to check or replay a run). */
export function planCalls(options: TrafficOptions, count: number): PlannedCall[] {
  const planner = new TrafficPlanner(options);
  return Array.from({ length: count }, () => planner.next());
}

export interface TrafficHandle {
  /** Stops placing calls; calls in progress go on to their end. */
  stop(): void;
  /** Calls placed so far. */
  readonly placed: number;
  /** Resolves once the traffic has stopped and every call it placed has ended. */
  readonly finished: Promise<void>;
}

/**
 * Places the planner's calls at their times. Arrivals are scheduled against absolute target
 * times, so rates above a call per millisecond keep their average (several calls per timer tick).
 */
export class TrafficRun implements TrafficHandle {
  placed = 0;
  readonly finished: Promise<void>;
  private stopped = false;
  private inFlight = 0;
  private target = 0;
  private startedAt = 0;
  private cancelTimer: () => void = () => {};
  private due: PlannedCall | undefined;
  private resolveFinished: () => void = () => {};

  constructor(
    private readonly planner: TrafficPlanner,
    private readonly limits: Pick<TrafficOptions, 'maxCalls' | 'durationMs'>,
    private readonly schedule: (ms: number, fn: () => void) => () => void,
    private readonly now: () => number,
    /** Places one call; returns its end, or undefined when the call could not be placed. */
    private readonly place: (plan: CallPlan) => Promise<unknown> | undefined,
  ) {
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  start(): this {
    this.startedAt = this.now();
    this.target = this.startedAt;
    this.planNext();
    return this;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer();
    if (this.inFlight === 0) this.resolveFinished();
  }

  /** Draws the next calls, placing at once those already due, and sleeps until the next one. */
  private planNext(): void {
    const { maxCalls, durationMs } = this.limits;
    while (!this.stopped) {
      if (maxCalls !== undefined && this.placed >= maxCalls) {
        this.stop();
        return;
      }
      const next = this.planner.next();
      this.target += next.delayMs;
      if (durationMs !== undefined && this.target - this.startedAt > durationMs) {
        this.stop();
        return;
      }
      const wait = this.target - this.now();
      if (wait > 0) {
        this.due = next;
        this.cancelTimer = this.schedule(wait, () => this.fire());
        return;
      }
      this.placeOne(next);
    }
  }

  private fire(): void {
    const due = this.due;
    this.due = undefined;
    if (this.stopped || !due) return;
    this.placeOne(due);
    this.planNext();
  }

  private placeOne(call: PlannedCall): void {
    this.placed++;
    const ended = this.place(call.plan);
    if (!ended) return;
    this.inFlight++;
    const settle = () => {
      this.inFlight--;
      if (this.stopped && this.inFlight === 0) this.resolveFinished();
    };
    ended.then(settle, settle);
  }
}
