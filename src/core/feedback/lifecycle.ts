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
    'status' | 'claimedById' | 'claimedAt' | 'snoozedUntil' | 'dueAt' | 'resolvedById' | 'resolvedAt' | 'resolution'
  >
>;

export function releasePatch(): TransitionPatch {
  return { status: 'open', claimedById: null, claimedAt: null };
}

export function reassignPatch(toPersonId: string, now: Date): TransitionPatch {
  return { status: 'claimed', claimedById: toPersonId, claimedAt: now };
}

/**
 * Snooze pauses the SLA clock: the due time moves by the length of the pause. A snooze while
 * already snoozed only moves it by the extra time beyond the current pause (or back, if shorter).
 */
export function snoozePatch(
  item: Pick<FeedbackItem, 'dueAt' | 'snoozedUntil'>,
  until: Date,
  now: Date,
): TransitionPatch {
  const pausedFrom = Math.max(now.getTime(), item.snoozedUntil?.getTime() ?? 0);
  const shift = until.getTime() - pausedFrom;
  return { snoozedUntil: until, dueAt: new Date(item.dueAt.getTime() + shift) };
}

export function resolvePatch(
  actorId: string,
  resolution: NonNullable<FeedbackItem['resolution']>,
  now: Date,
): TransitionPatch {
  return { status: 'resolved', resolvedById: actorId, resolvedAt: now, resolution, snoozedUntil: null };
}

/** Reopen starts a new SLA cycle: nobody owns it, and it is due again from now. */
export function reopenPatch(dueAt: Date): TransitionPatch {
  return {
    status: 'open',
    claimedById: null,
    claimedAt: null,
    resolvedById: null,
    resolvedAt: null,
    resolution: null,
    snoozedUntil: null,
    dueAt,
  };
}
