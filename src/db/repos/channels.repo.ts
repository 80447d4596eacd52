// Chat destinations (a Slack channel or a Teams conversation) with their alias and, for Teams, the
// ConversationReference the bot needs to post there proactively. Scoped by workspace.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { chatChannels } from '../schema/index.ts';

export type ChannelPlatform = 'slack' | 'teams' | 'console';

export type ChatChannel = {
  id: string;
  workspaceId: string;
  platform: ChannelPlatform;
  /** Slack channel id, or Teams conversation id (without `;messageid=`). */
  externalId: string;
  alias: string | null;
  name: string | null;
  conversationRef: Record<string, unknown> | null;
};

export type SeenChannel = {
  platform: ChannelPlatform;
  externalId: string;
  name?: string | null;
  conversationRef?: Record<string, unknown> | null;
};

type Row = typeof chatChannels.$inferSelect;

const toChannel = (r: Row): ChatChannel => ({
  id: r.id,
  workspaceId: r.workspaceId,
  platform: r.platform,
  externalId: r.externalId,
  alias: r.alias,
  name: r.name,
  conversationRef: r.conversationRef,
});

export function createChannelsRepo(db: Executor) {
  const byExternal = (workspaceId: string, platform: ChannelPlatform, externalId: string) =>
    and(
      eq(chatChannels.workspaceId, workspaceId),
      eq(chatChannels.platform, platform),
      eq(chatChannels.externalId, externalId),
    );

  /** Inserts or refreshes a channel; sets the alias only when one is given, never clears it. */
  async function upsertChannel(workspaceId: string, seen: SeenChannel, alias?: string): Promise<ChatChannel> {
    const set: Partial<typeof chatChannels.$inferInsert> = { updatedAt: new Date() };
    if (alias) set.alias = alias;
    if (seen.conversationRef) set.conversationRef = seen.conversationRef;
    if (seen.name) set.name = seen.name;
    const [row] = await db
      .insert(chatChannels)
      .values({
        workspaceId,
        platform: seen.platform,
        externalId: seen.externalId,
        alias: alias ?? null,
        name: seen.name ?? null,
        conversationRef: seen.conversationRef ?? null,
      })
      .onConflictDoUpdate({ target: [chatChannels.workspaceId, chatChannels.platform, chatChannels.externalId], set })
      .returning();
    return toChannel(row!);
  }

  return {
    /** Records a channel the bot saw (install, conversation update, any message); keeps its alias. */
    upsertSeen(workspaceId: string, seen: SeenChannel): Promise<ChatChannel> {
      return upsertChannel(workspaceId, seen);
    },

    /**
     * Gives the channel an alias (`connect <alias>`). An alias names one channel per platform: a
     * channel that held it before loses it. Run inside a transaction.
     */
    async connect(workspaceId: string, seen: SeenChannel & { alias: string }): Promise<ChatChannel> {
      await db
        .update(chatChannels)
        .set({ alias: null, updatedAt: new Date() })
        .where(
          and(
            eq(chatChannels.workspaceId, workspaceId),
            eq(chatChannels.platform, seen.platform),
            eq(chatChannels.alias, seen.alias),
            ne(chatChannels.externalId, seen.externalId),
          ),
        );
      return upsertChannel(workspaceId, seen, seen.alias);
    },

    async findByExternalId(workspaceId: string, platform: ChannelPlatform, externalId: string) {
      const [row] = await db.select().from(chatChannels).where(byExternal(workspaceId, platform, externalId)).limit(1);
      return row ? toChannel(row) : null;
    },

    async findByAlias(workspaceId: string, platform: ChannelPlatform, alias: string) {
      const [row] = await db
        .select()
        .from(chatChannels)
        .where(
          and(
            eq(chatChannels.workspaceId, workspaceId),
            eq(chatChannels.platform, platform),
            eq(chatChannels.alias, alias),
          ),
        )
        .limit(1);
      return row ? toChannel(row) : null;
    },

    /** The 1:1 (personal) Teams conversation with a user, by AAD object id, if the bot has one. */
    async findPersonalConversation(workspaceId: string, aadObjectId: string) {
      const [row] = await db
        .select()
        .from(chatChannels)
        .where(
          and(
            eq(chatChannels.workspaceId, workspaceId),
            eq(chatChannels.platform, 'teams'),
            sql`${chatChannels.conversationRef}->'conversation'->>'conversationType' = 'personal'`,
            sql`${chatChannels.conversationRef}->'user'->>'aadObjectId' = ${aadObjectId}`,
          ),
        )
        .orderBy(sql`${chatChannels.updatedAt} desc`)
        .limit(1);
      return row ? toChannel(row) : null;
    },

    /** Channels with an alias (destinations), by alias. */
    async listConnected(workspaceId: string, platform?: ChannelPlatform): Promise<ChatChannel[]> {
      const rows = await db
        .select()
        .from(chatChannels)
        .where(
          and(
            eq(chatChannels.workspaceId, workspaceId),
            sql`${chatChannels.alias} is not null`,
            platform ? eq(chatChannels.platform, platform) : undefined,
          ),
        )
        .orderBy(asc(chatChannels.alias));
      return rows.map(toChannel);
    },
  };
}

export type ChannelsRepo = ReturnType<typeof createChannelsRepo>;
