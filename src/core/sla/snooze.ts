// Snooze lengths → an until-instant. "morning" is the next working morning (09:00, Mon–Fri) in the
// person's or workspace's IANA timezone, computed with Intl only (no date library).
import { isValidTimeZone, localParts, zonedTimeToUtc } from '../time/zoned-time.ts';
export const snoozeOptions = ['1h', '4h', 'morning'] as const;
export type SnoozeOption = (typeof snoozeOptions)[number];

export const snoozeLabels: Record<SnoozeOption, string> = {
  '1h': 'Snooze 1 h',
  '4h': 'Snooze 4 h',
  morning: 'Snooze till morning',
};

export const MORNING_HOUR = 9;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function isSnoozeOption(value: unknown): value is SnoozeOption {
  return typeof value === 'string' && (snoozeOptions as readonly string[]).includes(value);
}

/** Kept under this name for its callers; the zone math lives in core/time. */
export const isValidTimezone = isValidTimeZone;

/** The instant the wall clock in `timezone` shows the given local time (month is 1-based). */
export function zonedTime(
  local: { year: number; month: number; day: number; hour: number; minute?: number },
  timezone: string,
): Date {
  return zonedTimeToUtc(local, timezone);
}

/** Next working morning (Mon–Fri, 09:00 local) strictly after `now`. */
export function nextWorkingMorning(now: Date, timezone: string, hour = MORNING_HOUR): Date {
  const p = localParts(now, timezone);
  // Calendar arithmetic on a UTC date stands in for the local date (no time-of-day involved).
  let day = Date.UTC(p.year, p.month - 1, p.day);
  const beforeMorning = p.hour < hour;
  if (!beforeMorning) day += DAY;
  for (;;) {
    const weekday = new Date(day).getUTCDay(); // 0 = Sunday, 6 = Saturday
    if (weekday !== 0 && weekday !== 6) {
      const d = new Date(day);
      const until = zonedTime(
        { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour },
        timezone,
      );
      if (until.getTime() > now.getTime()) return until;
    }
    day += DAY;
  }
}

/** When a snooze chosen at `now` ends. Throws RangeError on an unknown timezone. */
export function snoozeUntil(option: SnoozeOption, now: Date, timezone = 'UTC'): Date {
  switch (option) {
    case '1h':
      return new Date(now.getTime() + HOUR);
    case '4h':
      return new Date(now.getTime() + 4 * HOUR);
    case 'morning':
      if (!isValidTimezone(timezone)) throw new RangeError(`Unknown timezone: ${timezone}`);
      return nextWorkingMorning(now, timezone);
  }
}
