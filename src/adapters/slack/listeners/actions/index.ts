// The only place card button ids are bound. Repeated buttons in one block carry a `:n` suffix
// (see render/block-kit.ts), hence the patterns.
import type { App } from '@slack/bolt';
import { ActionIds } from '../../../../core/messages/action-ids.ts';
import type { SlackDeps } from '../../context.ts';
import { actionIdPattern } from '../../render/block-kit.ts';
import { claimAction } from './claim.action.ts';
import { reassignAction } from './reassign.action.ts';
import { releaseAction } from './release.action.ts';
import { reopenAction } from './reopen.action.ts';
import { resolveAction } from './resolve.action.ts';
import { snoozeAction } from './snooze.action.ts';

export function registerActions(app: App, deps: SlackDeps): void {
  const on = (id: Parameters<typeof actionIdPattern>[0], listener: ReturnType<typeof claimAction>) =>
    app.action({ type: 'block_actions', action_id: actionIdPattern(id) }, listener as never);
  on(ActionIds.claim, claimAction(deps));
  on(ActionIds.release, releaseAction(deps));
  on(ActionIds.reassign, reassignAction(deps));
  on(ActionIds.snooze, snoozeAction(deps));
  on(ActionIds.resolve, resolveAction(deps));
  on(ActionIds.reopen, reopenAction(deps));
}
