// `/cx routes` and `/cx route test <item id | JSON>`: read-only, answered privately.
import type { Actor, SlackDeps } from '../../context.ts';
import type { CommandIo } from './command-kit.ts';

export async function answerRoutes(deps: SlackDeps, io: CommandIo, actor: Actor, testArg?: string): Promise<void> {
  if (!deps.routes) {
    await io.reply('Routing is not available on this server yet.');
    return;
  }
  await io.reply(testArg === undefined ? await deps.routes.list(actor.workspaceId) : await deps.routes.test(actor.workspaceId, testArg));
}
