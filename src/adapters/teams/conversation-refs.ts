// ConversationReferences: what the bot needs to post into a conversation later (serviceUrl,
// conversation, tenant, bot, and for 1:1 chats the user). Captured on install, on conversation
// updates and on every message, so proactive posts and DMs always use a fresh serviceUrl.
import { type ConversationReference, TurnContext } from 'botbuilder';
import type { ChannelsRepo, ChatChannel } from '../../db/repos/channels.repo.ts';
import { baseConversationId } from './chat-port.ts';

/** The activity's reference, addressed to the conversation itself (never one thread of it). */
export function referenceOf(context: TurnContext): Partial<ConversationReference> & Record<string, unknown> {
  const ref = TurnContext.getConversationReference(context.activity);
  const conversation = ref.conversation ? { ...ref.conversation, id: baseConversationId(ref.conversation.id) } : undefined;
  // activityId only names the message that carried the reference: meaningless later.
  const { activityId: _ignored, ...rest } = ref;
  return JSON.parse(JSON.stringify({ ...rest, conversation })) as Partial<ConversationReference> & Record<string, unknown>;
}

/** A readable name for the conversation, where Teams tells us one. */
export function conversationName(context: TurnContext): string | null {
  const channelData = context.activity.channelData as { channel?: { name?: string }; team?: { name?: string } } | undefined;
  const channel = channelData?.channel?.name;
  const team = channelData?.team?.name;
  if (channel && team) return `${team} › ${channel}`;
  return context.activity.conversation?.name ?? channel ?? team ?? null;
}

export async function captureReference(
  context: TurnContext,
  channels: Pick<ChannelsRepo, 'upsertSeen'>,
  workspaceId: string,
): Promise<ChatChannel | null> {
  const id = context.activity.conversation?.id;
  if (!id || !context.activity.serviceUrl) return null;
  return channels.upsertSeen(workspaceId, {
    platform: 'teams',
    externalId: baseConversationId(id),
    name: conversationName(context),
    conversationRef: referenceOf(context),
  });
}
