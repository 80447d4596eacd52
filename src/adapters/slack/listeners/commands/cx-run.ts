// One case per `/cx` subcommand (parsed by the shared chat grammar); each calls one service.
// Unknown or malformed subcommands get help — never an error.
import { randomUUID } from 'node:crypto';
import type { ChatCommand } from '../../../../core/commands/chat-command.ts';
import { plain } from '../../../../core/messages/markup.ts';
import { parseScoresArgs } from '../../../../core/scores/scores-args.ts';
import type { Actor, SlackDeps } from '../../context.ts';
import { logModal } from '../../modals/log.modal.ts';
import { type CommandIo, help, withActor } from './command-kit.ts';
import { answerCustomer, answerMine, answerOpen } from './cx-lists.ts';
import { answerConnect, answerDigest, answerLearned } from './cx-share.ts';
import { answerRoutes } from './cx-routes.ts';
import { answerStatus } from './cx-status.ts';
import { answerScores } from './scores.command.ts';

/** `/cx log [text]` opens the form; typed in the DM (no form possible) the text is logged as is. */
async function answerLog(deps: SlackDeps, io: CommandIo, actor: Actor, text: string): Promise<void> {
  if (io.triggerId) {
    await io.client.views.open({
      trigger_id: io.triggerId,
      view: logModal({ text, channel: io.channel.id, team: (io.body as { team_id?: string })?.team_id }),
    });
    return;
  }
  if (!text) {
    await io.reply('Write `log` followed by what the customer told you, or use `/cx log` for the form.');
    return;
  }
  await deps.intake.accept(
    actor.workspaceId,
    {
      source: 'slack',
      externalId: `dm:${randomUUID()}`,
      kind: 'conversation_note',
      score: null,
      comment: text,
      touchpoint: null,
      tags: [],
      metadata: { loggedBy: actor.person.id },
    },
    { platform: 'slack', actorId: actor.person.id },
  );
  deps.notifyDelivery();
  await io.reply('Thanks! The feedback is logged; its card will be posted for the champions.');
}

export async function runCx(deps: SlackDeps, io: CommandIo, cmd: ChatCommand): Promise<void> {
  const act = (run: (actor: Actor) => Promise<void>) => withActor(deps, io, run);
  switch (cmd.kind) {
    case 'help':
      return io.reply(help(io.prefix));
    case 'unknown':
      return io.reply(help(io.prefix, `I don't know \`${plain(cmd.word)}\`. Here is what I can do:`));
    case 'usage':
      if (cmd.command === 'log') return withActor(deps, io, (actor) => answerLog(deps, io, actor, ''), { opensForm: !!io.triggerId });
      return io.reply(help(io.prefix, plain(cmd.error)));
    case 'scores': {
      const command = `${io.prefix}scores`;
      const parsed = parseScoresArgs(cmd.args, command);
      if (!parsed.ok) return io.reply({ text: `How to use ${command}`, blocks: [{ type: 'section', text: parsed.error }] });
      return act((actor) => answerScores(deps, io, actor, parsed.args, command));
    }
    case 'mine':
      return act((actor) => answerMine(deps, io, actor));
    case 'open':
      return act((actor) => answerOpen(deps, io, actor));
    case 'customer':
      return act((actor) => answerCustomer(deps, io, actor, cmd.query));
    case 'log':
      return withActor(deps, io, (actor) => answerLog(deps, io, actor, cmd.text), { opensForm: !!io.triggerId });
    case 'status':
      return act((actor) => answerStatus(deps, io, actor, cmd.item));
    case 'learned':
      return act((actor) => answerLearned(deps, io, actor, cmd.text));
    case 'connect':
      return act((actor) => answerConnect(deps, io, actor, cmd.alias));
    case 'routes':
      return act((actor) => answerRoutes(deps, io, actor));
    case 'route.test':
      return act((actor) => answerRoutes(deps, io, actor, cmd.arg));
    case 'digest':
    case 'digest.schedule':
    case 'digest.list':
    case 'digest.off':
      return act((actor) => answerDigest(deps, io, actor, cmd));
  }
}
