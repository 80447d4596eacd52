// The SLA sweeper's queries: items owed a notice (across workspaces, on three partial indexes),
// the row lock that makes one sweeper handle an item at a time, and the notices table whose unique
// key (item, kind, cycle) makes each notice happen once however many instances sweep.
import { sql } from 'drizzle-orm';
import type { NoticeKind } from '../core/sla/notices.ts';
import type { Executor } from '../db/client.ts';
import { rowsOf, ts } from '../scores/rollup-sql.ts';

export type SlaCandidate = { workspaceId: string; id: string; route: string | null };

const unsent = (kind: NoticeKind) =>
  sql`not exists (select 1 from sla_notices n where n.item_id = f.id and n.kind = ${kind} and n.cycle = f.sla_cycle)`;

export function createSlaRepo(db: Executor) {
  return {
    /** Items some notice may be owed to at `now` (noticesDue decides), oldest due first; never imported history. */
    async candidates(now: Date, limit: number, after?: string): Promise<SlaCandidate[]> {
      const t = ts(now);
      return rowsOf<SlaCandidate>(
        db,
        sql`select f.workspace_id as "workspaceId", f.id, f.route from feedback_items f
          where f.status <> 'resolved' and not f.history and (f.snoozed_until is null or f.snoozed_until <= ${t})
            ${after ? sql`and f.id > ${after}::uuid` : sql``}
            and ((f.status = 'open' and f.escalate_at <= ${t} and ${unsent('unclaimed')})
              or (f.status = 'claimed' and f.remind_at <= ${t} and f.due_at > ${t} and f.claimed_at <= f.remind_at and ${unsent('reminder')})
              or (f.due_at <= ${t} and ${unsent('overdue')}))
          order by f.id limit ${limit}`,
      );
    },

    /** Locks the item for this transaction; false when another sweeper (or an action) holds it. */
    async lock(workspaceId: string, id: string): Promise<boolean> {
      const rows = await rowsOf<{ id: string }>(
        db,
        sql`select id from feedback_items where workspace_id = ${workspaceId} and id = ${id} for update skip locked`,
      );
      return rows.length > 0;
    },

    /** Kinds already sent to the item in `cycle`, and whether any escalation ever posted its card. */
    async sent(id: string, cycle: number): Promise<{ kinds: NoticeKind[]; escalatedBefore: boolean }> {
      const rows = await rowsOf<{ kind: NoticeKind; cycle: number }>(db, sql`select kind, cycle from sla_notices where item_id = ${id}`);
      return {
        kinds: rows.filter((r) => r.cycle === cycle).map((r) => r.kind),
        escalatedBefore: rows.some((r) => r.kind === 'unclaimed' || r.kind === 'overdue'),
      };
    },

    /** Records the notice; false when it was already recorded (another instance sent it). */
    async record(workspaceId: string, id: string, kind: NoticeKind, cycle: number, at: Date): Promise<boolean> {
      const rows = await rowsOf<{ id: string }>(
        db,
        sql`insert into sla_notices (workspace_id, item_id, kind, cycle, sent_at)
          values (${workspaceId}, ${id}, ${kind}, ${cycle}, ${ts(at)})
          on conflict (item_id, kind, cycle) do nothing returning id`,
      );
      return rows.length > 0;
    },
  };
}

export type SlaRepo = ReturnType<typeof createSlaRepo>;
