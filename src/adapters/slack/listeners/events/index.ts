// The only place event types are bound (and subscribed in manifests/slack/manifest.yaml; routed
// by listeners/route.ts). Bolt acknowledges events before any middleware runs.
import type { SlackDeps } from '../../context.ts';
import type { SlackHandler } from '../route.ts';
import { appHomeOpenedEvent } from './app-home-opened.event.ts';
import { digestReplyEvent } from './digest-reply.event.ts';
import { dmMessageEvent } from './dm-message.event.ts';
import { type Deactivate, uninstallEvent } from './uninstall.event.ts';

export function eventRoutes(deps: SlackDeps, deactivate: Deactivate): Record<string, SlackHandler> {
  const uninstall = uninstallEvent(deps, deactivate);
  // Each message handler ignores what is not its own: DMs (channel_type 'im'), thread replies.
  const dm = dmMessageEvent(deps);
  const digestReply = digestReplyEvent(deps);
  return {
    app_home_opened: appHomeOpenedEvent(deps),
    app_uninstalled: uninstall,
    tokens_revoked: uninstall,
    // Both run, whatever the other does (as two Bolt listeners did); a failure reaches app.error.
    message: async (args) => {
      await Promise.all([dm(args), digestReply(args)]);
    },
  };
}
