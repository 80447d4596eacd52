import type { TurnContext } from 'botbuilder';
import type { Message } from '../../../core/messages/model.ts';
import type { TeamsHandlerDeps } from '../teams-deps.ts';

/** Replies in the conversation (in a channel: the thread of the message) with the message as a card. */
export async function replyWith(deps: Pick<TeamsHandlerDeps, 'render'>, context: TurnContext, message: Message) {
  return context.sendActivity(await deps.render.activity(message));
}
