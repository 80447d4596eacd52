import { describe, expect, it } from 'vitest';
import { createPacer, paceKey, workspaceBudget } from '../../src/delivery/pacing.ts';

describe('channel slots', () => {
  it('books each send the next free slot of its channel, held for it, from `notBefore` on', () => {
    const pacer = createPacer();
    expect([0, 0, 0].map(() => pacer.takeSlot('slack:C1', 0, 1000))).toEqual([0, 1000, 2000]);
    expect(pacer.takeSlot('slack:C2', 0, 1000)).toBe(0); // channels apart
    expect(pacer.takeSlot('slack:C2', 0, 1000, 5000)).toBe(5000); // e.g. the workspace's slot comes later
    expect(pacer.takeSlot('slack:C2', 0, 1000)).toBe(6000);
    pacer.block('slack:C3', 30_000);
    expect(pacer.takeSlot('slack:C3', 0, 0)).toBe(30_000); // a 429 holds even a lane with no interval
  });
});


describe('workspace budgets (GCRA)', () => {
  const budget = { key: 'w1:slack:chat.update', workspaceId: 'w1', perMinute: 60, burst: 3 };

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

  it('names the workspaces whose slots of a budget are booked beyond a horizon, and only of that budget', () => {
    const pacer = createPacer();
    const updates = (ws: string) => workspaceBudget(ws, 'slack', 'update');
    const w1 = updates('w1')!;
    for (let i = 0; i < w1.burst; i++) pacer.reserve(w1, 0);
    expect(pacer.backlogged(updates, 0, 10_000)).toEqual([]); // a burst books nothing ahead
    for (let i = 0; i < 9; i++) pacer.reserve(w1, 0); // slots at 1.2 s … 10.8 s; the next is 12 s
    expect(pacer.backlogged(updates, 0, 10_000)).toEqual(['w1']);
    expect(pacer.backlogged(updates, 1999, 10_000)).toEqual(['w1']);
    expect(pacer.backlogged(updates, 2000, 10_000)).toEqual([]);
    // Another workspace's updates, and w2's messages booked far ahead, are not w2's updates.
    const messages = workspaceBudget('w2', 'slack', 'reply')!;
    for (let i = 0; i < 200; i++) pacer.reserve(messages, 0);
    expect(pacer.backlogged(updates, 0, 10_000)).toEqual(['w1']);
    expect(pacer.backlogged((ws) => workspaceBudget(ws, 'slack', 'reply'), 0, 10_000)).toEqual(['w2']);
  });
});

describe('paceKey', () => {
  it("paces by channel; a DM has its own lane, and so does a Slack card update (Slack's one a second is chat.postMessage's)", () => {
    expect(paceKey('slack', 'post', 'C1')).toBe(paceKey('slack', 'reply', 'C1'));
    expect(paceKey('slack', 'update', 'C1')).not.toBe(paceKey('slack', 'reply', 'C1'));
    expect(paceKey('slack', 'dm', 'U1')).toBe('slack:dm:U1');
    expect(paceKey('teams', 'update', 'T1')).toBe(paceKey('teams', 'reply', 'T1')); // Teams limits every send to a conversation
  });
});
