/**
 * Local time for the plan's time conditions: weekday, minute of the day and date of an instant in
 * an IANA zone, through Intl (the zone database follows DST; no arithmetic on offsets here).
 */
import { DAY_NAMES, type DayName } from './schema.js';

export interface LocalTime {
  day: DayName;
  /** Minutes since local midnight. */
  minutes: number;
  /** `YYYY-MM-DD`, local. */
  date: string;
}

/** Minutes [from, to) of a `HH:MM-HH:MM` range. */
export type MinuteRange = readonly [number, number];

/** A calendar ready to answer "open now?": ranges per day, closed dates as a set. */
export interface CompiledCalendar {
  tz: string;
  open: ReadonlyMap<DayName, readonly MinuteRange[]>;
  /** `YYYY-MM-DD` (one day) or `MM-DD` (that day every year) → why it is closed. */
  closed: ReadonlyMap<string, 'holiday' | 'closed date'>;
}

// One formatter per zone for the life of the process: building one costs far more than a decision.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Whether Intl knows the zone (it throws a RangeError on an unknown one). */
export function validZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds either side of the epoch a Date can hold (ECMA-262 §21.4.1.22). */
const MAX_TIME = 8.64e15;

/**
 * The local time of `now` in `tz` (which must have passed validZone); undefined for an instant no
 * Date can hold, so that a broken clock fails time conditions rather than throwing.
 */
export function localTime(now: number, tz: string): LocalTime | undefined {
  if (!(Math.abs(now) <= MAX_TIME)) return undefined;
  let day = '';
  let hour = 0;
  let minute = 0;
  let y = '';
  let m = '';
  let d = '';
  for (const p of formatter(tz).formatToParts(now)) {
    if (p.type === 'weekday') day = p.value.toLowerCase();
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
    else if (p.type === 'year') y = p.value;
    else if (p.type === 'month') m = p.value;
    else if (p.type === 'day') d = p.value;
  }
  return { day: day as DayName, minutes: hour * 60 + minute, date: `${y}-${m}-${d}` };
}

/**
 * The local time per zone for one decision: several rules testing the same zone format the
 * instant once.
 */
export class LocalClock {
  #zone: string | undefined;
  #time: LocalTime | undefined;
  #others: Map<string, LocalTime | undefined> | undefined;

  constructor(readonly now: number) {}

  at(tz: string): LocalTime | undefined {
    // Nearly every plan has one zone: keep it out of the map.
    if (this.#zone === tz) return this.#time;
    if (this.#zone === undefined) {
      this.#zone = tz;
      this.#time = localTime(this.now, tz);
      return this.#time;
    }
    this.#others ??= new Map();
    if (!this.#others.has(tz)) this.#others.set(tz, localTime(this.now, tz));
    return this.#others.get(tz);
  }
}

/** `HH:MM-HH:MM` → minutes [from, to); undefined when malformed or empty (`24:00` may end a range). */
export function parseRange(s: string): MinuteRange | undefined {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])$/.exec(s);
  if (!m) return undefined;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  return from < to && to <= 24 * 60 ? [from, to] : undefined;
}

/** `mon-fri` → mon…fri; `fri-mon` wraps over the weekend. */
export function expandDays(key: string): DayName[] {
  const [a, b] = key.split('-') as [DayName, DayName | undefined];
  const i = DAY_NAMES.indexOf(a);
  const j = b === undefined ? i : DAY_NAMES.indexOf(b);
  return i <= j ? DAY_NAMES.slice(i, j + 1) : [...DAY_NAMES.slice(i), ...DAY_NAMES.slice(0, j + 1)];
}

/** A real calendar date: `YYYY-MM-DD`, or `MM-DD` for every year (29 February allowed). */
export function validDate(s: string): boolean {
  const m = /^(?:([0-9]{4})-)?([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const year = m[1] === undefined ? 2024 : Number(m[1]); // a leap year, for `02-29`
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why the calendar is closed all day on this local date, if it is. */
export function closedOn(cal: CompiledCalendar, date: string): 'holiday' | 'closed date' | undefined {
  return cal.closed.get(date) ?? cal.closed.get(date.slice(5));
}

export function isOpen(cal: CompiledCalendar, l: LocalTime): boolean {
  if (closedOn(cal, l.date) !== undefined) return false;
  const ranges = cal.open.get(l.day);
  if (!ranges) return false;
  for (const [a, b] of ranges) if (l.minutes >= a && l.minutes < b) return true;
  return false;
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
