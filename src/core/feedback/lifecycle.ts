// The item state machine: open → claimed → resolved, with release, reassign, reopen and snooze.
// Pure: services ask `can()` before touching the database, and the conditional update in the
// repository (`WHERE status IN expected`) makes the same decision atomically.
import type { FeedbackItem, ItemStatus } from './item.ts';

export const itemActions = ['claim', 'release', 'reassign', 'snooze', 'resolve', 'reopen'] as const;
export type ItemAction = (typeof itemActions)[number];

/** The statuses each action may start from. */
export const allowedFrom: Record<ItemAction, readonly ItemStatus[]> = {
  claim: ['open'],
  release: ['claimed'],
  reassign: ['claimed'],
  snooze: ['open', 'claimed'],
  resolve: ['claimed'],
  reopen: ['resolved'],
};

/** The status each action leads to (snooze keeps the status). */
export const statusAfter: Record<ItemAction, ItemStatus | null> = {
  claim: 'claimed',
  release: 'open',
  reassign: 'claimed',
  snooze: null,
  resolve: 'resolved',
  reopen: 'open',
};

export function can(action: ItemAction, item: Pick<FeedbackItem, 'status'>): boolean {
  return allowedFrom[action].includes(item.status);
}

/** The buttons a card shows, in display order. A function of state only, never of the viewer. */
export function availableActions(item: Pick<FeedbackItem, 'status'>): ItemAction[] {
  switch (item.status) {
    case 'open':
      return ['claim', 'snooze'];
    case 'claimed':
      return ['resolve', 'reassign', 'release', 'snooze'];
    case 'resolved':
      return ['reopen'];
  }
}

/** Whether the SLA clock is paused at `now`. */
export function isSnoozed(item: Pick<FeedbackItem, 'snoozedUntil' | 'status'>, now: Date): boolean {
  return item.status !== 'resolved' && item.snoozedUntil !== null && item.snoozedUntil.getTime() > now.getTime();
}

/** Whether the sweeper may escalate or remind: not resolved, not snoozed. */
export function isSlaActive(item: Pick<FeedbackItem, 'snoozedUntil' | 'status'>, now: Date): boolean {
  return item.status !== 'resolved' && !isSnoozed(item, now);
}

export function isOverdue(item: Pick<FeedbackItem, 'dueAt' | 'snoozedUntil' | 'status'>, now: Date): boolean {
  return isSlaActive(item, now) && item.dueAt.getTime() <= now.getTime();
}

/** What `FeedbackRepo.transition` may change. */
export type TransitionPatch = Partial<
  Pick<
    FeedbackItem,
    | 'status'
    | 'claimedById'
    | 'claimedAt'
    | 'snoozedUntil'
    | 'dueAt'
    | 'remindAt'
    | 'escalateAt'
    | 'slaCycle'
    | 'resolvedById'
    | 'resolvedAt'
    | 'resolution'
  >
>;

/** Released, the item needs an owner again: unclaimed from now, it is escalated at `escalateAt`. */
export function releasePatch(escalateAt: Date): TransitionPatch {
  return { status: 'open', claimedById: null, claimedAt: null, escalateAt };
}

export function reassignPatch(toPersonId: string, now: Date): TransitionPatch {
  return { status: 'claimed', claimedById: toPersonId, claimedAt: now };
}

/**
 * Snooze pauses the SLA clock: the due time moves by the length of the pause. A snooze while
 * already snoozed only moves it by the extra time beyond the current pause (or back, if shorter).
 */
export function snoozePatch(
  item: Pick<FeedbackItem, 'dueAt' | 'remindAt' | 'escalateAt' | 'snoozedUntil'>,
  until: Date,
  now: Date,
): TransitionPatch {
  const pausedFrom = Math.max(now.getTime(), item.snoozedUntil?.getTime() ?? 0);
  const shift = until.getTime() - pausedFrom;
  // The whole SLA clock pauses: the reminder and the escalation move with the due time.
  const moved = (d: Date) => new Date(d.getTime() + shift);
  return { snoozedUntil: until, dueAt: moved(item.dueAt), remindAt: moved(item.remindAt), escalateAt: moved(item.escalateAt) };
}

export function resolvePatch(
  actorId: string,
  resolution: NonNullable<FeedbackItem['resolution']>,
  now: Date,
): TransitionPatch {
  return { status: 'resolved', resolvedById: actorId, resolvedAt: now, resolution, snoozedUntil: null };
}

/** Reopen starts a new SLA cycle (`cycle`): nobody owns it, and its clock starts again now. */
export function reopenPatch(plan: { dueAt: Date; remindAt: Date; escalateAt: Date }, cycle: number): TransitionPatch {
  return {
    status: 'open',
    claimedById: null,
    claimedAt: null,
    resolvedById: null,
    resolvedAt: null,
    resolution: null,
    snoozedUntil: null,
    dueAt: plan.dueAt,
    remindAt: plan.remindAt,
    escalateAt: plan.escalateAt,
    slaCycle: cycle,
  };
}
