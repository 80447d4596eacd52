// The only place card button ids are bound. Repeated buttons in one block carry a `:n` suffix
// (see render/block-kit.ts), hence the pattern. One Bolt listener routes every button to its
// handler: Bolt runs each request through every registered listener (see ../route.ts).
import type { App } from '@slack/bolt';
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import { actionIdPattern, baseActionId } from '../../render/block-kit.ts';
import { claimAction } from './claim.action.ts';
import type { ButtonArgs, ButtonListener } from './item-action.ts';
import { reassignAction } from './reassign.action.ts';
import { releaseAction } from './release.action.ts';
import { reopenAction } from './reopen.action.ts';
import { resolveAction } from './resolve.action.ts';
import { snoozeAction } from './snooze.action.ts';

export function registerActions(app: App, deps: SlackDeps): void {
  const handlers: Partial<Record<string, ButtonListener>> = {
    [ActionIds.claim]: claimAction(deps),
    [ActionIds.release]: releaseAction(deps),
    [ActionIds.reassign]: reassignAction(deps),
    [ActionIds.snooze]: snoozeAction(deps),
    [ActionIds.resolve]: resolveAction(deps),
    [ActionIds.reopen]: reopenAction(deps),
  };
  const ids = [ActionIds.claim, ActionIds.release, ActionIds.reassign, ActionIds.snooze, ActionIds.resolve, ActionIds.reopen];
  const route = async (args: ButtonArgs) => handlers[baseActionId(args.action.action_id)]?.(args);
  app.action({ type: 'block_actions', action_id: actionIdPattern(...ids) }, route as never);
}
