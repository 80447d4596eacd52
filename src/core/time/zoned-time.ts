// Wall-clock arithmetic in an IANA time zone with Intl only (pure: every instant is passed in).
// Used for qtd/ytd period starts, digest local dates and titles.

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || typeof timeZone !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Berlin in winter: +3 600 000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant.getTime() - instant.getUTCMilliseconds());
}

/**
 * The instant when the wall clock in `timeZone` shows the given local time. Twice in a fall-back
 * overlap: the earlier one. Never in a spring-forward gap: shifted forward by the gap's length.
 */
export function zonedTimeToUtc(
  local: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): Date {
  const hour = local.hour ?? 0;
  const minute = local.minute ?? 0;
  const guess = Date.UTC(local.year, local.month - 1, local.day, hour, minute);
  const first = guess - zoneOffsetMs(new Date(guess), timeZone);
  const second = guess - zoneOffsetMs(new Date(first), timeZone);
  const matches = [first, second].filter((t) => {
    const p = localParts(new Date(t), timeZone);
    return p.year === local.year && p.month === local.month && p.day === local.day && p.hour === hour && p.minute === minute;
  });
  return new Date(matches.length > 0 ? Math.min(...matches) : Math.max(first, second));
}

/** Local calendar date of `instant` as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

// Fixed English names: ICU versions differ ("Sep" vs "Sept"), and messages must not.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function weekday(p: LocalParts): string {
  return WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]!;
}

/** "Tue 24 Nov" in `timeZone`. */
export function shortLocalDay(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${weekday(p)} ${p.day} ${MONTHS[p.month - 1]}`;
}

/** "24 Nov 2026". */
export function localDayMonthYear(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

/** "Sep 2026". */
export function localMonthYear(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${MONTHS[p.month - 1]} ${p.year}`;
}

/** "Tue 24 Nov, 09:00". */
export function localDayTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const hm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return `${shortLocalDay(instant, timeZone)}, ${hm}`;
}
