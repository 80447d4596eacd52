// Reopen: a resolved item comes back open with a fresh due time (a new SLA cycle).
import { planSla } from '../sla/sla-plan.ts';
import {
  type ActionContext,
  type ActionResult,
  guard,
  invalidInput,
  type ItemActionDeps,
  raceFailure,
  termsFor,
} from './action-result.ts';
import { reopenPatch } from './lifecycle.ts';
import { reopenedLine } from './timeline.ts';

export type ReopenInput = { note?: string | null };

export function createReopenService(deps: Pick<ItemActionDeps, 'transactor' | 'clock' | 'slaTerms'>) {
  return async function reopen(ctx: ActionContext, input: ReopenInput = {}): Promise<ActionResult> {
    const note = input.note?.trim() || null;
    if (note && note.length > 1000) {
      return invalidInput('Keep the note under 1000 characters.', [{ path: 'note', message: 'too long' }]);
    }
    const now = deps.clock.now();
    return deps.transactor.run(async (repos) => {
      const g = await guard(repos, ctx, 'reopen');
      if ('failure' in g) return g.failure;
      // The SLA sweeper keys its notices by cycle: cycle n is the n-th reopen.
      const cycle = g.view.slaCycle + 1;
      const plan = planSla(now, termsFor(deps, g.view.route));
      const dueAt = plan.dueAt;
      const updated = await repos.feedback.transition(ctx.workspaceId, ctx.itemId, ['resolved'], reopenPatch(plan, cycle));
      if (!updated) return raceFailure(repos, ctx, 'reopen');
      await repos.events.add(ctx.workspaceId, {
        itemId: ctx.itemId,
        type: 'reopened',
        actorId: ctx.actor.id,
        platform: ctx.platform,
        data: { dueAt: dueAt.toISOString(), cycle, note, previousResolution: g.view.resolution },
        at: now,
      });
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.changed', itemId: ctx.itemId, message: reopenedLine(ctx.actor, dueAt, now, note) },
      ]);
      return { ok: true, item: { ...g.view, ...updated, claimedBy: null, resolvedBy: null } };
    });
  };
}

export type ReopenService = ReturnType<typeof createReopenService>;
