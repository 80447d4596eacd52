// The only place modal callback ids are bound.
import type { App } from '@slack/bolt';
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import { logSubmitView } from './log-submit.view.ts';
import { reassignSubmitView } from './reassign-submit.view.ts';
import { resolveSubmitView } from './resolve-submit.view.ts';

export function registerViews(app: App, deps: SlackDeps): void {
  app.view({ callback_id: ActionIds.resolveSubmit, type: 'view_submission' }, resolveSubmitView(deps) as never);
  app.view({ callback_id: ActionIds.reassignSubmit, type: 'view_submission' }, reassignSubmitView(deps) as never);
  app.view({ callback_id: ActionIds.logSubmit, type: 'view_submission' }, logSubmitView(deps) as never);
}
