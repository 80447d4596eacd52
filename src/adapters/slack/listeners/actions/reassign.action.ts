// Reassign opens a user picker after the same check the service makes; the submission is handled
// in views/reassign-submit.view.ts.
import { notFound } from '../../../../core/feedback/action-result.ts';
import { precheck } from '../../../../core/feedback/precheck.ts';
import type { SlackDeps } from '../../context.ts';
import { reassignModal } from '../../modals/reassign.modal.ts';
import { type ButtonListener, onButton, tell } from './item-action.ts';

export function reassignAction(deps: SlackDeps): ButtonListener {
  return async (args) => {
    await args.ack();
    await onButton(deps, args, async ({ ctx, actor }) => {
      const view = await deps.repos.feedback.view(ctx.workspaceId, ctx.itemId);
      const failure = view ? precheck('reassign', view, actor.person) : notFound();
      if (failure || !view) {
        await tell(deps, args, failure?.message ?? notFound().message, actor);
        return;
      }
      const from = { channel: args.body.channel?.id, ts: args.body.container?.message_ts };
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: reassignModal(view, from) });
    }, { opensForm: true });
  };
}
