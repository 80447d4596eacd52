// SQL shared by the scores readers. A window is read as its whole UTC days from a rollup table
// plus its partial edge days from feedback_items (core/scores/rollup-plan.ts); both come back as
// one `union all`, summed by the caller's query.
import { type SQL, sql } from 'drizzle-orm';
import { feedbackKinds } from '../core/feedback/item.ts';
import type { Window } from '../core/scores/period.ts';
import { planWindow } from '../core/scores/rollup-plan.ts';
import type { Executor } from '../db/client.ts';

export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** `kind in (...every kind)`: keeps the (workspace, kind, received_at, ...) index usable. */
export const anyKind = sql.raw(`f.kind in (${feedbackKinds.map((k) => `'${k}'`).join(', ')})`);

/**
 * One `union all` part per whole-day range and per partial day of the windows, each with its
 * bounds as literals (a join to a VALUES list of bounds gets planned as a sequential scan).
 * `day(i, from, to)` reads a rollup table, `edge(i, start, end)` feedback_items; `i` is the
 * window's index.
 */
export function windowParts(
  windows: readonly Window[],
  day: (i: SQL, from: SQL, to: SQL) => SQL,
  edge: (i: SQL, start: SQL, end: SQL) => SQL,
): SQL | null {
  const parts: SQL[] = [];
  windows.forEach((w, n) => {
    const plan = planWindow(w);
    const i = sql.raw(`${n}::int`);
    if (plan.days) parts.push(day(i, sql`${plan.days.from}::date`, sql`${plan.days.to}::date`));
    for (const e of plan.edges) parts.push(edge(i, ts(e.start), ts(e.end)));
  });
  return parts.length > 0 ? sql.join(parts, sql` union all `) : null;
}

/**
 * Keeps a query serial. These reads touch a few thousand rows, and starting parallel workers
 * costs more than the whole query (a Gather added 10–25 ms on a busy 2-core host, the query
 * itself takes ~5 ms). A parallel-unsafe function anywhere in a query rules out a parallel plan;
 * current_schema() is one, stable and harmless, evaluated once as a one-time filter.
 */
export const serialOnly = sql`current_schema() is not null`;

/** Rows of a raw query: postgres.js answers an array, PGlite `{ rows }`. */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
