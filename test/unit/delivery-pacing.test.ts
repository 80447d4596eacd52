import { describe, expect, it } from 'vitest';
import { createPacer, workspaceBudget } from '../../src/delivery/pacing.ts';

describe('workspace budgets (GCRA)', () => {
  const budget = { key: 'w1:slack:chat.update', perMinute: 60, burst: 3 };

  it('lets a burst go at once, then spaces the rest by 60 s ÷ perMinute, each slot held for its send', () => {
    const pacer = createPacer();
    const at = Array.from({ length: 5 }, () => pacer.reserve(budget, 1000));
    expect(at).toEqual([1000, 1000, 1000, 2000, 3000]);
  });

  it('recovers its burst after a quiet spell, and only as fast as the rate', () => {
    const pacer = createPacer();
    for (let i = 0; i < 3; i++) pacer.reserve(budget, 0);
    expect(pacer.reserve(budget, 1500)).toBe(1500); // one slot came back after 1 s
    expect(pacer.reserve(budget, 1500)).toBe(2000);
    expect(pacer.reserve(budget, 60_000)).toBe(60_000);
    expect(pacer.reserve(budget, 60_000)).toBe(60_000);
    expect(pacer.reserve(budget, 60_000)).toBe(60_000);
    expect(pacer.reserve(budget, 60_000)).toBe(61_000);
  });

  it('a block from the platform moves every later slot past it', () => {
    const pacer = createPacer();
    pacer.blockBudget(budget, 30_000);
    expect(pacer.reserve(budget, 0)).toBe(30_000);
    expect(pacer.reserve(budget, 0)).toBe(31_000);
  });

  it('keeps workspaces, and Slack methods, apart', () => {
    const pacer = createPacer();
    const update = workspaceBudget('w1', 'slack', 'update')!;
    for (let i = 0; i < update.burst; i++) expect(pacer.reserve(update, 0)).toBe(0);
    expect(pacer.reserve(update, 0)).toBeGreaterThan(0);
    expect(pacer.reserve(workspaceBudget('w2', 'slack', 'update')!, 0)).toBe(0);
    expect(pacer.reserve(workspaceBudget('w1', 'slack', 'reply')!, 0)).toBe(0);
    // Posts, thread replies and DMs all count against chat.postMessage.
    expect(workspaceBudget('w1', 'slack', 'dm')!.key).toBe(workspaceBudget('w1', 'slack', 'post')!.key);
    expect(workspaceBudget('w1', 'console', 'post')).toBeNull();
  });
});
