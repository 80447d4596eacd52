// Resolve: the claimer (or a champion) closes the item with what was done, why it happened and
// what will prevent it; the card and thread show the resolution, and the close-the-loop webhook
// (when configured) is told in the same transaction.
import type { Resolution } from './item.ts';
import {
  type ActionContext,
  type ActionResult,
  guard,
  invalidInput,
  type ItemActionDeps,
  raceFailure,
} from './action-result.ts';
import { resolvePatch } from './lifecycle.ts';
import { loopWebhookJobs } from './loop-event.ts';
import { resolveInputSchema, type ResolveInput } from './resolve-input.ts';
import { matchRootCause, rootCausesFor } from './root-causes.ts';
import { resolvedLine } from './timeline.ts';

export function createResolveService(deps: Pick<ItemActionDeps, 'transactor' | 'clock' | 'rootCauses' | 'closeTheLoop'>) {
  return async function resolve(ctx: ActionContext, input: ResolveInput): Promise<ActionResult> {
    const parsed = resolveInputSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return invalidInput(`Check the form: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    const taxonomy = rootCausesFor(await deps.rootCauses?.(ctx.workspaceId));
    const rootCause = matchRootCause(taxonomy, parsed.data.rootCause);
    if (!rootCause) {
      return invalidInput(`Pick a root cause from the list: ${taxonomy.join(', ')}.`, [
        { path: 'rootCause', message: 'not in the taxonomy' },
      ]);
    }
    const resolution: Resolution = { ...parsed.data, rootCause };
    const now = deps.clock.now();
    return deps.transactor.run(async (repos) => {
      const g = await guard(repos, ctx, 'resolve');
      if ('failure' in g) return g.failure;
      const owner = resolution.preventionOwnerId
        ? await repos.people.findById(ctx.workspaceId, resolution.preventionOwnerId)
        : null;
      if (resolution.preventionOwnerId && !owner) {
        return invalidInput('The prevention owner is not in this workspace.', [
          { path: 'preventionOwnerId', message: 'unknown person' },
        ]);
      }
      const updated = await repos.feedback.transition(
        ctx.workspaceId,
        ctx.itemId,
        ['claimed'],
        resolvePatch(ctx.actor.id, resolution, now),
      );
      if (!updated) return raceFailure(repos, ctx, 'resolve');
      await repos.events.add(ctx.workspaceId, {
        itemId: ctx.itemId,
        type: 'resolved',
        actorId: ctx.actor.id,
        platform: ctx.platform,
        data: { ...resolution, claimedById: g.view.claimedById, overdue: g.view.dueAt.getTime() < now.getTime() },
        at: now,
      });
      const item = { ...g.view, ...updated, resolvedBy: ctx.actor };
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.changed', itemId: ctx.itemId, message: resolvedLine(ctx.actor, resolution, owner) },
        ...loopWebhookJobs(deps.closeTheLoop, {
          type: 'item.resolved',
          at: now,
          item,
          resolution,
          resolvedBy: ctx.actor,
          resolvedAt: now,
          preventionOwner: owner,
        }),
      ]);
      return { ok: true, item };
    });
  };
}

export type ResolveService = ReturnType<typeof createResolveService>;
