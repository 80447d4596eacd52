// Claim, release, reassign and snooze through a real database: atomic claims, events and outbox rows
// in the same transaction as the change, nothing written when an action is refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/core/feedback/item-actions.ts';
import { createItemActions, type ItemActions } from '../../src/core/feedback/item-actions.ts';
import type { Transactor } from '../../src/core/ports.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { createTransactor } from '../../src/db/transactor.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { eventRows, H, outboxJobs, seedWorld, T0, testClock, type World } from './actions-fixtures.ts';

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

describe('claim', () => {
  it('claims an open item: event and outbox jobs with it', async () => {
    const r = await actions.claim(ctx(w.ana));
    expect(r).toMatchObject({ ok: true, item: { status: 'claimed', claimedById: w.ana.id, claimedBy: { displayName: 'Ana' } } });
    if (r.ok) expect(r.item.customer?.name).toBe('Jane Doe');
    // The claim statement maps its own rows: the same view the repository reads later.
    if (r.ok) expect(r.item).toEqual(await w.repos.feedback.view(w.ws, w.itemId));
    expect(await eventRows(t, w.ws)).toEqual([
      { type: 'claimed', actor_id: w.ana.id, platform: 'slack', data: { dueAt: new Date(T0.getTime() + 24 * H).toISOString() } },
    ]);
    const jobs = await outboxJobs(t, w.ws);
    // One job per change: update every post of the card and say why in its thread.
    expect(jobs.map((j) => j.type)).toEqual(['item.changed']);
    expect(jobs[0]?.message?.text).toBe('Claimed by Ana');
  });

  it('50 concurrent claims: exactly one wins, 49 are told who', async () => {
    const claimers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        w.repos.people.upsertFromChat(w.ws, { platform: 'slack', userId: `U${i}`, displayName: `Person ${i}` }),
      ),
    );
    const results = await Promise.all(claimers.map((p) => actions.claim(ctx(p))));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]!.ok ? winners[0]!.item.claimedById : null;
    const losers = results.filter((r) => !r.ok);
    expect(losers).toHaveLength(49);
    for (const l of losers) {
      expect(l).toMatchObject({ ok: false, reason: 'already_claimed', by: { id: winnerId } });
    }
    expect((await eventRows(t, w.ws)).filter((e) => e.type === 'claimed')).toHaveLength(1);
    expect(await outboxJobs(t, w.ws)).toHaveLength(1); // the winner's one job
  });

  it('a second claim by the winner says so; unknown items are not found', async () => {
    await actions.claim(ctx(w.ana));
    expect(await actions.claim(ctx(w.ana))).toMatchObject({ reason: 'already_claimed', message: 'You already claimed this item.' });
    expect(await actions.claim(ctx(w.bob))).toMatchObject({ reason: 'already_claimed', message: 'Already claimed by Ana.' });
    expect(await actions.claim(ctx(w.ana, '99999999-9999-4999-8999-999999999999'))).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await actions.claim(ctx(w.ana, 'not-a-uuid'))).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('cannot reach another workspace', async () => {
    const other = await seedWorld(t);
    const r = await actions.claim({ ...ctx(w.ana), itemId: other.itemId });
    expect(r).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await actions.claim({ ...ctx(w.ana), workspaceId: other.ws, itemId: other.itemId })).toMatchObject({
      reason: 'forbidden',
    });
  });

  it('a claim of a snoozed open item is fine', async () => {
    expect((await actions.snooze(ctx(w.chloe), { option: '1h' })).ok).toBe(true);
    expect(await actions.claim(ctx(w.bob))).toMatchObject({ ok: true, item: { status: 'claimed' } });
  });
});

describe('release and reassign', () => {
  beforeEach(async () => {
    await actions.claim(ctx(w.ana));
  });

  it('the claimer releases: open again, event and outbox', async () => {
    const r = await actions.release(ctx(w.ana));
    expect(r).toMatchObject({ ok: true, item: { status: 'open', claimedById: null, claimedBy: null } });
    const events = await eventRows(t, w.ws);
    expect(events.find((e) => e.type === 'released')).toMatchObject({ type: 'released', actor_id: w.ana.id, data: { previousClaimerId: w.ana.id } });
    expect(await threadLines()).toEqual(['Claimed by Ana', 'Released by Ana']);
  });

  it('someone else cannot release, reassign, snooze or resolve, and nothing is written', async () => {
    const before = await snapshot();
    expect(await actions.release(ctx(w.bob))).toEqual({
      ok: false,
      reason: 'forbidden',
      message: 'Only @Ana (who claimed it) or a champion can release this item.',
    });
    expect(await actions.reassign(ctx(w.bob), { toPersonId: w.bob.id })).toMatchObject({ reason: 'forbidden' });
    expect(await actions.snooze(ctx(w.bob), { option: '4h' })).toMatchObject({ reason: 'forbidden' });
    expect(await actions.resolve(ctx(w.bob), resolution)).toMatchObject({ reason: 'forbidden' });
    expect(await snapshot()).toEqual(before);
  });

  it('a champion reassigns to Bob: thread line and a DM to Bob', async () => {
    const r = await actions.reassign(ctx(w.chloe), { toPersonId: w.bob.id });
    expect(r).toMatchObject({ ok: true, item: { status: 'claimed', claimedById: w.bob.id, claimedBy: { displayName: 'Bob' } } });
    expect(await lastEvent('reassigned')).toMatchObject({
      type: 'reassigned',
      actor_id: w.chloe.id,
      platform: 'teams',
      data: { fromId: w.ana.id, toId: w.bob.id },
    });
    const jobs = (await outboxJobs(t, w.ws)).slice(1); // after the claim's
    expect(jobs.map((j) => j.type).sort()).toEqual(['item.changed', 'person.dm']);
    const dm = jobs.find((j) => j.type === 'person.dm')!;
    expect(dm.personId).toBe(w.bob.id);
    expect(dm.message?.text).toBe('Chloe assigned you NPS 3 · Detractor from Jane Doe · Acme');
  });

  it('reassign to an unknown person or to the owner is invalid input', async () => {
    const before = await snapshot();
    expect(await actions.reassign(ctx(w.ana), { toPersonId: '99999999-9999-4999-8999-999999999999' })).toMatchObject({
      reason: 'invalid_input',
    });
    expect(await actions.reassign(ctx(w.ana), { toPersonId: w.ana.id })).toMatchObject({ reason: 'invalid_input' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('snooze', () => {
  it('pauses the clock: due time moves by the snooze, event records both', async () => {
    await actions.claim(ctx(w.ana));
    const r = await actions.snooze(ctx(w.ana), { option: '4h' });
    expect(r).toMatchObject({
      ok: true,
      item: { snoozedUntil: new Date(T0.getTime() + 4 * H), dueAt: new Date(T0.getTime() + 28 * H) },
    });
    expect(await lastEvent('snoozed')).toMatchObject({
      type: 'snoozed',
      data: { option: '4h', previousDueAt: new Date(T0.getTime() + 24 * H).toISOString() },
    });
    expect((await threadLines()).at(-1)).toMatch(/^Snoozed by Ana until Wed 5 Mar 15:00/);
  });

  it('"morning" uses the given timezone; Friday evening → Monday 09:00', async () => {
    clock.set(new Date('2025-03-07T18:00:00Z')); // Friday 19:00 in Berlin
    const r = await actions.snooze(ctx(w.chloe), { option: 'morning' });
    expect(r).toMatchObject({ ok: true, item: { snoozedUntil: new Date('2025-03-10T08:00:00Z') } });
    const ny = await actions.snooze(ctx(w.chloe), { option: 'morning', timezone: 'America/New_York' });
    expect(ny).toMatchObject({ ok: true, item: { snoozedUntil: new Date('2025-03-10T13:00:00Z') } });
  });

  it('rejects an unknown option or timezone without writing', async () => {
    const before = await snapshot();
    expect(await actions.snooze(ctx(w.chloe), { option: '2d' })).toMatchObject({ reason: 'invalid_input' });
    expect(await actions.snooze(ctx(w.chloe), { option: 'morning', timezone: 'Mars/Base' })).toMatchObject({
      reason: 'invalid_input',
    });
    expect(await actions.snooze(ctx(w.bob), { option: '1h' })).toMatchObject({ reason: 'forbidden' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('one transaction per action', () => {
  it('when the outbox write fails, the state change and the event roll back too', async () => {
    expect((await actions.claim(ctx(w.ana))).ok).toBe(true);
    const failing: Transactor = {
      run: (fn) =>
        t.db.transaction((tx) => {
          const repos = createRepos(tx);
          return fn({
            ...repos,
            outbox: {
              enqueue: async () => {
                throw new Error('outbox down');
              },
            },
          });
        }),
    };
    const broken = createItemActions({ transactor: failing, repos: createRepos(t.db), clock });
    const before = await snapshot();
    await expect(broken.release(ctx(w.ana))).rejects.toThrow('outbox down');
    expect(await snapshot()).toEqual(before);
    expect(before.item?.status).toBe('claimed');
  });

  it('a claim is one statement: when its outbox insert fails, nothing of it stays', async () => {
    await t.query(`create function cf_test_fail() returns trigger language plpgsql as $$ begin raise exception 'outbox down'; end $$`);
    await t.query('create trigger cf_test_fail before insert on outbox for each row execute function cf_test_fail()');
    try {
      const before = await snapshot();
      await expect(actions.claim(ctx(w.ana))).rejects.toThrow('outbox down');
      expect(await snapshot()).toEqual(before);
      expect(before.item?.status).toBe('open');
    } finally {
      await t.query('drop trigger cf_test_fail on outbox');
      await t.query('drop function cf_test_fail()');
    }
  });
});
