import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewFeedbackItem } from '../../src/core/ports.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { workspaces } from '../../src/db/schema/index.ts';
import { createTransactor } from '../../src/db/transactor.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
let ws: string;
let other: string;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  ws = (await ensureDefaultWorkspace(t.db)).id;
  const [row] = await t.db.insert(workspaces).values({ name: 'Other' }).returning({ id: workspaces.id });
  other = row!.id;
});

const at = new Date('2025-03-01T10:00:00Z');
const newItem = (over: Partial<NewFeedbackItem> = {}): NewFeedbackItem => ({
  source: 'delighted',
  externalId: 'r-1',
  kind: 'nps',
  score: 3,
  comment: 'Checkout kept failing',
  touchpoint: 'checkout',
  tags: ['billing'],
  route: null,
  receivedAt: new Date('2025-02-01T00:00:00Z'),
  dueAt: new Date('2025-03-02T10:00:00Z'),
  remindAt: new Date('2025-03-02T10:00:00Z'),
  escalateAt: new Date('2025-03-02T10:00:00Z'),
  priority: 'normal',
  customerId: null,
  metadata: { survey: 'q1' },
  ...over,
});

describe('ensureDefaultWorkspace', () => {
  it('is idempotent, also when called concurrently', async () => {
    await t.reset();
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureDefaultWorkspace(t.db)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await ensureDefaultWorkspace(t.db)).toEqual({ id: results[0]!.id, created: false });
  });
});

describe('CustomerRepo', () => {
  it('upserts by external id and fills in only empty fields', async () => {
    const { customers } = createRepos(t.db);
    const a = await customers.upsert(ws, { externalId: 'c-1', name: 'Ada', attributes: { plan: 'pro' } });
    const b = await customers.upsert(ws, { externalId: 'c-1', name: 'Someone else', company: 'Acme', attributes: { plan: 'free', seats: 3 } });
    expect(b.id).toBe(a.id);
    expect(b).toMatchObject({ name: 'Ada', company: 'Acme', attributes: { plan: 'pro', seats: 3 } });
  });

  it('falls back to email, case-insensitively, and keeps one person together', async () => {
    const { customers } = createRepos(t.db);
    const a = await customers.upsert(ws, { email: 'Ada@Example.com' });
    const b = await customers.upsert(ws, { externalId: 'crm-9', email: 'ada@example.COM', segment: 'enterprise' });
    expect(b.id).toBe(a.id);
    expect(b).toMatchObject({ externalId: 'crm-9', email: 'Ada@Example.com', segment: 'enterprise' });
    // Now reachable by the external id alone.
    expect((await customers.upsert(ws, { externalId: 'crm-9' })).id).toBe(a.id);
  });

  it('is safe under concurrent upserts of the same new customer', async () => {
    const { customers } = createRepos(t.db);
    const all = await Promise.all(
      Array.from({ length: 10 }, (_, i) => customers.upsert(ws, { externalId: 'c-x', email: 'x@example.com', name: `n${i}` })),
    );
    expect(new Set(all.map((c) => c.id)).size).toBe(1);
  });

  it('scopes by workspace and searches by id, email, name and company', async () => {
    const { customers } = createRepos(t.db);
    const ada = await customers.upsert(ws, { externalId: 'c-1', email: 'ada@example.com', name: 'Ada Lovelace', company: 'Analytical' });
    const theirs = await customers.upsert(other, { externalId: 'c-1', email: 'ada@example.com' });
    expect(theirs.id).not.toBe(ada.id);
    expect(await customers.findById(other, ada.id)).toBeNull();
    expect(await customers.findById(ws, 'not-a-uuid')).toBeNull();
    for (const q of [ada.id, 'c-1', 'ADA@example.com', 'lovelace', 'analyt']) {
      expect((await customers.search(ws, q)).map((c) => c.id)).toEqual([ada.id]);
    }
    expect(await customers.search(ws, '%')).toEqual([]);
  });
});

describe('FeedbackRepo', () => {
  it('inserts once per (workspace, source, external id)', async () => {
    const { feedback } = createRepos(t.db);
    const first = await feedback.insert(ws, newItem());
    const again = await feedback.insert(ws, newItem({ comment: 'changed' }));
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, item: { id: first.item.id, comment: 'Checkout kept failing' } });
    expect((await feedback.insert(other, newItem())).created).toBe(true);
    expect((await feedback.findByExternalId(ws, 'delighted', 'r-1'))?.id).toBe(first.item.id);
    expect(first.item).toMatchObject({ status: 'open', tags: ['billing'], metadata: { survey: 'q1' }, resolution: null });
  });

  it('gives exactly one winner to 50 concurrent claims', async () => {
    const { feedback, people } = createRepos(t.db);
    const { item } = await feedback.insert(ws, newItem());
    const champs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => people.upsertFromChat(ws, { platform: 'slack', userId: `U${i}`, displayName: `P${i}` })),
    );
    const claimBy = (personId: string) => ({
      personId,
      at,
      event: { type: 'claimed', platform: 'slack' as const, data: { via: 'test' } },
      jobs: [{ type: 'item.refresh' as const, itemId: item.id }],
    });
    const results = await Promise.all(champs.map((p) => feedback.claim(ws, item.id, claimBy(p.id))));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const winner = champs.find((p) => p.id === winners[0]!.claimedById)!;
    // The view comes back with the claimer, as the card shows it.
    expect(winners[0]).toMatchObject({ status: 'claimed', claimedAt: at, claimedBy: { id: winner.id, displayName: winner.displayName } });
    const stored = await feedback.findById(ws, item.id);
    expect(stored).toMatchObject({ status: 'claimed', claimedById: winner.id, claimedAt: at });
    // Only the winner's event and job were written; the event carries the item's due time.
    const events = await t.query("select actor_id, data->>'via' as via, data->>'dueAt' as due from feedback_events where item_id = $1", [item.id]);
    expect(events).toEqual([{ actor_id: winner.id, via: 'test', due: item.dueAt.toISOString() }]);
    const jobs = await t.query("select destination, job->>'type' as type from outbox where item_id = $1", [item.id]);
    expect(jobs).toEqual([{ destination: `item:${item.id}`, type: 'item.refresh' }]);
  });

  it('guards transitions by the expected status and maps the resolution', async () => {
    const { feedback, people } = createRepos(t.db);
    const { item } = await feedback.insert(ws, newItem());
    const p = await people.upsertFromChat(ws, { platform: 'slack', userId: 'U1', displayName: 'Grace' });
    const claim = { personId: p.id, at, event: { type: 'claimed', platform: 'slack' as const, data: {} }, jobs: [] };
    expect(await feedback.claim(other, item.id, claim)).toBeNull();
    expect(await feedback.claim(ws, item.id, claim)).toMatchObject({ id: item.id, status: 'claimed', customer: null });
    const resolution = {
      summary: 'Refunded and fixed the retry',
      rootCause: 'bug',
      preventionAction: 'Add a test',
      preventionOwnerId: p.id,
      preventionDueOn: '2025-03-10',
      customerContacted: true,
    };
    expect(await feedback.transition(ws, item.id, ['open'], { status: 'resolved' })).toBeNull();
    const done = await feedback.transition(ws, item.id, ['claimed'], { status: 'resolved', resolvedById: p.id, resolvedAt: at, resolution });
    expect(done).toMatchObject({ status: 'resolved', resolution });
    const view = await feedback.view(ws, item.id);
    expect(view).toMatchObject({ claimedBy: { id: p.id, displayName: 'Grace' }, resolvedBy: { id: p.id }, customer: null });
    const reopened = await feedback.transition(ws, item.id, ['resolved'], { status: 'open', resolution: null, resolvedAt: null, resolvedById: null });
    expect(reopened).toMatchObject({ status: 'open', resolution: null });
  });

  it('views the customer and lists by filter, scoped by workspace', async () => {
    const { feedback, customers } = createRepos(t.db);
    const c = await customers.upsert(ws, { email: 'ada@example.com', name: 'Ada' });
    const a = await feedback.insert(ws, newItem({ customerId: c.id }));
    await feedback.insert(ws, newItem({ externalId: 'r-2', dueAt: new Date('2025-03-01T12:00:00Z') }));
    await feedback.insert(other, newItem());
    expect((await feedback.view(ws, a.item.id))?.customer).toMatchObject({ id: c.id, name: 'Ada' });
    expect(await feedback.view(other, a.item.id)).toBeNull();
    expect((await feedback.list(ws, { status: ['open'] })).map((i) => i.externalId)).toEqual(['r-2', 'r-1']);
    expect((await feedback.list(ws, { customerId: c.id })).map((i) => i.id)).toEqual([a.item.id]);
    expect(await feedback.list(ws, { status: ['claimed'] })).toEqual([]);
  });
});

describe('PeopleRepo', () => {
  it('links a Teams user to the Slack person with the same email', async () => {
    const { people } = createRepos(t.db);
    const slack = await people.upsertFromChat(ws, { platform: 'slack', userId: 'U1', displayName: 'Grace', email: 'grace@corp.com' });
    const teams = await people.upsertFromChat(ws, { platform: 'teams', userId: 'aad-1', displayName: 'Grace H', email: 'GRACE@corp.com' });
    expect(teams.id).toBe(slack.id);
    expect(teams).toMatchObject({ slackUserId: 'U1', teamsAadId: 'aad-1' });
    const again = await people.upsertFromChat(ws, { platform: 'teams', userId: 'aad-1', displayName: 'Grace Hopper' });
    expect(again).toMatchObject({ id: slack.id, displayName: 'Grace Hopper' });
    await people.setRole(ws, slack.id, 'champion');
    expect((await people.findById(ws, slack.id))?.role).toBe('champion');
    expect(await people.findById(other, slack.id)).toBeNull();
    expect(await people.list(ws)).toHaveLength(1);
  });

  it('creates one person under concurrent first contact', async () => {
    const { people } = createRepos(t.db);
    const all = await Promise.all(
      Array.from({ length: 10 }, () => people.upsertFromChat(ws, { platform: 'slack', userId: 'U7', displayName: 'Lin', email: 'lin@corp.com' })),
    );
    expect(new Set(all.map((p) => p.id)).size).toBe(1);
  });
});

describe('EventRepo and Transactor', () => {
  it('keeps the timeline in order', async () => {
    const { feedback, events } = createRepos(t.db);
    const { item } = await feedback.insert(ws, newItem());
    await events.add(ws, { itemId: item.id, type: 'received', actorId: null, platform: 'api', data: { source: 'x' }, at });
    await events.add(ws, { itemId: item.id, type: 'posted', actorId: null, platform: 'slack', data: {} });
    expect((await events.timeline(ws, item.id)).map((e) => e.type)).toEqual(['received', 'posted']);
    expect(await events.timeline(other, item.id)).toEqual([]);
  });

  it('rolls back every write, outbox included, when the function throws', async () => {
    const tx = createTransactor(t.db);
    await expect(
      tx.run(async (repos) => {
        const { item } = await repos.feedback.insert(ws, newItem());
        await repos.outbox.enqueue(ws, [{ type: 'item.post', itemId: item.id, platform: 'slack', channel: 'C1' }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [counts] = await t.query<{ items: number; jobs: number }>(
      'select (select count(*)::int from feedback_items) as items, (select count(*)::int from outbox) as jobs',
    );
    expect(counts).toEqual({ items: 0, jobs: 0 });
  });
});
