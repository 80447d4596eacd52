// Claim: one core call; the card update and the thread line are delivery jobs the service enqueued.
import type { SlackDeps } from '../../context.ts';
import { answer, type ButtonListener, onButton } from './item-action.ts';

export function claimAction(deps: SlackDeps): ButtonListener {
  return async (args) => {
    await args.ack();
    await onButton(deps, args, async (c) => answer(deps, args, c, await deps.actions.claim(c.ctx)));
  };
}
