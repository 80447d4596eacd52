// Scores as SQL aggregates over the daily rollups (db/schema/rollups.ts, kept by triggers) plus
// the partial days at a window's edges from feedback_items: a 30-day /scores reads a few
// thousand rows whatever the table holds, and items are never loaded into memory.
import { type SQL, sql } from 'drizzle-orm';
import type { FeedbackKind } from '../core/feedback/item.ts';
import type { NpsCounts } from '../core/scores/metrics.ts';
import type { Window } from '../core/scores/period.ts';
import type { Breakdown, RootCauseCount } from '../core/scores/scores-result.ts';
import { type KindScoreCount, tally } from '../core/scores/tally.ts';
import type { Executor } from '../db/client.ts';
import { median } from './durations.repo.ts';
import { anyKind, rowsOf, serialOnly, windowParts } from './rollup-sql.ts';

export type WindowCount = KindScoreCount & { w: number };

export type BreakdownCounts = {
  key: string | null;
  volume: number;
  nps: NpsCounts;
  csat: { n: number; satisfied: number };
  ces: { n: number; easy: number; sum: number };
};

const KEYS: Record<Breakdown, SQL> = {
  segment: sql`f.segment`,
  touchpoint: sql`f.touchpoint`,
  source: sql`f.source`,
  route: sql`f.route`,
};

/**
 * Rows per (window, dimension value, kind, score) received in the windows: rollup + edges. Of
 * every kind, or of `kinds` only.
 */
function countsUnion(
  workspaceId: string,
  windows: readonly Window[],
  dim: 'all' | Breakdown,
  kinds?: readonly FeedbackKind[],
): SQL | null {
  const key = dim === 'all' ? sql`null::text` : KEYS[dim];
  const list = kinds && sql.join(kinds.map((k) => sql`${k}`), sql`, `);
  return windowParts(
    windows,
    (i, from, to) =>
      sql`(select ${i}, r.key, r.kind, r.score, r.items, r.resolved, r.resolved_in_sla from feedback_daily_counts r
        where r.workspace_id = ${workspaceId} and r.dim = ${dim} and r.day >= ${from} and r.day < ${to}
          ${list ? sql`and r.kind in (${list})` : sql``})`,
    (i, start, end) =>
      sql`(select ${i}, ${key}, f.kind, f.score, 1, case when f.resolved_at is not null then 1 else 0 end,
          case when f.resolved_at <= f.due_at then 1 else 0 end
        from feedback_items f where f.workspace_id = ${workspaceId} and ${list ? sql`f.kind in (${list})` : anyKind}
          and f.received_at >= ${start} and f.received_at < ${end})`,
  );
}

export function createScoresRepo(db: Executor) {
  /**
   * Items received per window (`w` = index in `windows`), kind and score, with how many were
   * resolved and resolved in time: NPS, CSAT, CES, volume and the SLA counts all derive from it.
   */
  async function kindCounts(
    workspaceId: string,
    windows: readonly Window[],
    kinds?: readonly FeedbackKind[],
  ): Promise<WindowCount[]> {
    const union = countsUnion(workspaceId, windows, 'all', kinds);
    if (!union) return [];
    return rowsOf<WindowCount>(
      db,
      sql`select x.i as w, x.kind, x.score, sum(x.items)::int as items, sum(x.resolved)::int as resolved,
          sum(x.in_sla)::int as "resolvedInSla"
        from (${union}) as x(i, key, kind, score, items, resolved, in_sla)
        where ${serialOnly}
        group by 1, 2, 3 having sum(x.items) > 0`,
    );
  }

  return {
    kindCounts,

    /** Counts per segment/touchpoint/source/route, biggest first; `total` = number of groups. */
    async breakdown(
      workspaceId: string,
      w: Window,
      by: Breakdown,
      limit: number,
    ): Promise<{ rows: BreakdownCounts[]; total: number }> {
      const union = countsUnion(workspaceId, [w], by);
      if (!union) return { rows: [], total: 0 };
      const of = (kind: string, condition = sql`true`) =>
        sql`coalesce(sum(x.items) filter (where x.kind = ${kind} and x.score is not null and ${condition}), 0)::int`;
      const rows = await rowsOf<{
        key: string | null;
        volume: number;
        npsN: number;
        promoters: number;
        detractors: number;
        csatN: number;
        satisfied: number;
        cesN: number;
        easy: number;
        cesSum: number;
        groups: number;
      }>(
        db,
        sql`select x.key, sum(x.items)::int as volume,
            ${of('nps')} as "npsN", ${of('nps', sql`x.score >= 9`)} as promoters, ${of('nps', sql`x.score <= 6`)} as detractors,
            ${of('csat')} as "csatN", ${of('csat', sql`x.score >= 4`)} as satisfied,
            ${of('ces')} as "cesN", ${of('ces', sql`x.score >= 5`)} as easy,
            coalesce(sum(x.items * x.score) filter (where x.kind = 'ces' and x.score is not null), 0)::int as "cesSum",
            (count(*) over ())::int as groups
          from (${union}) as x(i, key, kind, score, items, resolved, in_sla)
          where ${serialOnly}
          group by x.key having sum(x.items) > 0
          order by sum(x.items) desc, x.key
          limit ${limit}`,
      );
      return {
        total: rows[0]?.groups ?? 0,
        rows: rows.map((r) => ({
          key: r.key,
          volume: r.volume,
          nps: { n: r.npsN, promoters: r.promoters, detractors: r.detractors },
          csat: { n: r.csatN, satisfied: r.satisfied },
          ces: { n: r.cesN, easy: r.easy, sum: r.cesSum },
        })),
      };
    },

    /** Median minutes to claim and to resolve of the items received in the window. */
    async medians(workspaceId: string, w: Window): Promise<{ claim: number | null; resolve: number | null }> {
      const [claim, resolve] = await Promise.all([
        median(db, workspaceId, w, 'claim'),
        median(db, workspaceId, w, 'resolve'),
      ]);
      return { claim, resolve };
    },

    /** Most frequent root causes of items resolved in the window. */
    async rootCauses(workspaceId: string, w: Window, limit = 5): Promise<RootCauseCount[]> {
      const union = windowParts(
        [w],
        (_, from, to) =>
          sql`(select r.root_cause, r.items from feedback_daily_root_causes r
            where r.workspace_id = ${workspaceId} and r.day >= ${from} and r.day < ${to})`,
        (_, start, end) =>
          sql`(select f.root_cause, 1 from feedback_items f where f.workspace_id = ${workspaceId}
            and f.resolved_at >= ${start} and f.resolved_at < ${end} and f.root_cause is not null)`,
      );
      if (!union) return [];
      return rowsOf<RootCauseCount>(
        db,
        sql`select x.root_cause as "rootCause", sum(x.items)::int as count
          from (${union}) as x(root_cause, items)
          where ${serialOnly}
          group by 1 having sum(x.items) > 0
          order by 2 desc, 1
          limit ${limit}`,
      );
    },

    /**
     * NPS counts per bucket between consecutive `bounds` (e.g. local Mondays, oldest first, and
     * the end): `bucket` 1 is [bounds[0], bounds[1]). Empty buckets are absent.
     */
    async npsBuckets(workspaceId: string, bounds: Date[]): Promise<(NpsCounts & { bucket: number })[]> {
      const windows = bounds.slice(1).map((end, i) => ({ start: bounds[i]!, end }));
      const counts = await kindCounts(workspaceId, windows, ['nps']);
      return windows.flatMap((_, i) => {
        const nps = tally(counts.filter((c) => c.w === i)).nps;
        return nps.n > 0 ? [{ bucket: i + 1, ...nps }] : [];
      });
    },
  };
}

export type ScoresRepo = ReturnType<typeof createScoresRepo>;
