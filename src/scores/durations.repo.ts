// Median minutes to claim / to resolve (percentile_cont(0.5) over the items received in a
// window), exactly, without sorting every item. One statement per metric: a histogram of
// log-scale buckets (the daily rollup plus the window's partial days) locates the middle rank(s),
// then the expression index on feedback_items returns just the values of that bucket at those
// ranks (db/schema/rollups.ts). One statement means one snapshot and one round trip.
import { sql } from 'drizzle-orm';
import { interpolate, medianRanks } from '../core/scores/median.ts';
import type { Window } from '../core/scores/period.ts';
import type { Executor } from '../db/client.ts';
import { durationBucketSql, durationMinutesSql } from '../db/schema/rollups.ts';
import { anyKind, rowsOf, serialOnly, ts, windowParts } from './rollup-sql.ts';

export type Metric = 'claim' | 'resolve';
const END = { claim: 'claimed_at', resolve: 'resolved_at' } as const;
const bucketOf = (m: Metric) => sql.raw(durationBucketSql(END[m]));
const minutesOf = (m: Metric) => sql.raw(durationMinutesSql(END[m]));

export function createDurationsRepo(db: Executor) {
  /** percentile_cont over every item of the window: the slow, always-right path. */
  async function exactly(workspaceId: string, w: Window, m: Metric): Promise<number | null> {
    const [row] = await rowsOf<{ v: number | null }>(
      db,
      sql`select percentile_cont(0.5) within group (order by ${minutesOf(m)}) as v
        from feedback_items f where f.workspace_id = ${workspaceId} and ${anyKind}
          and f.received_at >= ${ts(w.start)} and f.received_at < ${ts(w.end)}`,
    );
    return row?.v == null ? null : Number(row.v);
  }

  return {
    exactly,

    /** The median minutes of the metric over the items received in the window; null when none. */
    async median(workspaceId: string, w: Window, m: Metric): Promise<number | null> {
      const end = sql.raw(END[m]);
      const histogram = windowParts(
        [w],
        (_, from, to) =>
          sql`(select r.bucket, r.items from feedback_daily_durations r
            where r.workspace_id = ${workspaceId} and r.metric = ${m} and r.day >= ${from} and r.day < ${to})`,
        (_, start, stop) =>
          sql`(select ${bucketOf(m)}, 1 from feedback_items f
            where f.workspace_id = ${workspaceId} and ${anyKind} and f.received_at >= ${start} and f.received_at < ${stop}
              and f.${end} is not null)`,
      );
      if (!histogram) return null;
      // ranks: the 0-based ranks percentile_cont interpolates between (floor and ceil of (n − 1) / 2);
      // picked: the bucket(s) holding them, with how many values sort before each.
      const [row] = await rowsOf<{ n: number; vals: number[] | null }>(
        db,
        sql`with hist as (
            select x.bucket, sum(x.items) as items from (${histogram}) as x(bucket, items)
            where ${serialOnly} group by 1 having sum(x.items) > 0),
          cum as (select bucket, items, sum(items) over (order by bucket) - items as before, sum(items) over () as n from hist),
          ranks as (select n, floor((n - 1) / 2.0)::bigint as lo, ceil((n - 1) / 2.0)::bigint as hi from cum limit 1),
          picked as (select c.bucket, c.before from cum c, ranks r where c.before <= r.hi and c.before + c.items > r.lo)
        select r.n::int as n, (
          select array_agg(v order by v) from (
            select ${minutesOf(m)} as v from feedback_items
            where workspace_id = ${workspaceId} and ${end} is not null
              and ${bucketOf(m)} = any(array(select bucket from picked))
              and received_at >= ${ts(w.start)} and received_at < ${ts(w.end)}
            order by 1
            offset (select r2.lo - (select min(before) from picked) from ranks r2)
            limit (select r2.hi - r2.lo + 1 from ranks r2)) as middle) as vals
        from ranks r`,
      );
      if (!row) return null;
      const { lo, hi, proportion } = medianRanks(row.n);
      const values = (row.vals ?? []).map(Number);
      // The rollup and the items come from one snapshot, so this only guards against a rollup
      // repaired by hand.
      if (values.length !== hi - lo + 1) return exactly(workspaceId, w, m);
      return interpolate(values[0]!, values.at(-1)!, proportion);
    },
  };
}

/** The median of one metric: one statement (see above). */
export function median(db: Executor, workspaceId: string, w: Window, m: Metric): Promise<number | null> {
  return createDurationsRepo(db).median(workspaceId, w, m);
}
