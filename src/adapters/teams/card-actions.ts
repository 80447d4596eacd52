// A card button or form submit → the core item action it stands for. Same services as Slack;
// this file only reads Teams' action data (payload + form inputs) into their inputs.
import type { ActionResult, ItemActions } from '../../core/feedback/item-actions.ts';
import type { Person } from '../../core/feedback/item.ts';
import { isValidTimezone } from '../../core/sla/snooze.ts';
import { ActionIds } from '../../core/messages/action-ids.ts';
import type { ButtonPayload } from '../../core/messages/payload.ts';
import { REASSIGN_FIELD, readResolveForm } from './item-forms.ts';

export type CardActionInput = {
  workspaceId: string;
  verb: string;
  payload: ButtonPayload;
  /** Everything Teams sent: payload fields, `action`, and form input values. */
  data: Record<string, unknown>;
  actor: Person;
  /** The user's IANA timezone as their Teams client reports it. */
  timezone?: string;
};

/** The item action for a verb, or null when the verb changes nothing (refresh, open a form). */
export function runCardAction(actions: ItemActions, input: CardActionInput): Promise<ActionResult> | null {
  const ctx = { workspaceId: input.workspaceId, itemId: input.payload.item, actor: input.actor, platform: 'teams' as const };
  switch (input.verb) {
    case ActionIds.claim:
      return actions.claim(ctx);
    case ActionIds.release:
      return actions.release(ctx);
    case ActionIds.reopen:
      return actions.reopen(ctx, {});
    case ActionIds.snooze: {
      const timezone = input.timezone && isValidTimezone(input.timezone) ? input.timezone : undefined;
      return actions.snooze(ctx, { option: input.payload.arg ?? '', timezone });
    }
    case ActionIds.reassignSubmit: {
      const to = input.data[REASSIGN_FIELD];
      return actions.reassign(ctx, { toPersonId: typeof to === 'string' ? to : '' });
    }
    case ActionIds.resolveSubmit:
      return actions.resolve(ctx, readResolveForm(input.data));
    default:
      return null;
  }
}
