// One case per command: parse was done by core (parseChatCommand); each case calls one service
// and replies. Replies are cards in the conversation the command came from.
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { ChatCommand } from '../../../core/commands/chat-command.ts';
import { buildHelpMessage } from '../../../core/commands/help-message.ts';
import { plain } from '../../../core/messages/markup.ts';
import type { Message } from '../../../core/messages/model.ts';
import { excerpt, noticeMessage } from '../../../core/messages/text.ts';
import { isValidTimezone } from '../../../core/sla/snooze.ts';
import { baseConversationId } from '../chat-port.ts';
import { conversationName, referenceOf } from '../conversation-refs.ts';
import type { CommandPlace, TeamsHandlerDeps } from '../teams-deps.ts';
import { replyWith } from './reply.ts';

const validTimezone = (tz: string | undefined) => (tz && isValidTimezone(tz) ? tz : undefined);

const notSetUp = (what: string) => noticeMessage(`${what} is not set up on this server yet.`);

async function placeOf(deps: TeamsHandlerDeps, context: TurnContext): Promise<CommandPlace> {
  return {
    workspaceId: deps.workspaceId,
    platform: 'teams',
    channel: baseConversationId(context.activity.conversation.id),
    actor: await deps.resolveActor(context),
    timezone: validTimezone(context.activity.localTimezone),
  };
}

function connectedMessage(alias: string, defaultChannel: string | undefined): Message {
  let next: string;
  if (defaultChannel === alias) next = 'New feedback cards will be posted here.';
  else if (defaultChannel) next = `New feedback goes to \`${plain(defaultChannel)}\` (TEAMS_DEFAULT_CHANNEL).`;
  else next = `Set TEAMS_DEFAULT_CHANNEL=${plain(alias)} to post new feedback cards here.`;
  return {
    text: `Connected this conversation as ${alias}`,
    blocks: [{ type: 'section', text: `✅ Connected this conversation as \`${plain(alias)}\`. ${next}` }],
  };
}

export async function runCommand(deps: TeamsHandlerDeps, context: TurnContext, command: ChatCommand): Promise<void> {
  const reply = (message: Message) => replyWith(deps, context, message);
  const ws = deps.workspaceId;
  const { extras } = deps;

  switch (command.kind) {
    case 'help':
      return void (await reply(buildHelpMessage('')));
    case 'unknown':
      return void (await reply(buildHelpMessage('', `I don't know ${plain(`"${command.word}"`)}. Here is what I can do:`)));
    case 'usage':
      return void (await reply(noticeMessage(command.error)));
    case 'open':
      return void (await reply(await deps.queries.open(ws)));
    case 'mine': {
      const actor = await deps.resolveActor(context);
      return void (await reply(await deps.queries.mine(ws, actor)));
    }
    case 'customer':
      return void (await reply(await deps.queries.customer(ws, command.query)));
    case 'status': {
      const found = await deps.queries.status(ws, command.item);
      const sent = await reply(found.message);
      // The card is a post of the item now: delivery keeps it up to date with every other post.
      if (found.ok && sent?.id) {
        await deps.chatPosts.insert(ws, {
          itemId: found.view.id,
          platform: 'teams',
          channel: baseConversationId(context.activity.conversation.id),
          messageId: sent.id,
          purpose: 'card',
        });
      }
      return;
    }
    case 'connect': {
      await deps.channels.connect(ws, {
        platform: 'teams',
        externalId: baseConversationId(context.activity.conversation.id),
        alias: command.alias,
        name: conversationName(context),
        conversationRef: referenceOf(context),
      });
      return void (await reply(connectedMessage(command.alias, deps.defaultChannel)));
    }
    case 'log': {
      if (!deps.intake) return void (await reply(notSetUp('Logging feedback')));
      const actor = await deps.resolveActor(context);
      const result = await deps.intake.accept(
        ws,
        {
          source: 'teams',
          externalId: context.activity.id ? `teams:${context.activity.id}` : `teams:${randomUUID()}`,
          kind: 'conversation_note',
          score: null,
          comment: command.text,
          touchpoint: 'conversation',
          tags: [],
          metadata: { loggedBy: actor.id },
        },
        { platform: 'teams', actorId: actor.id },
      );
      return void (await reply(
        noticeMessage(
          result.created
            ? `Logged: “${excerpt(command.text, 200)}”. A champion will pick it up (item ${result.id}).`
            : `Already logged (item ${result.id}).`,
        ),
      ));
    }
    case 'scores':
      if (!extras.scores) return void (await reply(notSetUp('Scores')));
      return void (await reply(await extras.scores(await placeOf(deps, context), command.args)));
    case 'digest':
      if (!extras.digestNow) return void (await reply(notSetUp('The digest')));
      return void (await reply(await extras.digestNow(await placeOf(deps, context))));
    case 'digest.schedule':
      if (!extras.digestSchedule) return void (await reply(notSetUp('Digest schedules')));
      return void (await reply(await extras.digestSchedule(await placeOf(deps, context), command.cron, command.timezone)));
    case 'digest.list':
      if (!extras.digestList) return void (await reply(notSetUp('Digest schedules')));
      return void (await reply(await extras.digestList(await placeOf(deps, context))));
    case 'digest.off':
      if (!extras.digestOff) return void (await reply(notSetUp('Digest schedules')));
      return void (await reply(await extras.digestOff(await placeOf(deps, context))));
    case 'routes':
      if (!extras.routes) return void (await reply(notSetUp('Routing')));
      return void (await reply(await extras.routes(await placeOf(deps, context))));
    case 'route.test':
      if (!extras.routeTest) return void (await reply(notSetUp('Routing')));
      return void (await reply(await extras.routeTest(await placeOf(deps, context), command.arg)));
    case 'learned': {
      if (!extras.learned) return void (await reply(notSetUp('Sharing learnings')));
      const sourceRef = `teams:${context.activity.id ?? randomUUID()}`;
      return void (await reply(await extras.learned(await placeOf(deps, context), command.text, sourceRef)));
    }
  }
}
