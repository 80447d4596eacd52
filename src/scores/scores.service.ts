// `/scores` (Slack) and `scores` (Teams): SQL counts (scores.repo.ts, over the daily rollups) →
// core math → ScoresResult. The queries are independent, so they run concurrently (each on its
// own pooled connection).
import { ValidationError } from '../core/errors.ts';
import type { FeedbackKind } from '../core/feedback/item.ts';
import {
  cesEstimate,
  compare,
  csatEstimate,
  type MetricResult,
  npsEstimate,
  percentChange,
} from '../core/scores/metrics.ts';
import { type Period, type PeriodWindows, periodWindows } from '../core/scores/period.ts';
import type { Breakdown, CesResult, ScoresResult } from '../core/scores/scores-result.ts';
import { type Tally, tally } from '../core/scores/tally.ts';
import { isValidTimeZone, localDate, zonedTimeToUtc } from '../core/time/zoned-time.ts';
import type { Clock } from '../core/ports.ts';
import type { Executor } from '../db/client.ts';
import { createScoresRepo } from './scores.repo.ts';

export type ScoresQuery = { period: Period; by?: Breakdown; timeZone?: string };
export type Headline = { nps: MetricResult; csat: MetricResult; ces: CesResult };
export type NpsWeek = { weekStart: string; nps: number | null; n: number };

const BREAKDOWN_ROWS = 10;
const DAY_MS = 86_400_000;

function checkTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new ValidationError(`Unknown time zone "${timeZone}"`, [
      { path: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' },
    ]);
  }
}

/**
 * Counts of the current and the previous window, in one query; of some kinds only when `kinds`
 * is given (then volume and the SLA counts cover those kinds only).
 */
export async function periodTallies(db: Executor, workspaceId: string, windows: PeriodWindows, kinds?: readonly FeedbackKind[]) {
  const counts = await createScoresRepo(db).kindCounts(workspaceId, [windows.current, windows.previous], kinds);
  return {
    current: tally(counts.filter((c) => c.w === 0)),
    previous: tally(counts.filter((c) => c.w === 1)),
  };
}

export function headlineOf(t: { current: Tally; previous: Tally }): Headline {
  return {
    nps: compare(npsEstimate(t.current.nps), npsEstimate(t.previous.nps)),
    csat: compare(csatEstimate(t.current.csat), csatEstimate(t.previous.csat)),
    ces: compare(cesEstimate(t.current.ces), cesEstimate(t.previous.ces)),
  };
}

export function createScoresService(deps: { db: Executor; clock: Pick<Clock, 'now'> }) {
  async function headline(workspaceId: string, windows: PeriodWindows, db: Executor = deps.db): Promise<Headline> {
    return headlineOf(await periodTallies(db, workspaceId, windows));
  }

  return {
    headline,

    async getScores(workspaceId: string, query: ScoresQuery): Promise<ScoresResult> {
      const timeZone = query.timeZone ?? 'UTC';
      checkTimeZone(timeZone);
      const windows = periodWindows(query.period, deps.clock.now(), timeZone);
      const repo = createScoresRepo(deps.db);
      const [tallies, medians, rootCauses, breakdown] = await Promise.all([
        periodTallies(deps.db, workspaceId, windows),
        repo.medians(workspaceId, windows.current),
        repo.rootCauses(workspaceId, windows.current),
        query.by ? repo.breakdown(workspaceId, windows.current, query.by, BREAKDOWN_ROWS) : null,
      ]);
      const { current, previous } = tallies;
      return {
        period: query.period,
        timeZone,
        windows,
        volume: {
          current: current.volume,
          previous: previous.volume,
          changePercent: percentChange(current.volume, previous.volume),
        },
        ...headlineOf(tallies),
        breakdown:
          query.by && breakdown
            ? {
                by: query.by,
                more: Math.max(0, breakdown.total - breakdown.rows.length),
                rows: breakdown.rows.map((r) => ({
                  key: r.key,
                  volume: r.volume,
                  nps: npsEstimate(r.nps),
                  csat: csatEstimate(r.csat),
                  ces: cesEstimate(r.ces),
                })),
              }
            : null,
        // SLA figures of the items received in the current window.
        sla: {
          items: current.volume,
          medianClaimMinutes: medians.claim,
          medianResolveMinutes: medians.resolve,
          resolved: current.resolved,
          resolvedWithinSla: current.resolvedInSla,
          withinSlaShare: current.resolved > 0 ? (100 * current.resolvedInSla) / current.resolved : null,
        },
        rootCauses,
      };
    },

    /**
     * NPS per local week for the trend chart: `weeks` weeks ending with the current one, oldest
     * first, weeks without responses included with nps null.
     */
    async npsTrend(workspaceId: string, opts: { weeks?: number; timeZone?: string; db?: Executor } = {}) {
      const timeZone = opts.timeZone ?? 'UTC';
      checkTimeZone(timeZone);
      const now = deps.clock.now();
      const mondays = mondaysBefore(now, opts.weeks ?? 12, timeZone);
      const starts = mondays.map((d) => {
        const [year, month, day] = d.split('-').map(Number) as [number, number, number];
        return zonedTimeToUtc({ year, month, day }, timeZone);
      });
      const rows = await createScoresRepo(opts.db ?? deps.db).npsBuckets(workspaceId, [...starts, now]);
      const byBucket = new Map(rows.map((r) => [r.bucket, r]));
      return mondays.map((weekStart, i): NpsWeek => {
        const r = byBucket.get(i + 1);
        return { weekStart, n: r?.n ?? 0, nps: r ? (npsEstimate(r)?.value ?? null) : null };
      });
    },
  };
}

export type ScoresService = ReturnType<typeof createScoresService>;

/** The last `count` local Mondays (YYYY-MM-DD), oldest first, the current week's Monday last. */
function mondaysBefore(now: Date, count: number, timeZone: string): string[] {
  const today = new Date(`${localDate(now, timeZone)}T00:00:00Z`);
  const monday = today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY_MS;
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(new Date(monday - i * 7 * DAY_MS).toISOString().slice(0, 10));
  return out;
}
