// Reassign form submitted: the picked Slack user becomes a person (linked by email) and the
// service hands the item over; the new owner's DM is a delivery job.
import type { SlackDeps } from '../../context.ts';
import { parseReassignSubmission } from '../../modals/reassign.modal.ts';
import { answerSubmit, onSubmit, type SubmitListener } from './view-kit.ts';

export function reassignSubmitView(deps: SlackDeps): SubmitListener {
  return async (args) => {
    const parsed = parseReassignSubmission(args.view.state.values);
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await args.ack();
    await onSubmit(deps, args, async ({ actor, meta }) => {
      const to = await deps.actors.resolve(actor.workspaceId, { id: parsed.userId }, args.client);
      const result = await deps.actions.reassign(
        { workspaceId: actor.workspaceId, itemId: meta.item ?? '', actor: actor.person, platform: 'slack' },
        { toPersonId: to.person.id },
      );
      await answerSubmit(deps, args, meta, result);
    });
  };
}
