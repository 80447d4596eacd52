// The only place event types are bound (and subscribed in manifests/slack/manifest.yaml): one Bolt
// listener for the events and one for messages (Bolt runs each request through every registered
// listener, so each one costs every request).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../context.ts';
import { oneOf } from '../route.ts';
import { appHomeOpenedEvent } from './app-home-opened.event.ts';
import { digestReplyEvent } from './digest-reply.event.ts';
import { dmMessageEvent } from './dm-message.event.ts';
import { type Deactivate, uninstallEvent } from './uninstall.event.ts';

type EventListener = (args: { event: { type: string } }) => Promise<void>;

export function registerEvents(app: App, deps: SlackDeps, deactivate: Deactivate): void {
  const uninstall = uninstallEvent(deps, deactivate) as unknown as EventListener;
  const handlers: Partial<Record<string, EventListener>> = {
    app_home_opened: appHomeOpenedEvent(deps) as unknown as EventListener,
    app_uninstalled: uninstall,
    tokens_revoked: uninstall,
  };
  const route: EventListener = async (args) => handlers[args.event.type]?.(args);
  app.event(oneOf(Object.keys(handlers)), route as never);
  // Each message handler ignores what is not its own: DMs (channel_type 'im'), thread replies.
  const dm = dmMessageEvent(deps) as unknown as EventListener;
  const digestReply = digestReplyEvent(deps) as unknown as EventListener;
  app.message((async (args: Parameters<EventListener>[0]) => {
    await dm(args);
    await digestReply(args);
  }) as never);
}
