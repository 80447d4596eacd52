// Every message we posted for an item (or a digest): how "update every post in place" and
// "reply in every thread" work, on every platform.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Platform } from '../../core/feedback/item.ts';
import type { Executor } from '../client.ts';
import { chatPosts } from '../schema/index.ts';
import { isUuid } from './row-mappers.ts';

export type ChatPostRow = typeof chatPosts.$inferSelect;

export type NewChatPost = {
  itemId: string | null;
  platform: Platform;
  channel: string;
  messageId: string;
  purpose?: string;
};

export function createChatPostsRepo(db: Executor) {
  /** `listForItem` for several items in one query (a delivery batch). */
  async function listForItems(workspaceId: string, itemIds: string[], purpose = 'card'): Promise<ChatPostRow[]> {
    const valid = [...new Set(itemIds.filter(isUuid))];
    if (valid.length === 0) return [];
    return db
      .select()
      .from(chatPosts)
      .where(and(eq(chatPosts.workspaceId, workspaceId), inArray(chatPosts.itemId, valid), eq(chatPosts.purpose, purpose)))
      .orderBy(asc(chatPosts.createdAt), asc(chatPosts.id));
  }

  return {
    /** Idempotent on (platform, channel, messageId). */
    async insert(workspaceId: string, post: NewChatPost): Promise<void> {
      await db
        .insert(chatPosts)
        .values({ workspaceId, ...post, purpose: post.purpose ?? 'card' })
        .onConflictDoNothing({ target: [chatPosts.platform, chatPosts.channel, chatPosts.messageId] });
    },

    /** The item's posts with this purpose (default: its cards), oldest first. */
    listForItem(workspaceId: string, itemId: string, purpose = 'card'): Promise<ChatPostRow[]> {
      return listForItems(workspaceId, [itemId], purpose);
    },

    listForItems,

    async findByIds(workspaceId: string, ids: string[]): Promise<ChatPostRow[]> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      return db
        .select()
        .from(chatPosts)
        .where(and(eq(chatPosts.workspaceId, workspaceId), inArray(chatPosts.id, valid)))
        .orderBy(asc(chatPosts.createdAt), asc(chatPosts.id));
    },

    /** The post a chat interaction came from (e.g. a button on a card): which item it shows. */
    async findByMessage(platform: Platform, channel: string, messageId: string): Promise<ChatPostRow | null> {
      const [row] = await db
        .select()
        .from(chatPosts)
        .where(and(eq(chatPosts.platform, platform), eq(chatPosts.channel, channel), eq(chatPosts.messageId, messageId)))
        .limit(1);
      return row ?? null;
    },
  };
}

export type ChatPostsRepo = ReturnType<typeof createChatPostsRepo>;
