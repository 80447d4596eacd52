// The only place shortcut callback ids are bound (routed by listeners/route.ts).
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import type { SlackHandler } from '../route.ts';
import { logFromMessageShortcut } from './log-from-message.shortcut.ts';

export function shortcutRoutes(deps: SlackDeps): Record<string, SlackHandler> {
  return { [ActionIds.logFromMessage]: logFromMessageShortcut(deps) };
}
