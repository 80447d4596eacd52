// Scores as SQL aggregates: one query per metric (`count(*) filter (where ...)`, percentile_cont),
// each covering the current and the previous window in a single index range scan on
// feedback_items (workspace_id, kind, received_at). Items are never loaded into memory.
import { and, desc, eq, gte, inArray, isNotNull, lt, type SQL, sql } from 'drizzle-orm';
import { feedbackKinds } from '../core/feedback/item.ts';
import type { CesCounts, CsatCounts, NpsCounts } from '../core/scores/metrics.ts';
import type { PeriodWindows, Window } from '../core/scores/period.ts';
import type { Breakdown, RootCauseCount } from '../core/scores/scores-result.ts';
import type { Executor } from '../db/client.ts';
import { customers, feedbackItems as f } from '../db/schema/index.ts';

export type Pair<T> = { current: T; previous: T };

export type BreakdownCounts = {
  key: string | null;
  volume: number;
  nps: NpsCounts;
  csat: CsatCounts;
  ces: CesCounts;
};

export type SlaRow = {
  items: number;
  medianClaimMinutes: number | null;
  medianResolveMinutes: number | null;
  resolved: number;
  resolvedWithinSla: number;
};

const count = (condition?: SQL) =>
  (condition ? sql<number>`count(*) filter (where ${condition})` : sql<number>`count(*)`).mapWith(Number);
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Rows of one kind received in [previous.start, current.end): both windows in one range scan. */
function spanning(workspaceId: string, kind: 'nps' | 'csat' | 'ces', w: PeriodWindows) {
  return and(
    eq(f.workspaceId, workspaceId),
    eq(f.kind, kind),
    gte(f.receivedAt, w.previous.start),
    lt(f.receivedAt, w.current.end),
    isNotNull(f.score),
  );
}

/** Every kind in one window. `kind in (...)` keeps the (workspace, kind, received_at) index usable. */
function allKindsIn(workspaceId: string, w: Window) {
  return and(
    eq(f.workspaceId, workspaceId),
    inArray(f.kind, [...feedbackKinds]),
    gte(f.receivedAt, w.start),
    lt(f.receivedAt, w.end),
  );
}

export function createScoresRepo(db: Executor) {
  return {
    async nps(workspaceId: string, w: PeriodWindows): Promise<Pair<NpsCounts>> {
      const cur = sql`${f.receivedAt} >= ${ts(w.current.start)}`;
      const prev = sql`${f.receivedAt} < ${ts(w.current.start)}`;
      const [row] = await db
        .select({
          n: count(cur),
          promoters: count(sql`${cur} and ${f.score} >= 9`),
          detractors: count(sql`${cur} and ${f.score} <= 6`),
          prevN: count(prev),
          prevPromoters: count(sql`${prev} and ${f.score} >= 9`),
          prevDetractors: count(sql`${prev} and ${f.score} <= 6`),
        })
        .from(f)
        .where(spanning(workspaceId, 'nps', w));
      const r = row!;
      return {
        current: { n: r.n, promoters: r.promoters, detractors: r.detractors },
        previous: { n: r.prevN, promoters: r.prevPromoters, detractors: r.prevDetractors },
      };
    },

    async csat(workspaceId: string, w: PeriodWindows): Promise<Pair<CsatCounts>> {
      const cur = sql`${f.receivedAt} >= ${ts(w.current.start)}`;
      const prev = sql`${f.receivedAt} < ${ts(w.current.start)}`;
      const [row] = await db
        .select({
          n: count(cur),
          satisfied: count(sql`${cur} and ${f.score} >= 4`),
          prevN: count(prev),
          prevSatisfied: count(sql`${prev} and ${f.score} >= 4`),
        })
        .from(f)
        .where(spanning(workspaceId, 'csat', w));
      const r = row!;
      return { current: { n: r.n, satisfied: r.satisfied }, previous: { n: r.prevN, satisfied: r.prevSatisfied } };
    },

    async ces(workspaceId: string, w: PeriodWindows): Promise<Pair<CesCounts>> {
      const cur = sql`${f.receivedAt} >= ${ts(w.current.start)}`;
      const prev = sql`${f.receivedAt} < ${ts(w.current.start)}`;
      const [row] = await db
        .select({
          n: count(cur),
          easy: count(sql`${cur} and ${f.score} >= 5`),
          sum: sql<number>`coalesce(sum(${f.score}) filter (where ${cur}), 0)`.mapWith(Number),
          prevN: count(prev),
          prevEasy: count(sql`${prev} and ${f.score} >= 5`),
          prevSum: sql<number>`coalesce(sum(${f.score}) filter (where ${prev}), 0)`.mapWith(Number),
        })
        .from(f)
        .where(spanning(workspaceId, 'ces', w));
      const r = row!;
      return {
        current: { n: r.n, easy: r.easy, sum: r.sum },
        previous: { n: r.prevN, easy: r.prevEasy, sum: r.prevSum },
      };
    },

    /** Items of every kind received in a window (the current window's count comes with `sla`). */
    async volume(workspaceId: string, w: Window): Promise<number> {
      const [row] = await db.select({ n: count() }).from(f).where(allKindsIn(workspaceId, w));
      return row!.n;
    },

    /** Counts per segment/touchpoint/source/route, biggest first; `total` = number of groups. */
    async breakdown(
      workspaceId: string,
      w: Window,
      by: Breakdown,
      limit: number,
    ): Promise<{ rows: BreakdownCounts[]; total: number }> {
      const key =
        by === 'segment' ? customers.segment : by === 'touchpoint' ? f.touchpoint : by === 'source' ? f.source : f.route;
      const isKind = (k: string) => sql`${f.kind} = ${k} and ${f.score} is not null`;
      const base = db
        .select({
          key: sql<string | null>`${key}`,
          volume: count(),
          npsN: count(isKind('nps')),
          promoters: count(sql`${isKind('nps')} and ${f.score} >= 9`),
          detractors: count(sql`${isKind('nps')} and ${f.score} <= 6`),
          csatN: count(isKind('csat')),
          satisfied: count(sql`${isKind('csat')} and ${f.score} >= 4`),
          cesN: count(isKind('ces')),
          easy: count(sql`${isKind('ces')} and ${f.score} >= 5`),
          cesSum: sql<number>`coalesce(sum(${f.score}) filter (where ${isKind('ces')}), 0)`.mapWith(Number),
          groups: sql<number>`count(*) over ()`.mapWith(Number),
        })
        .from(f);
      const joined = by === 'segment' ? base.leftJoin(customers, eq(customers.id, f.customerId)) : base;
      const rows = await joined
        .where(allKindsIn(workspaceId, w))
        .groupBy(key)
        .orderBy(desc(count()), key)
        .limit(limit);
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

    /** SLA figures for items received in the window (durations from when our clock started). */
    async sla(workspaceId: string, w: Window): Promise<SlaRow> {
      // date_part gives double precision; extract() gives numeric, which sorts several times slower.
      const minutes = (end: SQL | typeof f.claimedAt | typeof f.resolvedAt) => sql`date_part('epoch', ${end} - ${f.createdAt}) / 60`;
      const [row] = await db
        .select({
          items: count(),
          medianClaimMinutes: sql<number | null>`percentile_cont(0.5) within group (order by ${minutes(f.claimedAt)})`.mapWith(
            Number,
          ),
          medianResolveMinutes: sql<
            number | null
          >`percentile_cont(0.5) within group (order by ${minutes(f.resolvedAt)})`.mapWith(Number),
          resolved: count(sql`${f.resolvedAt} is not null`),
          resolvedWithinSla: count(sql`${f.resolvedAt} <= ${f.dueAt}`),
        })
        .from(f)
        .where(allKindsIn(workspaceId, w));
      return row!;
    },

    /** Most frequent root causes of items resolved in the window. */
    async rootCauses(workspaceId: string, w: Window, limit = 5): Promise<RootCauseCount[]> {
      const rows = await db
        .select({ rootCause: sql<string>`${f.rootCause}`, count: count() })
        .from(f)
        .where(
          and(
            eq(f.workspaceId, workspaceId),
            gte(f.resolvedAt, w.start),
            lt(f.resolvedAt, w.end),
            isNotNull(f.rootCause),
          ),
        )
        .groupBy(f.rootCause)
        .orderBy(desc(count()), f.rootCause)
        .limit(limit);
      return rows;
    },

    /**
     * NPS counts per bucket between consecutive `bounds` (e.g. local Mondays, oldest first, and
     * the end): `bucket` 1 is [bounds[0], bounds[1]). width_bucket is a binary search per row,
     * much cheaper than converting every timestamp to local time. Empty buckets are absent.
     */
    async npsBuckets(workspaceId: string, bounds: Date[]): Promise<(NpsCounts & { bucket: number })[]> {
      const array = sql`array[${sql.join(
        bounds.map((b) => ts(b)),
        sql`, `,
      )}]::timestamptz[]`;
      return db
        .select({
          bucket: sql<number>`width_bucket(${f.receivedAt}, ${array})`.mapWith(Number),
          n: count(),
          promoters: count(sql`${f.score} >= 9`),
          detractors: count(sql`${f.score} <= 6`),
        })
        .from(f)
        .where(
          and(
            eq(f.workspaceId, workspaceId),
            eq(f.kind, 'nps'),
            gte(f.receivedAt, bounds[0]!),
            lt(f.receivedAt, bounds.at(-1)!),
            isNotNull(f.score),
          ),
        )
        // By position: the bounds are bind parameters, so a repeated expression would not match.
        .groupBy(sql`1`)
        .orderBy(sql`1`);
    },
  };
}

export type ScoresRepo = ReturnType<typeof createScoresRepo>;
