// Daily rollups of feedback_items for /scores and the digest (UTC days). Statement-level triggers
// on feedback_items keep them exact on every write path — intake, lifecycle updates, direct
// inserts, deletes (migrations/0003_create_rollup_triggers.sql). Readers add the whole days of a
// window from here and the partial days at its edges from feedback_items (src/scores/*.repo.ts).
import { sql } from 'drizzle-orm';
import { date, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.ts';

/** Breakdown dimensions of the counts; 'all' is the whole workspace (key null). */
export const rollupDims = ['all', 'touchpoint', 'source', 'route', 'segment'] as const;
export type RollupDim = (typeof rollupDims)[number];

/** Items received per UTC day, per dimension value, kind and score. */
export const feedbackDailyCounts = pgTable(
  'feedback_daily_counts',
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    dim: text().$type<RollupDim>().notNull(),
    day: date().notNull(),
    key: text(),
    kind: text().notNull(),
    score: integer(),
    items: integer().notNull(),
    /** Of those, resolved, and resolved by their due time (SLA). */
    resolved: integer().notNull(),
    resolvedInSla: integer().notNull(),
  },
  (t) => [
    unique('feedback_daily_counts_uq')
      .on(t.workspaceId, t.dim, t.day, t.key, t.kind, t.score)
      .nullsNotDistinct(),
  ],
);

/**
 * How long items received per UTC day took to be claimed / resolved, as a histogram over
 * `durationBucket`: enough to find which bucket holds the median, whose few exact values then
 * come from the matching expression index on feedback_items.
 */
export const feedbackDailyDurations = pgTable(
  'feedback_daily_durations',
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    metric: text().$type<'claim' | 'resolve'>().notNull(),
    day: date().notNull(),
    bucket: integer().notNull(),
    items: integer().notNull(),
  },
  (t) => [unique('feedback_daily_durations_uq').on(t.workspaceId, t.metric, t.day, t.bucket)],
);

/** Items resolved per UTC day (of resolved_at) by root cause. */
export const feedbackDailyRootCauses = pgTable(
  'feedback_daily_root_causes',
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    day: date().notNull(),
    rootCause: text().notNull(),
    items: integer().notNull(),
  },
  (t) => [unique('feedback_daily_root_causes_uq').on(t.workspaceId, t.day, t.rootCause)],
);

/**
 * Minutes from when our clock started (created_at) to `end`, as a double (date_part, not
 * extract: numeric sorts several times slower). The same text is in the indexes below, the
 * triggers and the readers, so the planner matches them.
 */
export const durationMinutesSql = (end: 'claimed_at' | 'resolved_at') =>
  `date_part('epoch', ${end} - created_at) / 60`;

/**
 * A monotonic log-scale bucket of a duration: ~13% wide (8 per e-fold), signed so a clock skew
 * (end before created_at) still sorts. Bucket order = value order, which the median relies on.
 */
export const durationBucketSql = (end: 'claimed_at' | 'resolved_at') => {
  const m = durationMinutesSql(end);
  return `((sign(${m}) * floor(8 * ln(1 + abs(${m}))))::int)`;
};

export const durationBucketIndexExpr = (end: 'claimed_at' | 'resolved_at') => sql.raw(durationBucketSql(end));
