// The Teams ChatPort the delivery worker calls: proactive posts from a stored ConversationReference
// (continueConversationAsync), in-place updates (updateActivity), thread replies (conversation id
// + `;messageid=`) and 1:1 messages where a personal conversation exists. The worker paces (7 sends
// per second per conversation) and retries; this port only translates and maps errors.
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ChatPort, PostRef } from '../../core/ports.ts';
import type { Message } from '../../core/messages/model.ts';
import type { ChannelsRepo, ChatChannel } from '../../db/repos/channels.repo.ts';
import { ChannelNotFound } from '../../delivery/errors.ts';
import type { CardRenderer } from './card-renderer.ts';
import { type SendOp, toChatError } from './teams-errors.ts';

export type ChannelLookup = Pick<ChannelsRepo, 'findByExternalId' | 'findByAlias' | 'findPersonalConversation'>;

export type TeamsChatPortDeps = {
  adapter: CloudAdapter;
  /** '' with authentication off (TEAMS_LOCAL). */
  appId: string;
  workspaceId: string;
  channels: ChannelLookup;
  render: CardRenderer;
};

/** `19:abc@thread.tacv2;messageid=123` → `19:abc@thread.tacv2`. */
export function baseConversationId(id: string): string {
  const i = id.indexOf(';messageid=');
  return i === -1 ? id : id.slice(0, i);
}

/**
 * The SDK retries 429/5xx itself, inside the send, for up to minutes. Our outbox worker owns retries
 * (attempts recorded, Retry-After honoured, pacing shared), so proactive sends fail fast instead.
 */
function disableSdkRetry(context: TurnContext, adapter: CloudAdapter): void {
  const client = context.turnState.get(adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy(o: { name: string }): unknown } } }
    | undefined;
  client?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
}

export function createTeamsChatPort(deps: TeamsChatPortDeps): ChatPort {
  const { adapter, appId, workspaceId, channels, render } = deps;

  async function channelFor(channel: string): Promise<ChatChannel> {
    const found =
      (await channels.findByExternalId(workspaceId, 'teams', baseConversationId(channel))) ??
      (await channels.findByAlias(workspaceId, 'teams', channel.replace(/^#/, '').toLowerCase()));
    if (!found?.conversationRef) {
      throw new ChannelNotFound(
        `no Teams conversation known as "${channel}": add the app there and send it "connect ${channel}"`,
      );
    }
    return found;
  }

  async function run<T>(op: SendOp, ref: Partial<ConversationReference>, fn: (ctx: TurnContext) => Promise<T>) {
    let result: T | undefined;
    // The adapter's onTurnError would swallow a failure thrown from the logic: carry it out.
    let failure: { error: unknown } | null = null;
    try {
      await adapter.continueConversationAsync(appId, ref, async (ctx) => {
        disableSdkRetry(ctx, adapter);
        try {
          result = await fn(ctx);
        } catch (error) {
          failure = { error };
        }
      });
    } catch (error) {
      failure = { error };
    }
    if (failure) throw toChatError((failure as { error: unknown }).error, op);
    return result as T;
  }

  async function send(op: SendOp, ref: Partial<ConversationReference>, message: Message): Promise<string> {
    const activity = await render.activity(message);
    const response = await run(op, ref, (ctx) => ctx.sendActivity(activity));
    if (!response?.id) throw toChatError(new Error('the Bot Connector returned no activity id'), op);
    return response.id;
  }

  const refOf = (c: ChatChannel) => c.conversationRef as Partial<ConversationReference>;

  return {
    platform: 'teams',

    async post(channel, message): Promise<PostRef> {
      const c = await channelFor(channel);
      const messageId = await send('post', refOf(c), message);
      return { platform: 'teams', channel: c.externalId, messageId };
    },

    async update(post, message): Promise<void> {
      const c = await channelFor(post.channel);
      const activity = await render.activity(message);
      await run('update', refOf(c), (ctx) => ctx.updateActivity({ ...activity, id: post.messageId }));
    },

    async reply(post, message): Promise<PostRef> {
      const c = await channelFor(post.channel);
      const ref = refOf(c);
      // Channels have threads: address the root post. Chats (1:1, group) have none: just post.
      const threaded =
        ref.conversation?.conversationType === 'channel'
          ? { ...ref, conversation: { ...ref.conversation, id: `${c.externalId};messageid=${post.messageId}` } }
          : ref;
      const messageId = await send('reply', threaded, message);
      return { platform: 'teams', channel: c.externalId, messageId };
    },

    async dm(userId, message): Promise<PostRef> {
      const c = await channels.findPersonalConversation(workspaceId, userId);
      if (!c?.conversationRef) {
        throw new ChannelNotFound(`no 1:1 Teams conversation with user ${userId}: they have not installed the app`);
      }
      const messageId = await send('dm', refOf(c), message);
      return { platform: 'teams', channel: c.externalId, messageId };
    },
  };
}
