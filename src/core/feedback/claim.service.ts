// Claim: one atomic repository call (first click wins; only the winner's event and delivery jobs
// are written); losers are told who won.
import { type ActionContext, type ActionResult, forbidden, type ItemActionDeps, notFound, stateFailure } from './action-result.ts';
import { claimedLine } from './timeline.ts';

export function createClaimService(deps: Pick<ItemActionDeps, 'repos' | 'clock' | 'notify'>) {
  return async function claim(ctx: ActionContext): Promise<ActionResult> {
    if (ctx.actor.workspaceId !== ctx.workspaceId) return forbidden('You are not a member of this workspace.');
    // Anyone may claim an open item, so there is nothing to check before the atomic update.
    const claimed = await deps.repos.feedback.claim(ctx.workspaceId, ctx.itemId, {
      personId: ctx.actor.id,
      at: deps.clock.now(),
      event: { type: 'claimed', platform: ctx.platform, data: {} },
      jobs: [
        { type: 'item.changed', itemId: ctx.itemId, message: claimedLine(ctx.actor) },
      ],
    });
    if (claimed) {
      deps.notify?.();
      return { ok: true, item: claimed };
    }
    const view = await deps.repos.feedback.view(ctx.workspaceId, ctx.itemId);
    return view ? stateFailure('claim', view, ctx.actor) : notFound();
  };
}

export type ClaimService = ReturnType<typeof createClaimService>;
