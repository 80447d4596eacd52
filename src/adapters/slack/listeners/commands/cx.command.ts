// `/cx <subcommand>`. Help and usage errors are answered in the ack itself (no I/O); everything
// else acks first, then runs (cx-run.ts).
import { parseChatCommand } from '../../../../core/commands/chat-command.ts';
import { plain } from '../../../../core/messages/markup.ts';
import { parseScoresArgs } from '../../../../core/scores/scores-args.ts';
import type { SlackDeps } from '../../context.ts';
import { ackWith, CX, type CommandArgs, help, slashIo } from './command-kit.ts';
import { runCx } from './cx-run.ts';

export function cxCommand(deps: SlackDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const cmd = parseChatCommand(args.command.text ?? '');
    const prefix = `${CX} `;
    switch (cmd.kind) {
      case 'help':
        return ackWith(args, help(prefix));
      case 'unknown':
        return ackWith(args, help(prefix, `I don't know \`${plain(cmd.word)}\`. Here is what I can do:`));
      case 'usage':
        if (cmd.command !== 'log') return ackWith(args, help(prefix, plain(cmd.error)));
        break;
      case 'scores': {
        const parsed = parseScoresArgs(cmd.args, `${CX} scores`);
        if (!parsed.ok) return ackWith(args, { text: 'How to use /cx scores', blocks: [{ type: 'section', text: parsed.error }] });
        break;
      }
    }
    await args.ack();
    await runCx(deps, slashIo(args), cmd);
  };
}
