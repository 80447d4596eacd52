// Release: the claimer (or a champion) gives the item back; it needs an owner again.
import { addSlaHours } from '../sla/sla-plan.ts';
import { type ActionContext, type ActionResult, guard, type ItemActionDeps, raceFailure, termsFor } from './action-result.ts';
import { releasePatch } from './lifecycle.ts';
import { releasedLine } from './timeline.ts';

export function createReleaseService(deps: Pick<ItemActionDeps, 'transactor' | 'clock' | 'slaTerms'>) {
  return async function release(ctx: ActionContext): Promise<ActionResult> {
    const now = deps.clock.now();
    return deps.transactor.run(async (repos) => {
      const g = await guard(repos, ctx, 'release');
      if ('failure' in g) return g.failure;
      const terms = termsFor(deps, g.view.route);
      const escalateAt = addSlaHours(now, terms.escalationHours, terms.calendar);
      const updated = await repos.feedback.transition(ctx.workspaceId, ctx.itemId, ['claimed'], releasePatch(escalateAt));
      if (!updated) return raceFailure(repos, ctx, 'release');
      await repos.events.add(ctx.workspaceId, {
        itemId: ctx.itemId,
        type: 'released',
        actorId: ctx.actor.id,
        platform: ctx.platform,
        data: { previousClaimerId: g.view.claimedById },
        at: now,
      });
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.changed', itemId: ctx.itemId, message: releasedLine(ctx.actor) },
      ]);
      return { ok: true, item: { ...g.view, ...updated, claimedBy: null } };
    });
  };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;
