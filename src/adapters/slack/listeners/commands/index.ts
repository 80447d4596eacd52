// The only place slash commands are bound (their names are in manifests/slack/manifest.yaml).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../context.ts';
import { cxCommand } from './cx.command.ts';
import { scoresCommand } from './scores.command.ts';

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command('/cx', cxCommand(deps) as never);
  app.command('/scores', scoresCommand(deps) as never);
}
