// The only place event types are bound (and subscribed in manifests/slack/manifest.yaml).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../context.ts';
import { appHomeOpenedEvent } from './app-home-opened.event.ts';
import { digestReplyEvent } from './digest-reply.event.ts';
import { dmMessageEvent } from './dm-message.event.ts';
import { type Deactivate, uninstallEvent } from './uninstall.event.ts';

export function registerEvents(app: App, deps: SlackDeps, deactivate: Deactivate): void {
  app.event('app_home_opened', appHomeOpenedEvent(deps) as never);
  app.message(dmMessageEvent(deps) as never); // only channel_type 'im'
  app.message(digestReplyEvent(deps) as never); // only thread replies outside DMs
  app.event('app_uninstalled', uninstallEvent(deps, deactivate) as never);
  app.event('tokens_revoked', uninstallEvent(deps, deactivate) as never);
}
