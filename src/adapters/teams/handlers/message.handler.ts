// Commands by message: a 1:1 chat, or an @mention in a channel (the bot's mention is stripped).
// Text → core's command grammar → one service → the reply, as a card in the same conversation
// (in a channel, in the thread of the message).
import { ActivityTypes, TurnContext } from 'botbuilder';
import { parseChatCommand } from '../../../core/commands/chat-command.ts';
import { noticeMessage } from '../../../core/messages/text.ts';
import { handleCardAction } from './card-action.handler.ts';
import { runCommand } from './commands.ts';
import { captureDigestReply } from './digest-reply.handler.ts';
import { replyWith } from './reply.ts';
import type { TeamsHandlerDeps } from '../teams-deps.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The command text: no bot mention, no HTML Teams may wrap it in, entities decoded. */
export function commandText(context: TurnContext): string {
  const withoutMention = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
  return withoutMention
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, name: string) => {
      const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : name.startsWith('#') ? Number(name.slice(1)) : NaN;
      if (Number.isInteger(code) && code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
      return ENTITIES[name.toLowerCase()] ?? m;
    })
    .trim();
}

export async function handleMessage(deps: TeamsHandlerDeps, context: TurnContext): Promise<void> {
  const { activity } = context;
  // Action.Submit fallback (clients without Universal Actions): a message whose value names an action.
  if (activity.type === ActivityTypes.Message && !activity.text && activity.value) {
    return handleCardAction(deps, context);
  }
  const text = commandText(context);
  const command = parseChatCommand(text);
  try {
    // Words that are no command, in a digest's thread: a learning, not "I don't know …".
    if (command.kind === 'unknown' && (await captureDigestReply(deps, context, text))) return;
    await runCommand(deps, context, command);
  } catch (error) {
    deps.logger.error('teams command failed', { command: command.kind, error });
    await replyWith(deps, context, noticeMessage('Something went wrong. Please try again in a moment.'));
  }
}
