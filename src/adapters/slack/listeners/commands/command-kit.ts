// What the commands share. A command runs against a CommandIo — who asked, where, and how to
// answer — so `/cx …` (slash command, ephemeral answers) and the same words typed in the app's
// DM (answers in the DM) are one code path. Help and usage errors of slash commands are answered
// in the ack itself (no I/O, instant).
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildHelpMessage } from '../../../../core/commands/help-message.ts';
import { DomainError } from '../../../../core/errors.ts';
import type { Message } from '../../../../core/messages/model.ts';
import { type Actor, actorOf, type SlackDeps } from '../../context.ts';
import { asMessage, respondEphemeral, respondInChannel, SOMETHING_WENT_WRONG } from '../../reply.ts';
import { toBlockKit } from '../../render/block-kit.ts';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export const CX = '/cx';

export type CommandIo = {
  client: WebClient;
  /** The raw payload (team and enterprise ids). */
  body: unknown;
  user: { id: string; name?: string };
  channel: { id: string; name?: string };
  /** Present for slash commands: forms (modals) can open. */
  triggerId?: string;
  /** How the user invokes us here: '/cx ' for the slash command, '' in the app's DM. */
  prefix: string;
  /** A private answer: ephemeral for a slash command, the DM itself otherwise. */
  reply(message: string | Message): Promise<void>;
  /** An answer the whole channel sees (`/scores public`). */
  replyPublic(message: Message): Promise<void>;
};

export function slashIo(args: CommandArgs): CommandIo {
  return {
    client: args.client,
    body: args.body,
    user: { id: args.command.user_id, name: args.command.user_name },
    channel: { id: args.command.channel_id, name: args.command.channel_name },
    triggerId: args.command.trigger_id,
    prefix: `${CX} `,
    reply: (message) => respondEphemeral(args.respond, message),
    replyPublic: (message) => respondInChannel(args.respond, message),
  };
}

/** Answer in the ack itself (ephemeral): only for replies that need no I/O. */
export async function ackWith(args: CommandArgs, message: string | Message): Promise<void> {
  const { text, blocks } = toBlockKit(asMessage(message));
  await args.ack({ response_type: 'ephemeral', text, blocks });
}

/** The command list, with an optional first line (markup) saying what went wrong. */
export function help(prefix: string, intro?: string): Message {
  return buildHelpMessage(prefix, intro);
}

/** Resolves the person, runs, and never leaves the user without an answer. */
/** `opensForm`: a modal's trigger_id expires 3 s after the command, so skip the after-ack queue. */
export function withActor(
  deps: SlackDeps,
  io: CommandIo,
  run: (actor: Actor) => Promise<void>,
  opts: { opensForm?: boolean } = {},
): Promise<void> {
  const work = () => resolveAndRun(deps, io, run);
  return opts.opensForm ? work() : deps.afterAck.run(work);
}

async function resolveAndRun(deps: SlackDeps, io: CommandIo, run: (actor: Actor) => Promise<void>): Promise<void> {
  try {
    const actor = await actorOf(deps, io.body, io.user, io.client);
    await run(actor);
  } catch (error) {
    // Bad input or a refused action is the user's answer, not a server error.
    if (error instanceof DomainError) {
      await io.reply(error.message).catch(() => {});
      return;
    }
    deps.logger.error('Slack command failed', { error });
    await io.reply(SOMETHING_WENT_WRONG).catch(() => {});
  }
}
