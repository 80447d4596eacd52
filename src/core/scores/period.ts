// Reporting periods. Rolling ones (7d/30d/90d) end now; qtd/ytd start at local midnight of the
// quarter's/year's first day in the requester's time zone. The previous period is the window of
// the same length immediately before.
import { localParts, zonedTimeToUtc } from '../time/zoned-time.ts';

export const periods = ['7d', '30d', '90d', 'qtd', 'ytd'] as const;
export type Period = (typeof periods)[number];

export type Window = { start: Date; end: Date };
export type PeriodWindows = { current: Window; previous: Window };

const DAY_MS = 86_400_000;
const ROLLING_DAYS: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90 };

export function isPeriod(value: string): value is Period {
  return (periods as readonly string[]).includes(value);
}

export function periodWindows(period: Period, now: Date, timeZone: string): PeriodWindows {
  const end = now;
  let start: Date;
  const days = ROLLING_DAYS[period];
  if (days !== undefined) {
    start = new Date(end.getTime() - days * DAY_MS);
  } else {
    const local = localParts(now, timeZone);
    const month = period === 'ytd' ? 1 : Math.floor((local.month - 1) / 3) * 3 + 1;
    start = zonedTimeToUtc({ year: local.year, month, day: 1 }, timeZone);
  }
  const length = end.getTime() - start.getTime();
  return {
    current: { start, end },
    previous: { start: new Date(start.getTime() - length), end: start },
  };
}

/** "last 7 days", "quarter to date", ... */
export function describePeriod(period: Period): string {
  switch (period) {
    case '7d':
      return 'last 7 days';
    case '30d':
      return 'last 30 days';
    case '90d':
      return 'last 90 days';
    case 'qtd':
      return 'quarter to date';
    case 'ytd':
      return 'year to date';
  }
}
