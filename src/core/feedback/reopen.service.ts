// Reopen: a resolved item comes back open with a fresh due time (a new SLA cycle); the
// close-the-loop webhook (when configured) is told the resolution no longer holds.
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
import { loopWebhookJobs } from './loop-event.ts';
import { reopenedLine } from './timeline.ts';

export type ReopenInput = { note?: string | null };

export function createReopenService(deps: Pick<ItemActionDeps, 'transactor' | 'clock' | 'slaTerms' | 'closeTheLoop'>) {
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
      const item = { ...g.view, ...updated, claimedBy: null, resolvedBy: null };
      const ownerId = deps.closeTheLoop ? g.view.resolution?.preventionOwnerId : null;
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.changed', itemId: ctx.itemId, message: reopenedLine(ctx.actor, dueAt, now, note) },
        ...loopWebhookJobs(deps.closeTheLoop, {
          type: 'item.reopened',
          at: now,
          item,
          // The resolution being withdrawn, as it was announced.
          resolution: g.view.resolution,
          resolvedBy: g.view.resolvedBy,
          resolvedAt: g.view.resolvedAt,
          preventionOwner: ownerId ? await repos.people.findById(ctx.workspaceId, ownerId) : null,
          reopen: { by: ctx.actor, note, dueAt },
        }),
      ]);
      return { ok: true, item };
    });
  };
}

export type ReopenService = ReturnType<typeof createReopenService>;
