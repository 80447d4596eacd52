// "N business hours" across both DST changes of a northern (Paris, New York) and a southern
// (Sydney) time zone, across weekends and a holiday. Instants are written in UTC with the local
// time beside them, so each expectation can be checked by hand.
import { describe, expect, it } from 'vitest';
import { addBusinessHours, type BusinessCalendar, businessMsBetween, isBusinessTime, nextBusinessTime } from '../../src/core/sla/business-hours.ts';

const HOUR = 3_600_000;
const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const cal = (timezone: string, over: Partial<BusinessCalendar> = {}): BusinessCalendar => ({
  timezone,
  days: WEEKDAYS,
  start: '09:00',
  end: '17:00',
  holidays: [],
  ...over,
});
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('working windows keep their wall-clock length across DST', () => {
  // Every date below is a Sunday, the only working day of the calendar, so the window is alone.
  it.each([
    // zone, hours, opening (UTC), length of that day's window
    ['Europe/Paris', '00:00-24:00', '2026-03-28T23:00:00Z', 23], // 29 March, spring forward: a 23-hour day
    ['Europe/Paris', '01:00-03:00', '2026-03-29T00:00:00Z', 1], // 02:00–03:00 does not exist
    ['Europe/Paris', '00:00-24:00', '2026-10-24T22:00:00Z', 25], // 25 October, fall back: a 25-hour day
    ['Europe/Paris', '09:00-17:00', '2026-10-25T08:00:00Z', 8], // office hours untouched
    ['Australia/Sydney', '00:00-24:00', '2026-04-04T13:00:00Z', 25], // 5 April, southern autumn: clocks go back
    ['Australia/Sydney', '00:00-24:00', '2026-10-03T14:00:00Z', 23], // 4 October, southern spring: clocks go forward
    ['America/New_York', '00:00-24:00', '2026-03-08T05:00:00Z', 23],
    ['America/New_York', '00:00-24:00', '2026-11-01T04:00:00Z', 25],
  ])('%s, %s from %s: %d h', (tz, hours, openingIso, length) => {
    const [start, end] = hours.split('-') as [string, string];
    const c = cal(tz, { days: [0], start, end });
    const opening = at(openingIso);
    const closing = new Date(opening.getTime() + length * HOUR);
    expect(isBusinessTime(new Date(opening.getTime() - 1), c)).toBe(false);
    expect(isBusinessTime(opening, c)).toBe(true);
    expect(isBusinessTime(new Date(closing.getTime() - 1), c)).toBe(true);
    expect(isBusinessTime(closing, c)).toBe(false);
    expect(businessMsBetween(new Date(opening.getTime() - 2 * 86_400_000), new Date(closing.getTime() + 2 * 86_400_000), c)).toBe(length * HOUR);
    expect(iso(addBusinessHours(new Date(opening.getTime() - HOUR), length, c))).toBe(iso(closing));
  });
});

describe('addBusinessHours', () => {
  it('a round-the-clock calendar counts real hours, even across a 23-hour day (Paris, spring)', () => {
    const c = cal('Europe/Paris', { days: EVERY_DAY, start: '00:00', end: '24:00' });
    // Sat 28 March 12:00 CET → +24 h is Sun 29 March 13:00 CEST: 24 real hours, 25 on the clock.
    expect(iso(addBusinessHours(at('2026-03-28T11:00:00Z'), 24, c))).toBe('2026-03-29T11:00:00.000Z');
  });

  it('a round-the-clock calendar counts real hours across a 25-hour day (Sydney, autumn)', () => {
    const c = cal('Australia/Sydney', { days: EVERY_DAY, start: '00:00', end: '24:00' });
    // Sat 4 April 12:00 AEDT (01:00Z) → +24 h is Sun 5 April 11:00 AEST (01:00Z next day).
    expect(iso(addBusinessHours(at('2026-04-04T01:00:00Z'), 24, c))).toBe('2026-04-05T01:00:00.000Z');
  });

  it.each([
    // Paris: Fri 27 March 15:00 CET + 4 h → 2 h Friday, 2 h Monday 30 March (now CEST) → 11:00 CEST.
    ['Europe/Paris', '2026-03-27T14:00:00Z', 4, '2026-03-30T09:00:00.000Z'],
    // Paris: Fri 23 Oct 16:00 CEST + 3 h → 1 h Friday, 2 h Monday 26 Oct (now CET) → 11:00 CET.
    ['Europe/Paris', '2026-10-23T14:00:00Z', 3, '2026-10-26T10:00:00.000Z'],
    // Sydney: Fri 3 April 16:00 AEDT + 2 h → 1 h Friday, 1 h Monday 6 April (now AEST) → 10:00 AEST.
    ['Australia/Sydney', '2026-04-03T05:00:00Z', 2, '2026-04-06T00:00:00.000Z'],
    // Sydney: Fri 2 Oct 16:00 AEST + 2 h → 1 h Friday, 1 h Monday 5 Oct (now AEDT) → 10:00 AEDT.
    ['Australia/Sydney', '2026-10-02T06:00:00Z', 2, '2026-10-04T23:00:00.000Z'],
    // New York: Fri 6 March 16:00 EST + 2 h → 10:00 EDT on Monday 9 March.
    ['America/New_York', '2026-03-06T21:00:00Z', 2, '2026-03-09T14:00:00.000Z'],
    // New York: Fri 30 Oct 16:00 EDT + 2 h → 10:00 EST on Monday 2 November.
    ['America/New_York', '2026-10-30T20:00:00Z', 2, '2026-11-02T15:00:00.000Z'],
  ])('%s: %s + %d business hours over the DST weekend = %s', (tz, from, hours, due) => {
    expect(iso(addBusinessHours(at(from), hours, cal(tz)))).toBe(due);
  });

  it('24 business hours of an 8-hour day is three working days', () => {
    // Mon 7 Dec 2026 09:00 CET → end of Wed 9 Dec (a closing time exactly).
    expect(iso(addBusinessHours(at('2026-12-07T08:00:00Z'), 24, cal('Europe/Paris')))).toBe('2026-12-09T16:00:00.000Z');
  });

  it('skips a holiday, then the weekend', () => {
    const c = cal('Europe/Paris', { holidays: ['2026-12-25'] });
    // Thu 24 Dec 16:00 CET + 4 h → 1 h Thursday; Friday is Christmas; 3 h on Mon 28 Dec → 12:00 CET.
    expect(iso(addBusinessHours(at('2026-12-24T15:00:00Z'), 4, c))).toBe('2026-12-28T11:00:00.000Z');
    expect(iso(addBusinessHours(at('2026-12-24T15:00:00Z'), 4, cal('Europe/Paris')))).toBe('2026-12-25T11:00:00.000Z');
  });

  it('starts the clock at the next opening when the item arrives at night', () => {
    // Tue 8 Dec 22:30 CET + 0.5 h → Wed 09:30 CET.
    expect(iso(addBusinessHours(at('2026-12-08T21:30:00Z'), 0.5, cal('Europe/Paris')))).toBe('2026-12-09T08:30:00.000Z');
  });

  it('refuses a non-positive or non-finite number of hours', () => {
    for (const h of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addBusinessHours(at('2026-12-08T10:00:00Z'), h, cal('Europe/Paris'))).toThrow(RangeError);
    }
  });

  it('refuses a calendar with no working time instead of looping forever', () => {
    expect(() => addBusinessHours(at('2026-12-08T10:00:00Z'), 1, cal('Europe/Paris', { days: [] }))).toThrow(/no working days/);
    expect(() => addBusinessHours(at('2026-12-08T10:00:00Z'), 1, cal('Europe/Paris', { start: '17:00', end: '09:00' }))).toThrow(/close after it opens/);
    expect(() => addBusinessHours(at('2026-12-08T10:00:00Z'), 1, cal('Europe/Paris', { start: '9am' }))).toThrow(/HH:MM/);
    // Only Mondays, and every Monday of the next two years a holiday.
    const mondays: string[] = [];
    for (let t = Date.UTC(2026, 11, 7); mondays.length < 110; t += 7 * 86_400_000) mondays.push(new Date(t).toISOString().slice(0, 10));
    expect(() => addBusinessHours(at('2026-12-05T10:00:00Z'), 1, cal('Europe/Paris', { days: [1], holidays: mondays }))).toThrow(/no working time in/);
  });
});

describe('businessMsBetween, isBusinessTime, nextBusinessTime', () => {
  it('undoes addBusinessHours, across DST and holidays', () => {
    const zones = ['Europe/Paris', 'Australia/Sydney', 'America/New_York'];
    const starts = ['2026-03-27T14:00:00Z', '2026-04-03T05:00:00Z', '2026-10-02T06:00:00Z', '2026-10-23T14:00:00Z', '2026-12-24T15:00:00Z'];
    for (const tz of zones) {
      const c = cal(tz, { holidays: ['2026-12-25', '2026-04-06'] });
      for (const s of starts) {
        for (const h of [0.5, 2, 8, 24, 40]) {
          const from = nextBusinessTime(at(s), c);
          expect(businessMsBetween(from, addBusinessHours(from, h, c), c), `${tz} ${s} +${h}`).toBe(h * HOUR);
        }
      }
    }
  });

  it('counts nothing for a reversed range or outside working time', () => {
    const c = cal('Europe/Paris');
    expect(businessMsBetween(at('2026-12-09T10:00:00Z'), at('2026-12-08T10:00:00Z'), c)).toBe(0);
    // Sat 12 Dec to Sun 13 Dec.
    expect(businessMsBetween(at('2026-12-12T00:00:00Z'), at('2026-12-13T23:00:00Z'), c)).toBe(0);
  });

  it('opening is working time, closing is not', () => {
    const c = cal('Europe/Paris');
    expect(isBusinessTime(at('2026-12-08T08:00:00Z'), c)).toBe(true); // 09:00 CET
    expect(isBusinessTime(at('2026-12-08T07:59:00Z'), c)).toBe(false);
    expect(isBusinessTime(at('2026-12-08T16:00:00Z'), c)).toBe(false); // 17:00 CET
    expect(isBusinessTime(at('2026-12-12T10:00:00Z'), c)).toBe(false); // Saturday
  });

  it('holidays are local dates: Christmas morning in Sydney is still 24 December in UTC', () => {
    const sydney = cal('Australia/Sydney');
    const christmasMorning = at('2026-12-24T22:00:00Z'); // Fri 25 Dec 09:00 AEDT
    expect(isBusinessTime(christmasMorning, sydney)).toBe(true);
    expect(isBusinessTime(christmasMorning, { ...sydney, holidays: ['2026-12-25'] })).toBe(false);
    expect(isBusinessTime(christmasMorning, { ...sydney, holidays: ['2026-12-24'] })).toBe(true);
  });

  it('nextBusinessTime is the instant itself in working time, else the next opening', () => {
    const c = cal('Europe/Paris');
    expect(iso(nextBusinessTime(at('2026-12-08T10:00:00Z'), c))).toBe('2026-12-08T10:00:00.000Z');
    // Fri 11 Dec 18:00 CET → Mon 14 Dec 09:00 CET.
    expect(iso(nextBusinessTime(at('2026-12-11T17:00:00Z'), c))).toBe('2026-12-14T08:00:00.000Z');
  });
});
