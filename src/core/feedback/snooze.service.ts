// Snooze: pause the SLA clock until a chosen time; the due time moves by the pause.
import { isSnoozeOption, isValidTimezone, snoozeOptions, snoozeUntil } from '../sla/snooze.ts';
import {
  type ActionContext,
  type ActionResult,
  guard,
  invalidInput,
  type ItemActionDeps,
  raceFailure,
} from './action-result.ts';
import { snoozePatch } from './lifecycle.ts';
import { snoozedLine } from './timeline.ts';

export type SnoozeInput = {
  /** "1h", "4h" or "morning" (the button payload's `arg`). */
  option: string;
  /** IANA timezone for "morning"; defaults to the service's timezone, then UTC. */
  timezone?: string;
};

export function createSnoozeService(deps: Pick<ItemActionDeps, 'transactor' | 'clock' | 'timezone'>) {
  return async function snooze(ctx: ActionContext, input: SnoozeInput): Promise<ActionResult> {
    const option = input.option;
    if (!isSnoozeOption(option)) {
      return invalidInput(`Snooze for ${snoozeOptions.join(', ')}.`, [{ path: 'option', message: 'unknown option' }]);
    }
    const timezone = input.timezone ?? deps.timezone ?? 'UTC';
    if (!isValidTimezone(timezone)) {
      return invalidInput(`Unknown timezone "${timezone}".`, [{ path: 'timezone', message: 'unknown timezone' }]);
    }
    const now = deps.clock.now();
    const until = snoozeUntil(option, now, timezone);
    return deps.transactor.run(async (repos) => {
      const g = await guard(repos, ctx, 'snooze');
      if ('failure' in g) return g.failure;
      const patch = snoozePatch(g.view, until, now);
      // Guarded by the status we checked: a snooze never lands on an item resolved meanwhile.
      const updated = await repos.feedback.transition(ctx.workspaceId, ctx.itemId, [g.view.status], patch);
      if (!updated) return raceFailure(repos, ctx, 'snooze');
      await repos.events.add(ctx.workspaceId, {
        itemId: ctx.itemId,
        type: 'snoozed',
        actorId: ctx.actor.id,
        platform: ctx.platform,
        data: {
          option,
          until: until.toISOString(),
          previousDueAt: g.view.dueAt.toISOString(),
          dueAt: updated.dueAt.toISOString(),
        },
        at: now,
      });
      await repos.outbox.enqueue(ctx.workspaceId, [
        { type: 'item.changed', itemId: ctx.itemId, message: snoozedLine(ctx.actor, until, timezone) },
      ]);
      return { ok: true, item: { ...g.view, ...updated } };
    });
  };
}

export type SnoozeService = ReturnType<typeof createSnoozeService>;
