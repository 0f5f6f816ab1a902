/** Business hours in the calendar's own zone, across DST changes, holidays and closed dates. */
import { describe, expect, it } from 'vitest';
import { LocalClock, localTime, parseRange, validDate } from '../../../src/routing/plan/calendar.js';
import { call, plan } from './helpers.js';

const at = (iso: string) => call({ now: Date.parse(iso) });

const CALENDARS = `
queues: [{ id: q, device: "1" }]
calendars:
  paris:
    hours: { mon-sun: ["08:00-18:00"] }
    holidays: ["12-25", "2026-04-06"]
    closedDates: ["2026-08-14"]
  newyork:
    timezone: America/New_York
    hours: { mon-fri: ["09:00-17:00"] }
  night:
    hours: { fri-mon: ["00:00-06:00", "22:00-24:00"] }
default: { destination: "5000" }
`;
const withRule = (cal: string) =>
  plan(`${CALENDARS}rules:\n  - { name: open, when: { time: { calendar: ${cal} } }, then: { queue: q } }\n`);
const plans = { paris: withRule('paris'), newyork: withRule('newyork'), night: withRule('night') };
const p = plans.paris;
const open = (cal: keyof typeof plans, iso: string) => plans[cal].decide(at(iso)).rule === 'open';

describe('calendars', () => {
  it('opens at 08:00 local on both sides of the spring DST change in Paris (29 March 2026)', () => {
    // Saturday: 06:30 UTC is 07:30 CET, closed. Sunday after the change: 06:30 UTC is 08:30 CEST, open.
    expect(open('paris', '2026-03-28T06:30:00Z')).toBe(false);
    expect(open('paris', '2026-03-29T06:30:00Z')).toBe(true);
    expect(open('paris', '2026-03-29T05:59:00Z')).toBe(false); // 07:59 CEST
    expect(open('paris', '2026-03-29T15:59:00Z')).toBe(true); // 17:59 CEST
    expect(open('paris', '2026-03-29T16:00:00Z')).toBe(false); // 18:00 CEST
  });

  it('and on both sides of the autumn change (25 October 2026)', () => {
    expect(open('paris', '2026-10-24T06:30:00Z')).toBe(true); // 08:30 CEST
    expect(open('paris', '2026-10-25T06:30:00Z')).toBe(false); // 07:30 CET
    expect(open('paris', '2026-10-25T07:00:00Z')).toBe(true); // 08:00 CET
    expect(open('paris', '2026-10-25T16:59:00Z')).toBe(true); // 17:59 CET
  });

  it("keeps each calendar's zone: New York changes on another date (8 March 2026)", () => {
    // Friday 6 March, 14:30 UTC = 09:30 EST; Monday 9 March, 13:30 UTC = 09:30 EDT.
    expect(open('newyork', '2026-03-06T14:30:00Z')).toBe(true);
    expect(open('newyork', '2026-03-09T13:30:00Z')).toBe(true);
    expect(open('newyork', '2026-03-09T12:30:00Z')).toBe(false); // 08:30 EDT
    expect(open('newyork', '2026-03-07T15:00:00Z')).toBe(false); // a Saturday
  });

  it('closes on holidays, dated or every year, and on closed dates, and says which in the trace', () => {
    expect(open('paris', '2026-12-25T10:00:00Z')).toBe(false);
    expect(open('paris', '2031-12-25T10:00:00Z')).toBe(false);
    expect(open('paris', '2026-12-24T10:00:00Z')).toBe(true);
    expect(open('paris', '2026-04-06T10:00:00Z')).toBe(false);
    expect(open('paris', '2027-04-06T10:00:00Z')).toBe(true);
    expect(open('paris', '2026-08-14T10:00:00Z')).toBe(false);
    expect(p.decide(at('2026-12-25T10:00:00Z')).trace[0]?.conditions[0]).toEqual({
      test: 'calendar paris open',
      passed: false,
      actual: '2026-12-25 fri 11:00 holiday',
    });
    expect(p.decide(at('2026-08-14T10:00:00Z')).trace[0]?.conditions[0]?.actual).toBe(
      '2026-08-14 fri 12:00 closed date',
    );
    // The holiday is the local date: 23:30 UTC on the 24th is already the 25th in Paris.
    expect(p.decide(at('2026-12-24T23:30:00Z')).trace[0]?.conditions[0]?.actual).toBe(
      '2026-12-25 fri 00:30 holiday',
    );
  });

  it('takes day spans over the weekend and ranges up to 24:00', () => {
    expect(open('night', '2026-11-27T22:30:00Z')).toBe(true); // Friday 23:30
    expect(open('night', '2026-11-29T04:00:00Z')).toBe(true); // Sunday 05:00
    expect(open('night', '2026-11-30T04:00:00Z')).toBe(true); // Monday 05:00
    expect(open('night', '2026-12-01T04:00:00Z')).toBe(false); // Tuesday 05:00
    expect(open('night', '2026-11-27T12:00:00Z')).toBe(false); // Friday 13:00
  });
});

describe('local time', () => {
  it('reads weekday, minutes and date in the zone', () => {
    expect(localTime(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Paris')).toEqual({
      day: 'sun',
      minutes: 3 * 60 + 30,
      date: '2026-03-29',
    });
    expect(localTime(Date.parse('2026-11-25T09:00:00Z'), 'Pacific/Kiritimati')).toEqual({
      day: 'wed',
      minutes: 23 * 60,
      date: '2026-11-25',
    });
  });

  it('has no answer for an instant no Date holds, and time conditions then fail', () => {
    expect(localTime(Number.NaN, 'Europe/Paris')).toBeUndefined();
    expect(new LocalClock(9e15).at('UTC')).toBeUndefined();
    const d = p.decide(call({ now: Number.POSITIVE_INFINITY }));
    expect(d.rule).toBe('default');
    expect(d.trace[0]?.conditions[0]).toEqual({
      test: 'calendar paris open',
      passed: false,
      actual: 'no valid time',
    });
  });

  it('caches per zone within one decision', () => {
    const clock = new LocalClock(Date.parse('2026-11-25T09:00:00Z'));
    expect(clock.at('Europe/Paris')?.minutes).toBe(600);
    expect(clock.at('America/New_York')?.minutes).toBe(240);
    expect(clock.at('Europe/Paris')).toBe(clock.at('Europe/Paris'));
    expect(clock.at('America/New_York')).toBe(clock.at('America/New_York'));
  });

  it('parses ranges and dates strictly', () => {
    expect(parseRange('08:00-12:30')).toEqual([480, 750]);
    expect(parseRange('22:00-24:00')).toEqual([1320, 1440]);
    for (const bad of [
      '8:00-12:00',
      '12:00-12:00',
      '18:00-08:00',
      '24:00-24:30',
      '08:00-24:01',
      '08:00 - 12:00',
    ])
      expect(parseRange(bad)).toBeUndefined();
    expect(validDate('2028-02-29')).toBe(true);
    expect(validDate('02-29')).toBe(true);
    expect(validDate('2027-02-29')).toBe(false);
    expect(validDate('2026-13-01')).toBe(false);
    expect(validDate('04-31')).toBe(false);
  });
});
