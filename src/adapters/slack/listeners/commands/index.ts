// The only place slash commands are bound (their names are in manifests/slack/manifest.yaml;
// routed by listeners/route.ts).
import type { SlackDeps } from '../../context.ts';
import type { SlackHandler } from '../route.ts';
import { cxCommand } from './cx.command.ts';
import { scoresCommand } from './scores.command.ts';

export function commandRoutes(deps: SlackDeps): Record<string, SlackHandler> {
  return { '/cx': cxCommand(deps), '/scores': scoresCommand(deps) };
}
