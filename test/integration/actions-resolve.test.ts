// Resolve (the form, the taxonomy) and reopen (a new SLA cycle) through a real database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/core/feedback/item-actions.ts';
import { createItemActions, type ItemActions } from '../../src/core/feedback/item-actions.ts';
import { createTransactor } from '../../src/db/transactor.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { addItem, eventRows, H, outboxJobs, seedWorld, T0, testClock, type World } from './actions-fixtures.ts';

let t: TestDb;
let w: World;
let clock: ReturnType<typeof testClock>;
let actions: ItemActions;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  w = await seedWorld(t);
  clock = testClock();
  actions = createItemActions({ transactor: createTransactor(t.db), repos: createRepos(t.db), clock, timezone: 'Europe/Berlin' });
});

const ctx = (actor: World['ana'], itemId = w.itemId): ActionContext => ({
  workspaceId: w.ws,
  itemId,
  actor,
  platform: actor.slackUserId ? 'slack' : 'teams',
});
const resolution = {
  summary: 'Fixed the export job and called Jane.',
  rootCause: 'product bug',
  preventionAction: 'Add an export smoke test',
  preventionDueOn: '2025-03-20',
  customerContacted: true,
};

/** Events of one type, in the order written (several actions may share one clock instant). */
async function lastEvent(type: string) {
  return (await eventRows(t, w.ws)).filter((e) => e.type === type).at(-1);
}

/** The timeline lines enqueued for the item's thread, oldest first (one per transaction). */
async function threadLines() {
  return (await outboxJobs(t, w.ws)).filter((j) => j.type === 'item.changed').map((j) => j.message?.text);
}

/** Asserts the database did not change: same item row, events and outbox. */
async function snapshot() {
  return {
    item: await w.repos.feedback.findById(w.ws, w.itemId),
    events: await eventRows(t, w.ws),
    outbox: await outboxJobs(t, w.ws),
  };
}

describe('resolve and reopen', () => {
  beforeEach(async () => {
    await actions.claim(ctx(w.ana));
  });

  it('resolves with summary, root cause and prevention; the thread says so', async () => {
    clock.advance(2 * H);
    const r = await actions.resolve(ctx(w.ana), { ...resolution, preventionOwnerId: w.bob.id });
    expect(r).toMatchObject({
      ok: true,
      item: {
        status: 'resolved',
        resolvedById: w.ana.id,
        resolvedAt: new Date(T0.getTime() + 2 * H),
        resolvedBy: { displayName: 'Ana' },
        resolution: {
          summary: resolution.summary,
          rootCause: 'Product bug', // spelled as in the taxonomy
          preventionAction: 'Add an export smoke test',
          preventionOwnerId: w.bob.id,
          preventionDueOn: '2025-03-20',
          customerContacted: true,
        },
      },
    });
    const stored = await w.repos.feedback.findById(w.ws, w.itemId);
    expect(stored?.resolution?.rootCause).toBe('Product bug');
    expect(await lastEvent('resolved')).toMatchObject({ actor_id: w.ana.id, data: { rootCause: 'Product bug' } });
    expect((await threadLines()).at(-1)).toBe(
      'Resolved by Ana: Fixed the export job and called Jane. — root cause: Product bug; prevention: Add an export smoke test · customer contacted',
    );
  });

  it('validates the form and writes nothing when it is wrong', async () => {
    const before = await snapshot();
    const bad = [
      { ...resolution, summary: '  ' },
      { ...resolution, summary: 'x'.repeat(3001) },
      { ...resolution, rootCause: 'Aliens' },
      { ...resolution, preventionDueOn: '20/03/2025' },
      { ...resolution, preventionOwnerId: '99999999-9999-4999-8999-999999999999' },
    ];
    for (const input of bad) {
      const r = await actions.resolve(ctx(w.ana), input);
      expect(r, JSON.stringify(input).slice(0, 80)).toMatchObject({ ok: false, reason: 'invalid_input' });
    }
    const r = await actions.resolve(ctx(w.ana), { ...resolution, rootCause: 'Aliens' });
    if (!r.ok && r.reason === 'invalid_input') expect(r.issues[0]?.path).toBe('rootCause');
    expect(await snapshot()).toEqual(before);
  });

  it('cannot resolve an open item', async () => {
    const open = await addItem(w.repos, w.ws, 'r-2');
    expect(await actions.resolve(ctx(w.chloe, open), resolution)).toMatchObject({ reason: 'invalid_state', status: 'open' });
  });

  it('the workspace taxonomy replaces the default one', async () => {
    const custom = createItemActions({
      transactor: createTransactor(t.db),
      repos: createRepos(t.db),
      clock,
      rootCauses: () => ['Shipping delay'],
    });
    expect(await custom.rootCauses(w.ws)).toEqual(['Shipping delay']);
    expect(await custom.resolve(ctx(w.ana), resolution)).toMatchObject({ reason: 'invalid_input' });
    expect(await custom.resolve(ctx(w.ana), { ...resolution, rootCause: 'Shipping delay' })).toMatchObject({ ok: true });
  });

  it('reopen starts a new cycle with a new due time; only the resolver or a champion', async () => {
    await actions.resolve(ctx(w.ana), resolution);
    clock.advance(48 * H);
    const before = await snapshot();
    expect(await actions.reopen(ctx(w.bob))).toMatchObject({
      reason: 'forbidden',
      message: 'Only @Ana (who resolved it) or a champion can reopen this item.',
    });
    expect(await snapshot()).toEqual(before);

    const r = await actions.reopen(ctx(w.chloe), { note: 'Jane wrote back: still failing' });
    expect(r).toMatchObject({
      ok: true,
      item: { status: 'open', claimedById: null, resolvedById: null, resolution: null, dueAt: new Date(T0.getTime() + 72 * H) },
    });
    expect(await lastEvent('reopened')).toMatchObject({ actor_id: w.chloe.id, data: { cycle: 1 } });
    expect(await actions.reopen(ctx(w.chloe))).toMatchObject({ reason: 'invalid_state' });

    await actions.claim(ctx(w.bob));
    await actions.resolve(ctx(w.bob), resolution);
    expect((await actions.reopen(ctx(w.bob))).ok).toBe(true);
    const cycles = (await eventRows(t, w.ws)).filter((e) => e.type === 'reopened').map((e) => e.data.cycle);
    expect(cycles.sort()).toEqual([1, 2]);
  });

  it('actions on a resolved item explain who resolved it', async () => {
    await actions.resolve(ctx(w.ana), resolution);
    expect(await actions.claim(ctx(w.bob))).toMatchObject({
      reason: 'invalid_state',
      message: 'This item was already resolved by Ana.',
    });
    expect(await actions.snooze(ctx(w.chloe), { option: '1h' })).toMatchObject({ reason: 'invalid_state' });
  });
});
