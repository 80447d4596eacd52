// The only place modal callback ids are bound (routed by listeners/route.ts).
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import type { SlackHandler } from '../route.ts';
import { logSubmitView } from './log-submit.view.ts';
import { reassignSubmitView } from './reassign-submit.view.ts';
import { resolveSubmitView } from './resolve-submit.view.ts';

export function viewRoutes(deps: SlackDeps): Record<string, SlackHandler> {
  return {
    [ActionIds.resolveSubmit]: resolveSubmitView(deps),
    [ActionIds.reassignSubmit]: reassignSubmitView(deps),
    [ActionIds.logSubmit]: logSubmitView(deps),
  };
}
