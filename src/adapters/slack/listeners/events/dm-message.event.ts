// Words typed in the app's Messages tab ("mine", "scores 90d", "help") run like `/cx …`, with
// the answers in the DM. Bots (ourselves included) and edits are ignored.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { parseChatCommand } from '../../../../core/commands/chat-command.ts';
import type { Message } from '../../../../core/messages/model.ts';
import type { SlackDeps } from '../../context.ts';
import { asMessage } from '../../reply.ts';
import { toBlockKit } from '../../render/block-kit.ts';
import type { CommandIo } from '../commands/command-kit.ts';
import { runCx } from '../commands/cx-run.ts';

export function dmMessageEvent(deps: SlackDeps) {
  return async (args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    const event = args.event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; text?: string; channel: string; thread_ts?: string };
    if (event.channel_type !== 'im' || event.subtype || event.bot_id || !event.user) return;
    const post = async (message: string | Message) => {
      const { text, blocks } = toBlockKit(asMessage(message));
      await args.client.chat.postMessage({ channel: event.channel, text, blocks, unfurl_links: false, unfurl_media: false });
    };
    const io: CommandIo = {
      client: args.client,
      body: args.body,
      user: { id: event.user },
      channel: { id: event.channel },
      prefix: '',
      reply: post,
      replyPublic: post,
    };
    await runCx(deps, io, parseChatCommand(event.text ?? ''));
  };
}
