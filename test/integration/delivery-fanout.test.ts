// Jobs that fan out: refresh and thread every post of an item, DM a person on each platform.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { MessageNotFound } from '../../src/delivery/errors.ts';
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

const msg = (text: string) => ({ text, blocks: [] });

/** Drains until nothing is pending, moving the clock past pacing. */
async function drainAll(w: { drainOnce(): Promise<number> }, clock: { advance(ms: number): void }) {
  for (let i = 0; i < 10; i++) {
    await w.drainOnce();
    if ((await outboxRows(db)).every((r) => r.status !== 'pending')) return;
    clock.advance(1100);
  }
  throw new Error('delivery did not settle');
}

/** An item with a card on Slack (C1) and on Teams (T1). */
async function postedItem() {
  const clock = testClock();
  const slack = fakePort('slack', clock);
  const teams = fakePort('teams', clock);
  const s = await seed(db);
  const itemId = await s.item();
  await s.enqueue(
    { type: 'item.post', itemId, platform: 'slack', channel: 'C1' },
    { type: 'item.post', itemId, platform: 'teams', channel: 'T1' },
  );
  const w = worker(db, { ports: { slack, teams }, clock });
  await w.drainOnce();
  expect(await chatPostRows(db)).toHaveLength(2);
  slack.calls.length = 0;
  teams.calls.length = 0;
  clock.advance(5000);
  return { clock, slack, teams, s, itemId, w };
}

describe('delivery worker: fan-out jobs', () => {
  it('item.refresh re-renders and updates every post on every platform', async () => {
    const { slack, teams, s, itemId, w } = await postedItem();
    await s.repos.feedback.transition(s.workspaceId, itemId, ['open'], { status: 'resolved', resolvedAt: new Date() });
    await s.enqueue({ type: 'item.refresh', itemId });
    await w.drainOnce();
    expect(slack.calls).toMatchObject([{ op: 'update', channel: 'C1', messageId: 'slack-m1', text: `card ${itemId} resolved` }]);
    expect(teams.calls).toMatchObject([{ op: 'update', channel: 'T1', text: `card ${itemId} resolved` }]);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('a failing platform does not block the other, and only the failed post is retried', async () => {
    const { clock, slack, teams, s, itemId, w } = await postedItem();
    teams.failures.push({ error: new Error('502 from connector') });
    await s.enqueue({ type: 'item.refresh', itemId });

    await w.drainOnce();
    expect(slack.calls).toHaveLength(1);
    expect(teams.calls).toHaveLength(0);
    const refresh = (await outboxRows(db)).find((r) => r.job.type === 'item.refresh')!;
    expect(refresh).toMatchObject({ status: 'pending', attempts: 1 });
    expect(refresh.job.remaining).toHaveLength(1);

    clock.advance(2000);
    await w.drainOnce();
    expect(slack.calls).toHaveLength(1); // not updated again
    expect(teams.calls).toMatchObject([{ op: 'update', channel: 'T1' }]);
    const events = await attemptEvents(db, itemId);
    expect(events.filter((e) => e.platform === 'teams').map((e) => e.ok)).toEqual([true, false, true]);
  });

  it('a post deleted by a user is dropped while the others are updated', async () => {
    const { slack, teams, s, itemId, w } = await postedItem();
    slack.failures.push({ error: new MessageNotFound('message_not_found') });
    await s.enqueue({ type: 'item.refresh', itemId });
    await w.drainOnce();
    expect(teams.calls).toHaveLength(1);
    const refresh = (await outboxRows(db)).find((r) => r.job.type === 'item.refresh')!;
    expect(refresh).toMatchObject({ status: 'done', last_error: 'MessageNotFound: message_not_found' });
  });

  it('several refreshes of one item in a batch update each post once', async () => {
    const { slack, teams, s, itemId, w } = await postedItem();
    await s.enqueue({ type: 'item.refresh', itemId }, { type: 'item.refresh', itemId }, { type: 'item.refresh', itemId });
    await w.drainOnce();
    expect(slack.calls).toHaveLength(1);
    expect(teams.calls).toHaveLength(1);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('a batch of jobs for several items reads each item\'s own posts and card (read up front)', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const [a, b, bare] = [await s.item(), await s.item(), await s.item()];
    await s.enqueue(
      { type: 'item.post', itemId: a, platform: 'slack', channel: 'CA' },
      { type: 'item.post', itemId: b, platform: 'slack', channel: 'CB' },
    );
    const w = worker(db, { ports: { slack }, clock });
    await w.drainOnce();
    slack.calls.length = 0;
    clock.advance(5000);
    await s.repos.feedback.transition(s.workspaceId, b, ['open'], { status: 'resolved', resolvedAt: new Date() });
    await s.enqueue(
      { type: 'item.refresh', itemId: a },
      { type: 'item.refresh', itemId: b },
      { type: 'item.thread', itemId: b, message: msg('Resolved') },
      { type: 'item.refresh', itemId: bare },
    );
    await w.drainOnce();
    // A reply takes the channel's pacing slot: an update of CB that ran after it waits a second.
    clock.advance(1500);
    await w.drainOnce();
    const calls = slack.calls.map((c) => `${c.op} ${c.channel} ${c.text}`).sort();
    expect(calls).toEqual([`reply CB Resolved`, `update CA card ${a} open`, `update CB card ${b} resolved`]);
    // The item without a post has nothing to update: done, and no attempt recorded.
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
    expect(await attemptEvents(db, bare)).toEqual([]);
  });

  it('item.changed updates every post, then replies in its thread, and records the replies', async () => {
    const { clock, slack, teams, s, itemId, w } = await postedItem();
    await s.repos.feedback.transition(s.workspaceId, itemId, ['open'], { status: 'resolved', resolvedAt: new Date() });
    await s.enqueue({ type: 'item.changed', itemId, message: msg('Resolved by Ana') });
    expect(await w.drainOnce()).toBe(1); // one row for both halves
    await drainAll(w, clock); // Teams paces the reply behind the update (7 sends a second)
    expect(slack.calls).toMatchObject([
      { op: 'update', channel: 'C1', messageId: 'slack-m1', text: `card ${itemId} resolved` },
      { op: 'reply', channel: 'C1', messageId: 'slack-m1', text: 'Resolved by Ana' },
    ]);
    expect(teams.calls.map((c) => c.op)).toEqual(['update', 'reply']);
    expect((await chatPostRows(db)).filter((p) => p.purpose === 'thread')).toHaveLength(2);
    expect((await attemptEvents(db, itemId)).filter((e) => e.ok)).toHaveLength(6); // 2 posts + 2 updates + 2 replies
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('item.changed retries only what failed: a failed reply is sent again, the card update is not', async () => {
    const { clock, slack, teams, s, itemId, w } = await postedItem();
    slack.failures.push({ op: 'reply', error: new Error('socket hang up') });
    await s.enqueue({ type: 'item.changed', itemId, message: msg('Claimed by Ana') });
    await w.drainOnce();
    const row = (await outboxRows(db)).find((r) => r.job.type === 'item.changed')!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect((row.job.remaining as string[]).every((k) => k.startsWith('reply:'))).toBe(true);

    clock.advance(2000);
    await drainAll(w, clock);
    expect(slack.calls.map((c) => c.op)).toEqual(['update', 'reply']);
    expect(teams.calls.map((c) => c.op)).toEqual(['update', 'reply']);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('several changes of one item in a batch: the card is updated once, every reply goes', async () => {
    const { clock, slack, s, itemId, w } = await postedItem();
    await s.enqueue(
      { type: 'item.changed', itemId, message: msg('Claimed by Ana') },
      { type: 'item.changed', itemId, message: msg('Released by Ana') },
    );
    await drainAll(w, clock); // one reply a second in a Slack channel
    expect(slack.calls.map((c) => `${c.op} ${c.op === 'reply' ? c.text : ''}`.trim())).toEqual([
      'update',
      'reply Claimed by Ana',
      'reply Released by Ana',
    ]);
    expect((await outboxRows(db)).every((r) => r.status === 'done')).toBe(true);
  });

  it('item.thread replies in the thread of every card post and records the replies', async () => {
    const { slack, teams, s, itemId, w } = await postedItem();
    await s.enqueue({ type: 'item.thread', itemId, message: msg('Ana claimed this') });
    await w.drainOnce();
    expect(slack.calls).toMatchObject([{ op: 'reply', channel: 'C1', messageId: 'slack-m1', text: 'Ana claimed this' }]);
    expect(teams.calls).toMatchObject([{ op: 'reply', channel: 'T1', text: 'Ana claimed this' }]);
    const posts = await chatPostRows(db);
    expect(posts.filter((p) => p.purpose === 'thread')).toHaveLength(2);
  });

  it('a refresh waits while the item card is still being posted', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    const itemId = await s.item();
    await s.enqueue({ type: 'item.post', itemId, platform: 'slack', channel: 'C1' });
    const { createOutboxRepo } = await import('../../src/db/repos/outbox.repo.ts');
    await createOutboxRepo(db.db).claim({ now: clock.now(), lockedUntil: new Date(clock.t + 60_000), limit: 1 });
    await s.enqueue({ type: 'item.refresh', itemId });
    await worker(db, { ports: { slack }, clock }).drainOnce();
    const refresh = (await outboxRows(db)).find((r) => r.job.type === 'item.refresh')!;
    expect(refresh).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(refresh.next_attempt_at).getTime()).toBeGreaterThan(clock.t);
  });

  it('person.dm messages the person on each platform they use', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const teams = fakePort('teams', clock);
    const s = await seed(db);
    const ana = await s.repos.people.upsertFromChat(s.workspaceId, {
      platform: 'slack',
      userId: 'U1',
      displayName: 'Ana',
      email: 'ana@example.com',
    });
    await s.repos.people.upsertFromChat(s.workspaceId, {
      platform: 'teams',
      userId: 'aad-1',
      displayName: 'Ana',
      email: 'ana@example.com',
    });
    await s.enqueue({ type: 'person.dm', personId: ana.id, message: msg('Reminder: due in 2 h') });
    await worker(db, { ports: { slack, teams }, clock }).drainOnce();
    expect(slack.calls).toMatchObject([{ op: 'dm', channel: 'U1', text: 'Reminder: due in 2 h' }]);
    expect(teams.calls).toMatchObject([{ op: 'dm', channel: 'aad-1' }]);
    expect((await outboxRows(db))[0]!.status).toBe('done');
  });

  it('channel.message posts and records the post with its purpose', async () => {
    const clock = testClock();
    const slack = fakePort('slack', clock);
    const s = await seed(db);
    await s.enqueue({ type: 'channel.message', platform: 'slack', channel: 'C9', message: msg('Digest'), purpose: 'digest' });
    await worker(db, { ports: { slack }, clock }).drainOnce();
    expect(await chatPostRows(db)).toEqual([
      { item_id: null, platform: 'slack', channel: 'C9', message_id: 'slack-m1', purpose: 'digest' },
    ]);
    const posts = createChatPostsRepo(db.db);
    expect(await posts.findByMessage('slack', 'C9', 'slack-m1')).toMatchObject({ purpose: 'digest' });
  });
});
