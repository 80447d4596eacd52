import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { FeedbackItem, ItemView } from '../../core/feedback/item.ts';
import type { FeedbackRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { customers, feedbackItems, people } from '../schema/index.ts';
import { CLAIM_SQL } from './claim.sql.ts';
import { ITEM_VIEWS_SQL } from './item-view.sql.ts';
import { destinationOf } from './outbox.repo.ts';
import { preparedRunner } from './prepared-statement.ts';
import { fromJsonRow, isUuid, toCustomer, toFeedbackItem, toPerson } from './row-mappers.ts';

type Patch = Parameters<FeedbackRepo['transition']>[3];

/** Domain patch → column values; `resolution: null` clears every resolution column. */
function patchColumns(patch: Patch): Partial<typeof feedbackItems.$inferInsert> {
  const { resolution, ...plain } = patch;
  const cols: Partial<typeof feedbackItems.$inferInsert> = { ...plain };
  if (resolution !== undefined) {
    cols.resolutionSummary = resolution?.summary ?? null;
    cols.rootCause = resolution?.rootCause ?? null;
    cols.preventionAction = resolution?.preventionAction ?? null;
    cols.preventionOwnerId = resolution?.preventionOwnerId ?? null;
    cols.preventionDueOn = resolution?.preventionDueOn ?? null;
    cols.customerContacted = resolution ? resolution.customerContacted : null;
  }
  return cols;
}

export function createFeedbackRepo(db: Executor): FeedbackRepo {
  const claimStatement = preparedRunner(db, 'cf_claim', CLAIM_SQL);
  const inWorkspace = (workspaceId: string, id: string) =>
    and(eq(feedbackItems.workspaceId, workspaceId), eq(feedbackItems.id, id));

  async function findByExternalId(workspaceId: string, source: string, externalId: string): Promise<FeedbackItem | null> {
    const [row] = await db
      .select()
      .from(feedbackItems)
      .where(
        and(
          eq(feedbackItems.workspaceId, workspaceId),
          eq(feedbackItems.source, source),
          eq(feedbackItems.externalId, externalId),
        ),
      )
      .limit(1);
    return row ? toFeedbackItem(row) : null;
  }

  return {
    findByExternalId,

    async insert(workspaceId, item) {
      // Idempotent on (workspace, source, external id): a replay inserts nothing and gets the
      // original back. A concurrent first insert makes ours wait, then do nothing.
      const [row] = await db
        .insert(feedbackItems)
        .values({ workspaceId, ...item })
        .onConflictDoNothing({ target: [feedbackItems.workspaceId, feedbackItems.source, feedbackItems.externalId] })
        .returning();
      if (row) return { item: toFeedbackItem(row), created: true };
      const existing = await findByExternalId(workspaceId, item.source, item.externalId);
      if (!existing) throw new Error(`feedback insert conflicted but ${item.source}/${item.externalId} was not found`);
      return { item: existing, created: false };
    },

    async findById(workspaceId, id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(feedbackItems).where(inWorkspace(workspaceId, id)).limit(1);
      return row ? toFeedbackItem(row) : null;
    },

    async view(workspaceId, id) {
      if (!isUuid(id)) return null;
      return (await viewMany(db, workspaceId, [id])).get(id) ?? null;
    },

    async list(workspaceId, filter) {
      const where: SQL[] = [eq(feedbackItems.workspaceId, workspaceId)];
      // A work queue never holds imported history (and its index leaves those rows out).
      if (filter.status?.length) where.push(inArray(feedbackItems.status, filter.status), sql`not ${feedbackItems.history}`);
      if (filter.claimedById) where.push(eq(feedbackItems.claimedById, filter.claimedById));
      if (filter.customerId) where.push(eq(feedbackItems.customerId, filter.customerId));
      // A customer's history reads newest first; work queues read by due time.
      const order = filter.customerId
        ? [desc(feedbackItems.receivedAt), asc(feedbackItems.id)]
        : [asc(feedbackItems.dueAt), asc(feedbackItems.id)];
      const rows = await db
        .select()
        .from(feedbackItems)
        .where(and(...where))
        .orderBy(...order)
        .limit(Math.max(1, Math.min(filter.limit ?? 100, 1000)));
      return rows.map(toFeedbackItem);
    },

    async claim(workspaceId, id, { personId, at, event, jobs }) {
      if (!isUuid(id)) return null;
      const outboxRows = jobs.map((job) => ({ destination: destinationOf(job), job }));
      const [row] = await claimStatement<ViewRow>([
        workspaceId,
        id,
        personId,
        at.toISOString(),
        event.type,
        event.platform,
        JSON.stringify(event.data),
        JSON.stringify(outboxRows),
      ]);
      return row ? viewFromJson(row) : null;
    },

    async transition(workspaceId, id, expected, patch) {
      if (!isUuid(id) || expected.length === 0) return null;
      const [row] = await db
        .update(feedbackItems)
        .set({ ...patchColumns(patch), updatedAt: sql`now()` })
        .where(and(inWorkspace(workspaceId, id), inArray(feedbackItems.status, expected)))
        .returning();
      return row ? toFeedbackItem(row) : null;
    },
  };
}

/** Item views by id, in one query (the delivery worker renders a whole claimed batch of cards). */
export async function viewMany(db: Executor, workspaceId: string, ids: string[]): Promise<Map<string, ItemView>> {
  const valid = [...new Set(ids.filter(isUuid))];
  const views = new Map<string, ItemView>();
  if (valid.length === 0) return views;
  // Re-planned as the items read through it grow, like the statements that write them.
  const statement = preparedRunner(db, 'cf_item_views', ITEM_VIEWS_SQL, { analyze: ['feedback_items'] });
  const rows = await statement<ViewRow>([workspaceId, `{${valid.join(',')}}`], valid.length);
  for (const row of rows) {
    const view = viewFromJson(row);
    views.set(view.id, view);
  }
  return views;
}

type JsonValue = Record<string, unknown> | string | null;
type ViewRow = { item: JsonValue; customer: JsonValue; claimed_by: JsonValue; resolved_by?: JsonValue };
/** jsonb arrives parsed from both drivers; a string is parsed here, to be sure. */
const json = (value: JsonValue | undefined) =>
  typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : (value ?? null);

function viewFromJson(row: ViewRow): ItemView {
  const [customer, claimedBy, resolvedBy] = [json(row.customer), json(row.claimed_by), json(row.resolved_by)];
  return {
    ...toFeedbackItem(fromJsonRow(feedbackItems, json(row.item)!)),
    customer: customer ? toCustomer(fromJsonRow(customers, customer)) : null,
    claimedBy: claimedBy ? toPerson(fromJsonRow(people, claimedBy)) : null,
    resolvedBy: resolvedBy ? toPerson(fromJsonRow(people, resolvedBy)) : null,
  };
}
