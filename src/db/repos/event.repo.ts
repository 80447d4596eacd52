import { and, asc, eq, sql } from 'drizzle-orm';
import type { EventRepo, FeedbackEvent, NewEvent } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { feedbackEvents } from '../schema/index.ts';
import { isUuid } from './row-mappers.ts';

export function createEventRepo(db: Executor): EventRepo {
  return {
    async add(workspaceId, event: NewEvent) {
      await db.insert(feedbackEvents).values({
        workspaceId,
        itemId: event.itemId,
        type: event.type,
        actorId: event.actorId,
        platform: event.platform,
        data: event.data,
        // clock_timestamp(), not now(): events written in one transaction keep their order.
        at: event.at ?? sql`clock_timestamp()`,
      });
    },

    async timeline(workspaceId, itemId) {
      if (!isUuid(itemId)) return [];
      const rows = await db
        .select()
        .from(feedbackEvents)
        .where(and(eq(feedbackEvents.workspaceId, workspaceId), eq(feedbackEvents.itemId, itemId)))
        .orderBy(asc(feedbackEvents.at), asc(feedbackEvents.id));
      return rows.map(
        (r): FeedbackEvent => ({
          id: r.id,
          itemId: r.itemId,
          type: r.type,
          actorId: r.actorId,
          platform: r.platform,
          data: r.data ?? {},
          at: r.at,
        }),
      );
    },
  };
}
