// Reopen a resolved item: a new SLA cycle, nobody owns it.
import type { SlackDeps } from '../../context.ts';
import { answer, type ButtonListener, onButton } from './item-action.ts';

export function reopenAction(deps: SlackDeps): ButtonListener {
  return async (args) => {
    await args.ack();
    await onButton(deps, args, async (c) => answer(deps, args, c, await deps.actions.reopen(c.ctx, {})));
  };
}
