import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxRepo } from '../../src/db/repos/outbox.repo.ts';
import { ChannelNotFound, RateLimited } from '../../src/delivery/errors.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { attemptEvents, chatPostRows, fakePort, outboxRows, seed, testClock, worker } from './delivery-fixtures.ts';

let db: TestDb;
beforeAll(async () => {
  db = await getTestDb();
});
beforeEach(async () => {
  await db.reset();
});
afterAll(async () => {
  await db?.close();
});

describe('delivery worker: item.post', () => {
  it('posts the card, records the chat post and an attempt event, and marks the row done', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C1' });

    expect(await worker(db, { ports: { slack }, clock }).drainOnce()).toBe(1);

    expect(slack.calls).toMatchObject([{ op: 'post', channel: 'C1', text: `card ${itemId} open` }]);
    expect(await chatPostRows(db)).toEqual([
      { item_id: itemId, platform: 'slack', channel: 'C1', message_id: 'slack-m1', purpose: 'card' },
    ]);
    expect(await attemptEvents(db, itemId)).toEqual([
      { platform: 'slack', channel: 'C1', ok: true, error: null, attempt: 1 },
    ]);
    const [row] = await outboxRows(db);
    expect(row).toMatchObject({ status: 'done', attempts: 1, last_error: null });
  });

  it('retries a transient failure after its backoff, not before', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    slack.failures.push({ error: new Error('socket hang up') });
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C1' });
    const w = worker(db, { ports: { slack }, clock });

    await w.drainOnce();
    let [row] = await outboxRows(db);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: socket hang up' });
    // Backoff with jitter pinned to its ceiling: base 2 s for the first retry.
    expect(new Date(row!.next_attempt_at).getTime()).toBe(clock.t + 2000);

    clock.advance(1999);
    expect(await w.drainOnce()).toBe(0);
    clock.advance(1);
    expect(await w.drainOnce()).toBe(1);

    expect(slack.calls).toHaveLength(1);
    [row] = await outboxRows(db);
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    expect(await attemptEvents(db, itemId)).toEqual([
      { platform: 'slack', channel: 'C1', ok: false, error: 'Error: socket hang up', attempt: 1 },
      { platform: 'slack', channel: 'C1', ok: true, error: null, attempt: 2 },
    ]);
    expect(await chatPostRows(db)).toHaveLength(1);
  });

  it('waits exactly Retry-After on RateLimited, without counting an attempt', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    slack.failures.push({ error: new RateLimited(30_000) });
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C1' });
    const w = worker(db, { ports: { slack }, clock });

    await w.drainOnce();
    const [row] = await outboxRows(db);
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(row!.next_attempt_at).getTime()).toBe(clock.t + 30_000);

    clock.advance(29_999);
    expect(await w.drainOnce()).toBe(0);
    clock.advance(1);
    await w.drainOnce();
    expect(slack.calls).toHaveLength(1);
    expect((await outboxRows(db))[0]).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('dead-letters after maxAttempts, keeping the last error', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    slack.failAlways = new Error('upstream 502');
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C1' });
    const w = worker(db, { ports: { slack }, clock, maxAttempts: 3 });

    for (let i = 0; i < 5; i++) {
      await w.drainOnce();
      clock.advance(60 * 60_000);
    }
    const [row] = await outboxRows(db);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'Error: upstream 502' });
    expect(await attemptEvents(db, itemId)).toHaveLength(3);
    expect(await chatPostRows(db)).toHaveLength(0);
  });

  it('dead-letters a permanent error at once', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    slack.failures.push({ error: new ChannelNotFound('channel_not_found: C404') });
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C404' });
    await worker(db, { ports: { slack }, clock }).drainOnce();
    expect((await outboxRows(db))[0]).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'ChannelNotFound: channel_not_found: C404',
    });
  });

  it('dead-letters a job for a platform that has no port, with a clear error', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'teams', channel: 'cx-team' });
    const w = worker(db, { ports: { slack }, clock });
    await w.drainOnce();
    const [row] = await outboxRows(db);
    expect(row!.status).toBe('dead');
    expect(row!.last_error).toContain('no chat port for platform "teams"');
    clock.advance(60 * 60_000);
    expect(await w.drainOnce()).toBe(0);
    expect(slack.calls).toHaveLength(0);
  });
});

describe('delivery worker: pacing and concurrency', () => {
  it('never sends two posts to one Slack channel within the same second', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const a = await s.item('first');
    const b = await s.item('second');
    await s.enqueue({ type: 'item.post', itemId: a, platform: 'slack', channel: 'C1' });
    await s.enqueue({ type: 'item.post', itemId: b, platform: 'slack', channel: 'C1' });
    const w = worker(db, { ports: { slack }, clock });

    await w.drainOnce();
    expect(slack.calls).toHaveLength(1);
    const rows = await outboxRows(db);
    const waiting = rows.find((r) => r.status === 'pending')!;
    expect(waiting.attempts).toBe(0); // pacing is not an attempt
    expect(waiting.last_error).toBeNull();

    await w.drainOnce(); // same instant: still not free
    expect(slack.calls).toHaveLength(1);
    clock.advance(1000);
    await w.drainOnce();
    expect(slack.calls).toHaveLength(2);
    expect(slack.calls[1]!.at - slack.calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('spreads a queue for one channel over its seconds, each waiting row holding its own slot (touched once, not every second)', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const items: string[] = [];
    for (let i = 0; i < 5; i++) {
      items.push(await s.item(`item ${i}`));
      await s.enqueue({ type: 'item.post', itemId: items[i]!, platform: 'slack', channel: 'C1' });
    }
    const w = worker(db, { ports: { slack }, clock });
    const t0 = clock.t;

    expect(await w.drainOnce()).toBe(5);
    expect(slack.calls).toHaveLength(1);
    const waiting = (await outboxRows(db)).filter((r) => r.status === 'pending');
    expect(waiting.map((r) => new Date(r.next_attempt_at).getTime())).toEqual([t0 + 1000, t0 + 2000, t0 + 3000, t0 + 4000]);
    expect(waiting.every((r) => (r.job as { reserved?: string[] }).reserved?.[0] === 'post')).toBe(true);

    for (let k = 1; k <= 4; k++) {
      clock.advance(1000);
      expect(await w.drainOnce()).toBe(1); // only the row whose slot it is
      expect(slack.calls).toHaveLength(k + 1);
    }
    expect(slack.calls.map((c) => c.text)).toEqual(items.map((id) => `card ${id} open`)); // in queue order
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('two workers draining at once never send the same row twice (SKIP LOCKED + lease)', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const items: string[] = [];
    for (let i = 0; i < 24; i++) {
      const itemId = await s.item(`item ${i}`);
      items.push(itemId);
      await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: `C${i}` });
    }
    // On real Postgres the second worker gets its own connection pool, like a second process.
    const { openDb } = await import('../../src/db/client.ts');
    const other = db.url ? await openDb({ url: db.url }) : db;
    try {
      const w1 = worker(db, { ports: { slack }, clock, batchSize: 5 });
      const w2 = worker(other, { ports: { slack }, clock, batchSize: 5 });
      for (let round = 0; round < 10; round++) await Promise.all([w1.drainOnce(), w2.drainOnce()]);
    } finally {
      if (other !== db) await other.close();
    }
    expect(slack.calls).toHaveLength(24);
    expect(new Set(slack.calls.map((c) => c.channel)).size).toBe(24);
    expect(await chatPostRows(db)).toHaveLength(24);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('lets a row whose worker died run again once its lease expired', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C1' });
    const { createOutboxRepo } = await import('../../src/db/repos/outbox.repo.ts');
    // A worker claims the row, then "dies" without settling it.
    const claimed = await createOutboxRepo(db.db).claim({
      now: clock.now(),
      lockedUntil: new Date(clock.t + 120_000),
      limit: 10,
    });
    expect(claimed).toHaveLength(1);
    const w = worker(db, { ports: { slack }, clock });
    expect(await w.drainOnce()).toBe(0);
    clock.advance(120_000);
    expect(await w.drainOnce()).toBe(1);
    expect(slack.calls).toHaveLength(1);
  });

  it('claims rows enqueued together (one statement, one created_at) in the order they were enqueued', async () => {
    const s = await seed(db);
    const itemId = await s.item();
    const texts = ['claimed', 'released', 'claimed again', 'snoozed', 'resolved', 'reopened'];
    await s.enqueue(...texts.map((text) => ({ type: 'item.thread' as const, itemId, message: { text, blocks: [] } })));
    const now = testClock().now();
    const rows = await createOutboxRepo(db.db).claim({ now, lockedUntil: new Date(now.getTime() + 60_000), limit: 10 });
    expect(rows.map((r) => (r.job as { message: { text: string } }).message.text)).toEqual(texts);
  });
});

describe('delivery worker: workspace budgets', () => {
  /** `n` items whose Slack cards are posted, each in its own channel; the budgets rested after. */
  async function postedCards(n: number, opts: Partial<Parameters<typeof worker>[1]> = {}) {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const itemId = await s.item(`item ${i}`);
      items.push(itemId);
      await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: `C${i}` });
    }
    const w = worker(db, { ports: { slack }, clock, ...opts });
    await w.drainOnce();
    expect(slack.calls).toHaveLength(n);
    slack.calls.length = 0;
    clock.advance(10 * 60_000);
    return { clock, slack, s, items, w };
  }
  const pendingTimes = async () =>
    (await outboxRows(db)).filter((r) => r.status === 'pending').map((r) => new Date(r.next_attempt_at).getTime());

  it("keeps a workspace within chat.update's Tier 3 budget: the rest of a burst waits for slots reserved for it", async () => {
    const { clock, slack, s, items, w } = await postedCards(23);
    const t0 = clock.t;
    for (const itemId of items) await s.enqueue({ type: 'item.refresh', itemId });

    await w.drainOnce();
    // A burst of 20 goes at once; the other 3 are spaced by 60 s / 50 = 1.2 s, one row each.
    expect(slack.calls.filter((c) => c.op === 'update')).toHaveLength(20);
    expect((await pendingTimes()).sort()).toEqual([t0 + 1200, t0 + 2400, t0 + 3600]);
    const waiting = (await outboxRows(db)).filter((r) => r.status === 'pending');
    expect(waiting.every((r) => r.attempts === 0 && r.last_error === null)).toBe(true); // waiting is not failing

    expect(await w.drainOnce()).toBe(0); // nothing due yet: no polling of waiting rows
    clock.advance(1200);
    await w.drainOnce();
    expect(slack.calls).toHaveLength(21);
    clock.advance(2400);
    await w.drainOnce();
    // Every card updated exactly once, and all rows done.
    expect(new Set(slack.calls.map((c) => c.messageId)).size).toBe(23);
    expect(slack.calls).toHaveLength(23);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);

    // The waiting rows used the slots held for them instead of taking new ones: the next update
    // gets the slot right after the last, not one pushed back by double counting.
    await s.enqueue({ type: 'item.refresh', itemId: items[0]! });
    await w.drainOnce();
    expect(await pendingTimes()).toEqual([clock.t + 1200]);
  });

  it('budgets are per workspace and per method: thread replies still go while updates wait', async () => {
    const { slack, s, items, w } = await postedCards(23);
    for (const itemId of items) {
      await s.enqueue({ type: 'item.refresh', itemId }, { type: 'item.thread', itemId, message: { text: 'claimed', blocks: [] } });
    }
    await w.drainOnce();
    expect(slack.calls.filter((c) => c.op === 'update')).toHaveLength(20);
    expect(slack.calls.filter((c) => c.op === 'reply')).toHaveLength(23);
  });

  it("a card update does not wait behind a reply just posted in its channel (Slack's one a second is chat.postMessage's)", async () => {
    const { slack, s, items, w } = await postedCards(1);
    await s.enqueue({ type: 'item.thread', itemId: items[0]!, message: { text: 'claimed', blocks: [] } });
    await s.enqueue({ type: 'item.refresh', itemId: items[0]! });
    await w.drainOnce();
    expect(slack.calls.map((c) => `${c.op} ${c.channel}`)).toEqual(['reply C0', 'update C0']);
  });

  it('a change whose card update waits for a slot replies now, and updates the card alone at its slot', async () => {
    const { clock, slack, s, items, w } = await postedCards(21);
    for (const itemId of items) await s.enqueue({ type: 'item.changed', itemId, message: { text: 'Claimed by Ana', blocks: [] } });
    await w.drainOnce();
    expect(slack.calls.filter((c) => c.op === 'update')).toHaveLength(20);
    expect(slack.calls.filter((c) => c.op === 'reply')).toHaveLength(21);
    const [waiting] = (await outboxRows(db)).filter((r) => r.status === 'pending');
    expect(waiting!.job).toMatchObject({ remaining: [expect.stringMatching(/^update:/)], reserved: [expect.stringMatching(/^update:/)] });

    clock.advance(1200);
    await w.drainOnce();
    expect(slack.calls.filter((c) => c.op === 'update')).toHaveLength(21);
    expect(slack.calls.filter((c) => c.op === 'reply')).toHaveLength(21); // not replied twice
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it("while a workspace's card updates are booked far ahead, its new card changes stay queued untouched; other work still goes", async () => {
    const { clock, slack, s, items, w } = await postedCards(40);
    const t0 = clock.t;
    const change = (itemId: string, text: string) => ({ type: 'item.changed' as const, itemId, message: { text, blocks: [] } });
    for (const itemId of items) await s.enqueue(change(itemId, 'Claimed by Ana'));
    await w.drainOnce();
    // 20 updates go; the other 20 hold slots up to +24 s, so the next free slot is +25.2 s.
    expect(slack.calls.filter((c) => c.op === 'update')).toHaveLength(20);
    slack.calls.length = 0;

    await s.enqueue(change(items[0]!, 'Resolved by Ana'));
    const fresh = await s.item('A new item');
    await s.enqueue({ type: 'item.post', itemId: fresh, platform: 'slack', channel: 'C-new' });
    expect(await w.drainOnce()).toBe(1);
    expect(slack.calls).toMatchObject([{ op: 'post', channel: 'C-new' }]); // a new card is not held back
    const held = (await outboxRows(db)).find((r) => (r.job as { message?: { text: string } }).message?.text === 'Resolved by Ana')!;
    // Not leased, not deferred, not rewritten: as it was enqueued.
    expect(held).toMatchObject({ status: 'pending', attempts: 0, locked_until: null, job: change(items[0]!, 'Resolved by Ana') });
    const enqueuedAt = new Date(held.next_attempt_at).getTime();

    clock.advance(15_199); // the next free slot is still more than 10 s away
    await w.drainOnce();
    expect((await outboxRows(db)).find((r) => r.id === held.id)).toMatchObject({ attempts: 0, locked_until: null });
    expect(new Date((await outboxRows(db)).find((r) => r.id === held.id)!.next_attempt_at).getTime()).toBe(enqueuedAt);

    clock.advance(1); // +15.2 s: the queue is within 10 s again, so the change is claimed
    slack.calls.length = 0;
    await w.drainOnce();
    expect(slack.calls.filter((c) => c.op === 'reply' && c.text === 'Resolved by Ana')).toHaveLength(1);
    const after = (await outboxRows(db)).find((r) => r.id === held.id)!;
    expect(after.job).toMatchObject({ remaining: [expect.stringMatching(/^update:/)], reserved: [expect.stringMatching(/^update:/)] });
    expect(new Date(after.next_attempt_at).getTime()).toBe(t0 + 25_200);
  });

  it('while changes are held back, a rush of enqueues wakes the worker once per burst delay, not once each', async () => {
    const { slack, s, items, w } = await postedCards(40, { pollMs: 60_000, wakeDelayMs: 0, burstDelayMs: 60_000 });
    const change = (itemId: string) => ({ type: 'item.changed' as const, itemId, message: { text: 'Claimed by Ana', blocks: [] } });
    for (const itemId of items) await s.enqueue(change(itemId));
    await w.drainOnce(); // card updates booked to +24 s: further changes are held back
    await s.enqueue(change(items[0]!));
    slack.calls.length = 0;
    w.start();
    w.notify(); // a click while the drain runs: it finds only held changes
    await new Promise((r) => setTimeout(r, 100));
    await s.enqueue({ type: 'item.post', itemId: await s.item(), platform: 'slack', channel: 'C-new' });
    w.notify();
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls).toHaveLength(0); // the next claim waits for the burst delay
    await w.stop();
    await w.drainOnce();
    expect(slack.calls).toMatchObject([{ op: 'post', channel: 'C-new' }]);
  });

  it("a 429 on chat.update holds back the workspace's other updates until Retry-After", async () => {
    const { clock, slack, s, items, w } = await postedCards(2);
    slack.failures.push({ op: 'update', error: new RateLimited(30_000) });
    await s.enqueue({ type: 'item.refresh', itemId: items[0]! });
    await w.drainOnce();
    expect(slack.calls).toHaveLength(0);

    // Another card, in another channel: Slack's Tier 3 limit is the workspace's, so it waits too
    // (queued, not even claimed: no update slot for 30 s).
    await s.enqueue({ type: 'item.refresh', itemId: items[1]! });
    await w.drainOnce();
    expect(slack.calls).toHaveLength(0);
    const [first, second] = (await outboxRows(db)).filter((r) => r.status === 'pending');
    expect(new Date(first!.next_attempt_at).getTime()).toBeGreaterThanOrEqual(clock.t + 30_000);
    expect(second).toMatchObject({ attempts: 0, locked_until: null, job: { type: 'item.refresh', itemId: items[1]! } });
    expect(second!.job).not.toHaveProperty('remaining');

    clock.advance(30_000);
    await w.drainOnce();
    clock.advance(1200);
    await w.drainOnce();
    expect(slack.calls.map((c) => c.channel).sort()).toEqual(['C0', 'C1']);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });
});

describe('delivery worker: waking', () => {
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  it('lets a burst gather into one batch: enqueues during the wait do not cut it short', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    await s.enqueue({ type: 'item.post', itemId: await s.item(), platform: 'slack', channel: 'C0' });
    const w = worker(db, { ports: { slack }, clock, pollMs: 60_000, wakeDelayMs: 0, burstDelayMs: 60_000 });
    w.start();
    w.notify(); // more is coming while the first drain runs: a burst
    await until(() => slack.calls.length === 1);
    // One channel each, so pacing never holds a card back.
    for (let i = 1; i <= 5; i++) {
      await s.enqueue({ type: 'item.post', itemId: await s.item(), platform: 'slack', channel: `C${i}` });
      w.notify();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls).toHaveLength(1);
    await w.stop();
    expect(await w.drainOnce()).toBe(5);
  });

  it('wakes at once for an enqueue after a quiet spell', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const w = worker(db, { ports: { slack }, clock, pollMs: 60_000, wakeDelayMs: 0, burstDelayMs: 60_000 });
    w.start();
    await new Promise((r) => setTimeout(r, 100));
    await s.enqueue({ type: 'item.post', itemId: await s.item(), platform: 'slack', channel: 'C1' });
    w.notify();
    await until(() => slack.calls.length === 1);
    await w.stop();
  });
});

describe('outbox storage', () => {
  it('leases rows with HOT updates: outbox pages keep room, so a claim writes no index entries', async () => {
    const s = await seed(db);
    const itemId = await s.item();
    await db.query(
      `insert into outbox (workspace_id, item_id, destination, job)
       select $1::uuid, $2::uuid, 'slack:C1', jsonb_build_object('type', 'item.post', 'itemId', $2::uuid, 'platform', 'slack', 'channel', 'C1')
       from generate_series(1, 300)`,
      [s.workspaceId, itemId],
    );
    // The transaction's own counters: the cumulative statistics lag behind.
    const counts = await db.db.transaction(async (tx) => {
      const now = new Date();
      const leased = await createOutboxRepo(tx).claim({ now, lockedUntil: new Date(now.getTime() + 60_000), limit: 300 });
      expect(leased).toHaveLength(300);
      const result = (await tx.execute(
        sql`select pg_stat_get_xact_tuples_updated('outbox'::regclass)::int as updated,
          pg_stat_get_xact_tuples_hot_updated('outbox'::regclass)::int as hot`,
      )) as unknown;
      return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows)[0];
    });
    // With full pages (fillfactor 100) none of them is (measured: 0 of 300). On PGlite's one
    // session the counters also see other writes of the moment, so only the floor is asserted.
    expect((counts as { updated: number }).updated).toBeGreaterThanOrEqual(300);
    expect((counts as { hot: number }).hot).toBeGreaterThanOrEqual(290);
  });
});
