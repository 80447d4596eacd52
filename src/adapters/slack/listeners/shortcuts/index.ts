// The only place shortcut callback ids are bound.
import type { App } from '@slack/bolt';
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import { logFromMessageShortcut } from './log-from-message.shortcut.ts';

export function registerShortcuts(app: App, deps: SlackDeps): void {
  app.shortcut({ callback_id: ActionIds.logFromMessage, type: 'message_action' }, logFromMessageShortcut(deps) as never);
}
