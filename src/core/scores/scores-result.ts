// What the scores service returns (numbers only; scores-message.ts turns it into a Message).
import type { CesEstimate, Estimate, MetricResult } from './metrics.ts';
import type { Period, PeriodWindows } from './period.ts';

export const breakdowns = ['segment', 'touchpoint', 'source', 'route'] as const;
export type Breakdown = (typeof breakdowns)[number];

export function isBreakdown(value: string): value is Breakdown {
  return (breakdowns as readonly string[]).includes(value);
}

export type CesResult = { current: CesEstimate | null; previous: CesEstimate | null; change: number | null };

export type BreakdownRow = {
  /** The segment/touchpoint/source/route; null for items without one. */
  key: string | null;
  volume: number;
  nps: Estimate | null;
  csat: Estimate | null;
  ces: CesEstimate | null;
};

export type SlaFigures = {
  /** Items received in the period (every kind). */
  items: number;
  medianClaimMinutes: number | null;
  medianResolveMinutes: number | null;
  resolved: number;
  resolvedWithinSla: number;
  /** Percent of resolved items resolved by their due time; null when none were resolved. */
  withinSlaShare: number | null;
};

export type RootCauseCount = { rootCause: string; count: number };

export type ScoresResult = {
  period: Period;
  timeZone: string;
  windows: PeriodWindows;
  volume: { current: number; previous: number; changePercent: number | null };
  nps: MetricResult;
  csat: MetricResult;
  ces: CesResult;
  breakdown: { by: Breakdown; rows: BreakdownRow[]; more: number } | null;
  sla: SlaFigures;
  rootCauses: RootCauseCount[];
};
