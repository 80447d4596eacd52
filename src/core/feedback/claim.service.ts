// Claim: one conditional UPDATE (first click wins); losers are told who won, in the same call.
import {
  type ActionContext,
  type ActionResult,
  forbidden,
  type ItemActionDeps,
  notFound,
  stateFailure,
} from './action-result.ts';
import { claimedLine } from './timeline.ts';

export function createClaimService(deps: Pick<ItemActionDeps, 'transactor' | 'clock'>) {
  return async function claim(ctx: ActionContext): Promise<ActionResult> {
    if (ctx.actor.workspaceId !== ctx.workspaceId) return forbidden('You are not a member of this workspace.');
    const now = deps.clock.now();
    return deps.transactor.run(async (repos) => {
      // Anyone may claim an open item, so there is nothing to check before the atomic update.
      const claimed = await repos.feedback.claim(ctx.workspaceId, ctx.itemId, ctx.actor.id, now);
      const view = await repos.feedback.view(ctx.workspaceId, ctx.itemId);
      if (!view) return notFound();
      if (!claimed) return stateFailure('claim', view, ctx.actor);
      await repos.events.add(ctx.workspaceId, {
        itemId: ctx.itemId,
        type: 'claimed',
        actorId: ctx.actor.id,
        platform: ctx.platform,
        data: { dueAt: claimed.dueAt.toISOString() },
        at: now,
      });
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.refresh', itemId: ctx.itemId },
        { type: 'item.thread', itemId: ctx.itemId, message: claimedLine(ctx.actor) },
      ]);
      return { ok: true, item: view };
    });
  };
}

export type ClaimService = ReturnType<typeof createClaimService>;
