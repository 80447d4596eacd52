// Snooze 1 h / 4 h / till the next working morning (the clicker's own timezone when Slack gives it).
import type { SlackDeps } from '../../context.ts';
import { answer, type ButtonListener, onButton } from './item-action.ts';

export function snoozeAction(deps: SlackDeps): ButtonListener {
  return async (args) => {
    await args.ack();
    await onButton(deps, args, async (c) =>
      answer(deps, args, c, await deps.actions.snooze(c.ctx, { option: c.payload.arg ?? '', timezone: c.actor.tz ?? deps.timezone })),
    );
  };
}
