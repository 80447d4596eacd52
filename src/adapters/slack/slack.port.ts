// The Slack ChatPort the delivery worker calls: post a card, update a post in place, reply in a
// thread, DM a person. Messages are rendered here (toBlockKit: escaped, within limits); errors
// become typed chat errors (slack-errors.ts). The worker owns retries and pacing.
import type { ChatPort, PostRef } from '../../core/ports.ts';
import type { Message } from '../../core/messages/model.ts';
import type { Logger } from '../../logger.ts';
import { silentLogger } from '../../logger.ts';
import { TokenRevoked } from '../../delivery/errors.ts';
import type { SlackDeliveryClient } from './delivery-client.ts';
import { toBlockKit } from './render/block-kit.ts';
import { slackErrorCode, toChatError } from './slack-errors.ts';

export type SlackPortDeps = {
  /** The delivery Web API client of this port's workspace; throws TokenRevoked when there is none. */
  client: () => Promise<SlackDeliveryClient>;
  /** Slack said the token no longer works: mark the installation inactive. */
  onTokenRevoked?: () => Promise<void>;
  logger?: Logger;
};

// Never let Slack expand links or mentions on its own: customer text must not unfurl or ping.
const postDefaults = { unfurl_links: false, unfurl_media: false } as const;

export function createSlackChatPort(deps: SlackPortDeps): ChatPort {
  const logger = deps.logger ?? silentLogger;
  const dmChannels = new Map<string, string>();

  async function fail(error: unknown, channel?: string): Promise<never> {
    const mapped = toChatError(error, { channel });
    if (mapped instanceof TokenRevoked) {
      await deps.onTokenRevoked?.().catch((e) => logger.error('could not mark the Slack installation inactive', { error: e }));
    }
    throw mapped;
  }

  /** Runs a call; on `not_in_channel`, joins the (public) channel once and tries again. */
  async function inChannel<T>(client: SlackDeliveryClient, channel: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (slackErrorCode(error) !== 'not_in_channel') return fail(error, channel);
      try {
        await client.conversations.join({ channel });
        logger.info('joined Slack channel to post', { channel });
      } catch (joinError) {
        // Private channels cannot be joined: the original error says how to invite the bot.
        logger.warn('could not join Slack channel', { channel, code: slackErrorCode(joinError) });
        return fail(error, channel);
      }
      try {
        return await call();
      } catch (again) {
        return fail(again, channel);
      }
    }
  }

  async function postTo(channel: string, message: Message, threadTs?: string): Promise<PostRef> {
    const client = await deps.client();
    const { text, blocks } = toBlockKit(message);
    const res = await inChannel(client, channel, () =>
      client.chat.postMessage({ channel, text, blocks, ...postDefaults, ...(threadTs ? { thread_ts: threadTs } : {}) }),
    );
    return { platform: 'slack', channel: res.channel ?? channel, messageId: String(res.ts) };
  }

  return {
    platform: 'slack',

    post: (channel, message) => postTo(channel, message),

    async update(post, message) {
      const client = await deps.client();
      const { text, blocks } = toBlockKit(message);
      await inChannel(client, post.channel, () => client.chat.update({ channel: post.channel, ts: post.messageId, text, blocks }));
    },

    reply: (post, message) => postTo(post.channel, message, post.messageId),

    async dm(userId, message) {
      let channel = dmChannels.get(userId);
      if (!channel) {
        const client = await deps.client();
        try {
          const res = await client.conversations.open({ users: userId });
          channel = res.channel?.id;
        } catch (error) {
          return fail(error, userId);
        }
        if (!channel) throw new Error(`conversations.open returned no channel for ${userId}`);
        dmChannels.set(userId, channel);
      }
      return postTo(channel, message);
    },
  };
}
