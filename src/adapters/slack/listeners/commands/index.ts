// The only place slash commands are bound (their names are in manifests/slack/manifest.yaml): one
// Bolt listener routed by command name (Bolt runs each request through every registered listener).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../context.ts';
import { oneOf } from '../route.ts';
import { cxCommand } from './cx.command.ts';
import { scoresCommand } from './scores.command.ts';

type CommandListener = (args: { command: { command: string } }) => Promise<void>;

export function registerCommands(app: App, deps: SlackDeps): void {
  const handlers: Partial<Record<string, CommandListener>> = {
    '/cx': cxCommand(deps) as unknown as CommandListener,
    '/scores': scoresCommand(deps) as unknown as CommandListener,
  };
  const route: CommandListener = async (args) => handlers[args.command.command]?.(args);
  app.command(oneOf(Object.keys(handlers)), route as never);
}
