import { describe, expect, it } from 'vitest';
import {
  allowedFrom,
  availableActions,
  can,
  isOverdue,
  isSlaActive,
  isSnoozed,
  itemActions,
  releasePatch,
  reassignPatch,
  reopenPatch,
  resolvePatch,
  snoozePatch,
  statusAfter,
} from '../../src/core/feedback/lifecycle.ts';
import { itemStatuses } from '../../src/core/feedback/item.ts';
import { ana, bob, claimedBy, resolvedBy, T0, view } from './lifecycle-fixtures.ts';

const H = 3_600_000;

describe('availableActions', () => {
  it('offers Claim and Snooze on an open item', () => {
    expect(availableActions({ status: 'open' })).toEqual(['claim', 'snooze']);
  });
  it('offers Resolve, Reassign, Release and Snooze on a claimed item', () => {
    expect(availableActions({ status: 'claimed' }).sort()).toEqual(['reassign', 'release', 'resolve', 'snooze']);
  });
  it('offers only Reopen on a resolved item', () => {
    expect(availableActions({ status: 'resolved' })).toEqual(['reopen']);
  });
  it('agrees with can() for every status and action', () => {
    for (const status of itemStatuses) {
      for (const action of itemActions) {
        expect(can(action, { status }), `${action} on ${status}`).toBe(availableActions({ status }).includes(action));
      }
    }
  });
});

describe('can', () => {
  it('follows open → claimed → resolved with release and reopen back to open', () => {
    expect(can('claim', { status: 'open' })).toBe(true);
    expect(can('claim', { status: 'claimed' })).toBe(false);
    expect(can('resolve', { status: 'open' })).toBe(false);
    expect(can('resolve', { status: 'claimed' })).toBe(true);
    expect(can('release', { status: 'claimed' })).toBe(true);
    expect(can('reopen', { status: 'resolved' })).toBe(true);
    expect(can('reopen', { status: 'open' })).toBe(false);
    expect(can('snooze', { status: 'resolved' })).toBe(false);
  });
  it('leads every action to the status its patch sets', () => {
    expect(statusAfter.claim).toBe('claimed');
    expect(releasePatch(T0).status).toBe(statusAfter.release);
    expect(reassignPatch(bob.id, T0).status).toBe(statusAfter.reassign);
    expect(reopenPatch({ dueAt: T0, remindAt: T0, escalateAt: T0 }, 1).status).toBe(statusAfter.reopen);
    expect(allowedFrom.snooze).toEqual(['open', 'claimed']);
  });
});

describe('patches', () => {
  it('release clears the claimer, keeps the due time and gives it a new escalation time', () => {
    const escalateAt = new Date(T0.getTime() + 2 * H);
    expect(releasePatch(escalateAt)).toEqual({ status: 'open', claimedById: null, claimedAt: null, escalateAt });
  });
  it('reassign sets the new claimer and claim time', () => {
    expect(reassignPatch(bob.id, T0)).toEqual({ status: 'claimed', claimedById: bob.id, claimedAt: T0 });
  });
  it('resolve records the resolver and ends any snooze', () => {
    const r = resolvedBy(ana).resolution!;
    expect(resolvePatch(ana.id, r, T0)).toEqual({
      status: 'resolved',
      resolvedById: ana.id,
      resolvedAt: T0,
      resolution: r,
      snoozedUntil: null,
    });
  });
  it('reopen starts a new cycle: nobody owns it, no resolution, a new SLA clock', () => {
    const plan = { dueAt: new Date(T0.getTime() + 24 * H), remindAt: new Date(T0.getTime() + 18 * H), escalateAt: new Date(T0.getTime() + 2 * H) };
    expect(reopenPatch(plan, 2)).toMatchObject({
      status: 'open',
      claimedById: null,
      resolvedById: null,
      resolution: null,
      snoozedUntil: null,
      ...plan,
      slaCycle: 2,
    });
  });
});

describe('snooze pauses the SLA clock', () => {
  it('moves the due time, the reminder and the escalation by the snoozed duration', () => {
    const item = view({ dueAt: new Date(T0.getTime() + 5 * H), remindAt: new Date(T0.getTime() + 3 * H), escalateAt: new Date(T0.getTime() + H) });
    const patch = snoozePatch(item, new Date(T0.getTime() + 4 * H), T0);
    expect(patch.snoozedUntil).toEqual(new Date(T0.getTime() + 4 * H));
    expect(patch.dueAt).toEqual(new Date(T0.getTime() + 9 * H));
    expect(patch.remindAt).toEqual(new Date(T0.getTime() + 7 * H));
    expect(patch.escalateAt).toEqual(new Date(T0.getTime() + 5 * H));
  });
  it('a second snooze during the first only adds the extra time', () => {
    const item = view({ dueAt: new Date(T0.getTime() + 9 * H), snoozedUntil: new Date(T0.getTime() + 4 * H) });
    const now = new Date(T0.getTime() + 1 * H);
    const patch = snoozePatch(item, new Date(T0.getTime() + 5 * H), now);
    expect(patch.dueAt).toEqual(new Date(T0.getTime() + 10 * H));
  });
  it('a snooze after the previous one ended counts from now', () => {
    const item = view({ dueAt: new Date(T0.getTime() + 9 * H), snoozedUntil: new Date(T0.getTime() - 1 * H) });
    const patch = snoozePatch(item, new Date(T0.getTime() + 1 * H), T0);
    expect(patch.dueAt).toEqual(new Date(T0.getTime() + 10 * H));
  });
  it('a snoozed item is neither SLA-active nor overdue, even past its due time', () => {
    const item = view({ dueAt: new Date(T0.getTime() - H), snoozedUntil: new Date(T0.getTime() + H) });
    expect(isSnoozed(item, T0)).toBe(true);
    expect(isSlaActive(item, T0)).toBe(false);
    expect(isOverdue(item, T0)).toBe(false);
    const later = new Date(T0.getTime() + 2 * H);
    expect(isSnoozed(item, later)).toBe(false);
    expect(isOverdue(item, later)).toBe(true);
  });
  it('resolved items are never overdue', () => {
    expect(isOverdue(resolvedBy(ana, { dueAt: new Date(T0.getTime() - H) }), T0)).toBe(false);
    expect(isOverdue(claimedBy(ana, { dueAt: new Date(T0.getTime() - H) }), T0)).toBe(true);
  });
});
