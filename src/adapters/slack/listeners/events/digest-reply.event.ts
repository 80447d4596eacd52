// A reply in the thread of a digest we posted is saved as a learning by its author, quietly (no
// message, no reaction: the channel is not pinged). Every other channel message is ignored and
// never stored. Slack's retries are harmless: the learning is keyed by `slack:<channel>:<ts>`.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { parseLearnedArgs } from '../../../../core/digest/learned-args.ts';
import { actorOf, type SlackDeps, teamOf } from '../../context.ts';

type ChannelMessage = {
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
};

/** Slack's mrkdwn escapes: `<@U1>` mentions stay as they are, `&amp;` etc. become characters. */
const unescapeSlack = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

export function digestReplyEvent(deps: SlackDeps) {
  return async (args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    const event = args.event as ChannelMessage;
    if (event.channel_type === 'im' || event.subtype || event.bot_id || !event.user) return;
    if (!event.thread_ts || event.thread_ts === event.ts || !deps.learnings) return;
    try {
      const post = await deps.chatPosts.findByMessage('slack', event.channel, event.thread_ts);
      if (post?.purpose !== 'digest') return;
      const workspaceId = await deps.workspaceOf(teamOf(args.body));
      if (post.workspaceId !== workspaceId) return;
      const parsed = parseLearnedArgs(unescapeSlack(event.text ?? ''));
      if ('error' in parsed) return; // an empty reply (e.g. only a file): nothing learned
      const actor = await actorOf(deps, args.body, { id: event.user }, args.client);
      await deps.learnings.shareLearning(workspaceId, {
        authorId: actor.person.id,
        text: parsed.text,
        customerQuery: parsed.customerQuery ?? null,
        platform: 'slack',
        sourceRef: `slack:${event.channel}:${event.ts}`,
      });
    } catch (error) {
      deps.logger.error('Slack digest reply not saved as a learning', { channel: event.channel, ts: event.ts, error });
    }
  };
}
