// The only place modal callback ids are bound: one Bolt listener for every modal submission,
// routed by callback id (Bolt runs each request through every registered listener).
import type { App } from '@slack/bolt';
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import { oneOf } from '../route.ts';
import { logSubmitView } from './log-submit.view.ts';
import { reassignSubmitView } from './reassign-submit.view.ts';
import { resolveSubmitView } from './resolve-submit.view.ts';

type ViewListener = (args: { view: { callback_id: string } }) => Promise<void>;

export function registerViews(app: App, deps: SlackDeps): void {
  const handlers: Partial<Record<string, ViewListener>> = {
    [ActionIds.resolveSubmit]: resolveSubmitView(deps) as unknown as ViewListener,
    [ActionIds.reassignSubmit]: reassignSubmitView(deps) as unknown as ViewListener,
    [ActionIds.logSubmit]: logSubmitView(deps) as unknown as ViewListener,
  };
  const route: ViewListener = async (args) => handlers[args.view.callback_id]?.(args);
  app.view({ callback_id: oneOf(Object.keys(handlers)), type: 'view_submission' }, route as never);
}
