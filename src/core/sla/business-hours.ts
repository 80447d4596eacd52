// "N business hours": SLA math in working time only (a route's optional calendar). Each working
// day's window is its wall-clock opening and closing converted with zonedTimeToUtc for that local
// date, so a window keeps its wall-clock length across DST changes (09:00–17:00 is 8 h even on a
// 23-hour day). Pure: instants in, instants out; iterates day by day, never minute by minute.
import { localParts, zonedTimeToUtc } from '../time/zoned-time.ts';

export type BusinessCalendar = {
  /** IANA time zone. */
  timezone: string;
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** Opening and closing, local "HH:MM"; closing after opening (no overnight shifts). */
  start: string;
  end: string;
  /** Local dates "YYYY-MM-DD" with no working time. */
  holidays: string[];
};

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DAY_MIN = 1440;
/** Two years in a row without a working window means the calendar has none: stop, don't loop. */
const MAX_IDLE_DAYS = 366 * 2;

type Window = { open: number; close: number };
/** Opening and closing as minutes after local midnight. */
type Hours = { open: number; close: number };

function minutes(s: string, what: string): number {
  const m = /^(\d{1,2}):([0-5]\d)$/.exec(s.trim());
  if (!m) throw new RangeError(`business calendar ${what} must be "HH:MM", got "${s}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Checks the calendar once per call, so a bad one fails loudly instead of yielding no windows. */
function hoursOf(cal: BusinessCalendar): Hours {
  const open = minutes(cal.start, 'start');
  // "24:00" closes at the next local midnight; anything later would be an overnight shift.
  const close = Math.min(minutes(cal.end, 'end'), DAY_MIN);
  if (open >= DAY_MIN || close <= open) throw new RangeError(`business calendar must close after it opens: ${cal.start}-${cal.end}`);
  if (!cal.days.some((d) => Number.isInteger(d) && d >= 0 && d <= 6)) throw new RangeError('business calendar has no working days');
  return { open, close };
}

/** The local date of `at` as a UTC midnight (a plain calendar date, so +DAY_MS is "next day"). */
function localDay(at: Date, tz: string): number {
  const p = localParts(at, tz);
  return Date.UTC(p.year, p.month - 1, p.day);
}

/** The instant the wall clock shows `min` minutes after the start of local date `day`. */
function wallClock(day: number, min: number, tz: string): number {
  const d = new Date(day + Math.floor(min / DAY_MIN) * DAY_MS);
  const m = min % DAY_MIN;
  const local = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(m / 60), minute: m % 60 };
  return zonedTimeToUtc(local, tz).getTime();
}

/** The working window of local date `day`, or null (not a working weekday, or a holiday). */
function windowOn(day: number, cal: BusinessCalendar, h: Hours): Window | null {
  if (!cal.days.includes(new Date(day).getUTCDay())) return null;
  if (cal.holidays.includes(new Date(day).toISOString().slice(0, 10))) return null;
  const open = wallClock(day, h.open, cal.timezone);
  const close = wallClock(day, h.close, cal.timezone);
  // Both ends in one spring-forward gap can shift past each other: no working time that day.
  return close > open ? { open, close } : null;
}

/** Windows that end after `from`, in order; throws when none comes for MAX_IDLE_DAYS days. */
function* windowsAfter(from: Date, cal: BusinessCalendar): Generator<Window> {
  const h = hoursOf(cal);
  const t = from.getTime();
  let idle = 0;
  for (let day = localDay(from, cal.timezone); ; day += DAY_MS) {
    const w = windowOn(day, cal, h);
    if (w && w.close > t) {
      idle = 0;
      yield w;
    } else if (++idle > MAX_IDLE_DAYS) {
      throw new RangeError(`business calendar (${cal.timezone}) has no working time in ${MAX_IDLE_DAYS} days`);
    }
  }
}

/**
 * Adds `hours` (> 0, fractional allowed, rounded to whole ms) of working time to `from`; outside
 * working time the clock starts at the next opening. The result may be a closing time exactly.
 */
export function addBusinessHours(from: Date, hours: number, cal: BusinessCalendar): Date {
  if (!Number.isFinite(hours) || hours <= 0) throw new RangeError(`hours must be a positive number, got ${hours}`);
  let left = Math.round(hours * HOUR_MS);
  for (const w of windowsAfter(from, cal)) {
    const start = Math.max(w.open, from.getTime());
    if (start + left <= w.close) return new Date(start + left);
    left -= w.close - start;
  }
  throw new Error('unreachable: windowsAfter never ends without throwing');
}

/** Working milliseconds between `a` and `b` (0 when b <= a). Bounded by the range: never throws for lack of windows. */
export function businessMsBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const h = hoursOf(cal);
  const [t0, t1] = [a.getTime(), b.getTime()];
  if (!(t1 > t0)) return 0;
  let total = 0;
  const last = localDay(b, cal.timezone);
  for (let day = localDay(a, cal.timezone); day <= last; day += DAY_MS) {
    const w = windowOn(day, cal, h);
    if (w) total += Math.max(0, Math.min(w.close, t1) - Math.max(w.open, t0));
  }
  return total;
}

/** Whether `at` is working time (opening inclusive, closing exclusive). */
export function isBusinessTime(at: Date, cal: BusinessCalendar): boolean {
  const w = windowOn(localDay(at, cal.timezone), cal, hoursOf(cal));
  return w !== null && w.open <= at.getTime() && at.getTime() < w.close;
}

/** `at` itself when it is working time, else the next opening. */
export function nextBusinessTime(at: Date, cal: BusinessCalendar): Date {
  for (const w of windowsAfter(at, cal)) return new Date(Math.max(w.open, at.getTime()));
  throw new Error('unreachable: windowsAfter never ends without throwing');
}
