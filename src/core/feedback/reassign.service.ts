// Reassign: the claimer (or a champion) hands a claimed item to someone else, who gets a DM.
import {
  type ActionContext,
  type ActionResult,
  guard,
  invalidInput,
  type ItemActionDeps,
  raceFailure,
} from './action-result.ts';
import { reassignPatch } from './lifecycle.ts';
import { assignedDm, reassignedLine } from './timeline.ts';

export type ReassignInput = { toPersonId: string };

export function createReassignService(deps: Pick<ItemActionDeps, 'transactor' | 'clock'>) {
  return async function reassign(ctx: ActionContext, input: ReassignInput): Promise<ActionResult> {
    const now = deps.clock.now();
    return deps.transactor.run(async (repos) => {
      const g = await guard(repos, ctx, 'reassign');
      if ('failure' in g) return g.failure;
      const to = await repos.people.findById(ctx.workspaceId, input.toPersonId);
      if (!to) return invalidInput('That person is not in this workspace.', [{ path: 'toPersonId', message: 'unknown person' }]);
      if (to.id === g.view.claimedById) {
        return invalidInput(`${to.displayName} already owns this item.`, [{ path: 'toPersonId', message: 'already the owner' }]);
      }
      const updated = await repos.feedback.transition(
        ctx.workspaceId,
        ctx.itemId,
        ['claimed'],
        reassignPatch(to.id, now),
      );
      if (!updated) return raceFailure(repos, ctx, 'reassign');
      await repos.events.add(ctx.workspaceId, {
        itemId: ctx.itemId,
        type: 'reassigned',
        actorId: ctx.actor.id,
        platform: ctx.platform,
        data: { fromId: g.view.claimedById, toId: to.id },
        at: now,
      });
      const view = { ...g.view, ...updated, claimedBy: to };
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.changed', itemId: ctx.itemId, message: reassignedLine(ctx.actor, to) },
        ...(to.id === ctx.actor.id
          ? []
          : [{ type: 'person.dm' as const, personId: to.id, message: assignedDm(ctx.actor, view, now) }]),
      ]);
      return { ok: true, item: view };
    });
  };
}

export type ReassignService = ReturnType<typeof createReassignService>;
