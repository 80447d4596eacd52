// `/scores` (Slack) and `scores` (Teams): SQL counts (scores.repo.ts) → core math → ScoresResult.
// The queries are independent, so they run concurrently (each on its own pooled connection).
import { ValidationError } from '../core/errors.ts';
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
import { isValidTimeZone, localDate, zonedTimeToUtc } from '../core/scores/zoned-time.ts';
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

export function createScoresService(deps: { db: Executor; clock: Pick<Clock, 'now'> }) {
  async function headline(workspaceId: string, windows: PeriodWindows, db: Executor = deps.db): Promise<Headline> {
    const repo = createScoresRepo(db);
    const [nps, csat, ces] = await Promise.all([
      repo.nps(workspaceId, windows),
      repo.csat(workspaceId, windows),
      repo.ces(workspaceId, windows),
    ]);
    return {
      nps: compare(npsEstimate(nps.current), npsEstimate(nps.previous)),
      csat: compare(csatEstimate(csat.current), csatEstimate(csat.previous)),
      ces: compare(cesEstimate(ces.current), cesEstimate(ces.previous)),
    };
  }

  return {
    headline,

    async getScores(workspaceId: string, query: ScoresQuery): Promise<ScoresResult> {
      const timeZone = query.timeZone ?? 'UTC';
      checkTimeZone(timeZone);
      const windows = periodWindows(query.period, deps.clock.now(), timeZone);
      const repo = createScoresRepo(deps.db);
      const [metrics, previousVolume, sla, rootCauses, breakdown] = await Promise.all([
        headline(workspaceId, windows),
        repo.volume(workspaceId, windows.previous),
        repo.sla(workspaceId, windows.current),
        repo.rootCauses(workspaceId, windows.current),
        query.by ? repo.breakdown(workspaceId, windows.current, query.by, BREAKDOWN_ROWS) : null,
      ]);
      return {
        period: query.period,
        timeZone,
        windows,
        // sla.items counts every item received in the current window: the current volume.
        volume: {
          current: sla.items,
          previous: previousVolume,
          changePercent: percentChange(sla.items, previousVolume),
        },
        ...metrics,
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
        sla: {
          ...sla,
          withinSlaShare: sla.resolved > 0 ? (100 * sla.resolvedWithinSla) / sla.resolved : null,
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
