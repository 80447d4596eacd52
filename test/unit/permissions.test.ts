import { describe, expect, it } from 'vitest';
import { checkPermission, isChampion } from '../../src/core/feedback/permissions.ts';
import { ana, bob, chloe, claimedBy, person, resolvedBy, view } from './lifecycle-fixtures.ts';

const admin = person({ id: '66666666-6666-4666-8666-666666666666', displayName: 'Ada', role: 'admin' });

describe('permissions', () => {
  it('anyone may claim an open item', () => {
    expect(checkPermission('claim', view(), bob)).toEqual({ allowed: true });
  });

  it.each(['resolve', 'reassign', 'release', 'snooze'] as const)('only the claimer or a champion may %s', (action) => {
    const item = claimedBy(ana);
    expect(checkPermission(action, item, ana).allowed).toBe(true);
    expect(checkPermission(action, item, chloe).allowed).toBe(true);
    expect(checkPermission(action, item, admin).allowed).toBe(true);
    const denied = checkPermission(action, item, bob);
    expect(denied).toEqual({
      allowed: false,
      reason: `Only @Ana (who claimed it) or a champion can ${action} this item.`,
    });
  });

  it('reopen: the resolver or a champion', () => {
    const item = resolvedBy(ana);
    expect(checkPermission('reopen', item, ana).allowed).toBe(true);
    expect(checkPermission('reopen', item, chloe).allowed).toBe(true);
    expect(checkPermission('reopen', item, bob)).toEqual({
      allowed: false,
      reason: 'Only @Ana (who resolved it) or a champion can reopen this item.',
    });
  });

  it('snoozing an unclaimed item is a champion decision', () => {
    expect(checkPermission('snooze', view(), chloe).allowed).toBe(true);
    const denied = checkPermission('snooze', view(), bob);
    expect(denied.allowed).toBe(false);
    if (!denied.allowed) expect(denied.reason).toMatch(/champion/);
  });

  it('names nobody when the claimer is unknown', () => {
    const denied = checkPermission('resolve', claimedBy(ana, { claimedBy: null }), bob);
    expect(denied).toEqual({
      allowed: false,
      reason: 'Only the person who claimed it or a champion can resolve this item.',
    });
  });

  it('champions and admins are champions', () => {
    expect([ana, chloe, admin].map(isChampion)).toEqual([false, true, true]);
  });
});
