// A provider's later event for a response already accepted (Delighted sends the score first and
// the comment minutes later, in survey_response.updated): the new comment replaces the stored one,
// with an "amended" event and an item.refresh job in the same transaction, so every post of the
// item is re-rendered. The score is kept: routing, the SLA and the score rollups were decided on
// it; a changed score is recorded in the event instead.
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { feedbackEvents, feedbackItems } from '../schema/index.ts';
import { createOutboxRepo } from './outbox.repo.ts';

export type Amendment = { source: string; externalId: string; comment: string | null; score: number | null; at: Date };

export function createItemAmendRepo(db: Executor) {
  return {
    /** null: no such item. `changed: false`: it already says this (a plain redelivery). */
    async amend(workspaceId: string, change: Amendment): Promise<{ id: string; changed: boolean } | null> {
      return db.transaction(async (tx) => {
        const [item] = await tx
          .select({ id: feedbackItems.id, comment: feedbackItems.comment, score: feedbackItems.score })
          .from(feedbackItems)
          .where(and(eq(feedbackItems.workspaceId, workspaceId), eq(feedbackItems.source, change.source), eq(feedbackItems.externalId, change.externalId)))
          .for('update');
        if (!item) return null;
        const newComment = change.comment !== null && change.comment !== item.comment;
        const newScore = change.score !== null && change.score !== item.score;
        if (!newComment && !newScore) return { id: item.id, changed: false };
        if (newComment) {
          await tx
            .update(feedbackItems)
            .set({ comment: change.comment, metadata: sql`${feedbackItems.metadata} || ${JSON.stringify({ amended_at: change.at.toISOString() })}::jsonb` })
            .where(eq(feedbackItems.id, item.id));
        }
        await tx.insert(feedbackEvents).values({
          workspaceId,
          itemId: item.id,
          type: 'amended',
          platform: 'api',
          data: {
            source: change.source,
            ...(newComment && { comment: true }),
            ...(newScore && { score_from: item.score, score_to: change.score, score_kept: true }),
          },
          at: change.at,
        });
        if (newComment) await createOutboxRepo(tx).enqueue(workspaceId, [{ type: 'item.refresh', itemId: item.id }]);
        return { id: item.id, changed: true };
      });
    },
  };
}

export type ItemAmendRepo = ReturnType<typeof createItemAmendRepo>;
