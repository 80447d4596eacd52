// Items per route since a time (`/cx routes`), on the (workspace, route, created_at) index.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { rowsOf, ts } from '../scores/rollup-sql.ts';

export async function countByRoute(db: Executor, workspaceId: string, since: Date): Promise<Map<string, number>> {
  const rows = await rowsOf<{ route: string | null; n: number | string }>(
    db,
    sql`select lower(coalesce(route, 'default')) as route, count(*) as n from feedback_items
      where workspace_id = ${workspaceId} and created_at >= ${ts(since)} group by 1`,
  );
  return new Map(rows.map((r) => [r.route ?? 'default', Number(r.n)]));
}
