// Resolve form submitted: the service resolves the item and enqueues the card refresh and the
// thread line with the summary.
import type { SlackDeps } from '../../context.ts';
import { parseResolveSubmission } from '../../modals/resolve.modal.ts';
import { answerSubmit, onSubmit, type SubmitListener } from './view-kit.ts';

export function resolveSubmitView(deps: SlackDeps): SubmitListener {
  return async (args) => {
    const parsed = parseResolveSubmission(args.view.state.values);
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await args.ack();
    await onSubmit(deps, args, async ({ actor, meta }) => {
      const { preventionOwnerSlackId, ...form } = parsed.value;
      const owner = preventionOwnerSlackId
        ? (await deps.actors.resolve(actor.workspaceId, { id: preventionOwnerSlackId }, args.client)).person
        : null;
      const result = await deps.actions.resolve(
        { workspaceId: actor.workspaceId, itemId: meta.item ?? '', actor: actor.person, platform: 'slack' },
        { ...form, preventionOwnerId: owner?.id ?? null },
      );
      await answerSubmit(deps, args, meta, result);
    });
  };
}
