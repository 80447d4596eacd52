// `/scores [7d|30d|90d|qtd|ytd] [by segment|touchpoint|source|route] [public]` — ephemeral unless
// `public`. Bad arguments get the usage in the ack itself, never an error.
import { buildScoresMessage } from '../../../../core/scores/scores-message.ts';
import { parseScoresArgs, type ScoresArgs } from '../../../../core/scores/scores-args.ts';
import type { Actor, SlackDeps } from '../../context.ts';
import { ackWith, type CommandArgs, type CommandIo, slashIo, withActor } from './command-kit.ts';

export async function answerScores(deps: SlackDeps, io: CommandIo, actor: Actor, parsed: ScoresArgs, command: string) {
  if (!deps.scores) {
    await io.reply('Scores are not available on this server yet.');
    return;
  }
  const result = await deps.scores.getScores(actor.workspaceId, {
    period: parsed.period,
    ...(parsed.by ? { by: parsed.by } : {}),
    timeZone: deps.timezone,
  });
  const message = buildScoresMessage(result, { public: parsed.public, command });
  if (parsed.public) await io.replyPublic(message);
  else await io.reply(message);
}

export function scoresCommand(deps: SlackDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const parsed = parseScoresArgs(args.command.text ?? '', '/scores');
    if (!parsed.ok) {
      await ackWith(args, { text: 'How to use /scores', blocks: [{ type: 'section', text: parsed.error }] });
      return;
    }
    await args.ack();
    const io = slashIo(args);
    await withActor(deps, io, (actor) => answerScores(deps, io, actor, parsed.args, '/scores'));
  };
}
