// Resolve opens the form, after the same check the service makes (a non-owner learns why at the
// click, not after typing a summary). The submission is handled in views/resolve-submit.view.ts.
import { notFound } from '../../../../core/feedback/action-result.ts';
import { precheck } from '../../../../core/feedback/precheck.ts';
import type { SlackDeps } from '../../context.ts';
import { resolveModal } from '../../modals/resolve.modal.ts';
import { type ButtonListener, onButton, tell } from './item-action.ts';

export function resolveAction(deps: SlackDeps): ButtonListener {
  return async (args) => {
    await args.ack();
    await onButton(deps, args, async ({ ctx, actor }) => {
      const [view, rootCauses] = await Promise.all([
        deps.repos.feedback.view(ctx.workspaceId, ctx.itemId),
        deps.actions.rootCauses(ctx.workspaceId),
      ]);
      const failure = view ? precheck('resolve', view, actor.person) : notFound();
      if (failure || !view) {
        await tell(deps, args, failure?.message ?? notFound().message, actor);
        return;
      }
      const from = { channel: args.body.channel?.id, ts: args.body.container?.message_ts };
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: resolveModal(view, rootCauses, from) });
    }, { opensForm: true });
  };
}
