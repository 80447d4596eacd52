// The only place card button ids are bound (routed by listeners/route.ts; a repeated button's
// `:n` suffix, see render/block-kit.ts, is dropped before the lookup).
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import type { SlackHandler } from '../route.ts';
import { claimAction } from './claim.action.ts';
import { reassignAction } from './reassign.action.ts';
import { releaseAction } from './release.action.ts';
import { reopenAction } from './reopen.action.ts';
import { resolveAction } from './resolve.action.ts';
import { snoozeAction } from './snooze.action.ts';

export function actionRoutes(deps: SlackDeps): Record<string, SlackHandler> {
  return {
    [ActionIds.claim]: claimAction(deps),
    [ActionIds.release]: releaseAction(deps),
    [ActionIds.reassign]: reassignAction(deps),
    [ActionIds.snooze]: snoozeAction(deps),
    [ActionIds.resolve]: resolveAction(deps),
    [ActionIds.reopen]: reopenAction(deps),
  };
}
