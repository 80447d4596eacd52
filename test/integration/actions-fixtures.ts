// Shared setup for the item-action integration tests: a workspace, people, a customer, an item.
import type { Person } from '../../src/core/feedback/item.ts';
import type { Clock, NewFeedbackItem, Repos } from '../../src/core/ports.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { workspaces } from '../../src/db/schema/index.ts';
import type { TestDb } from '../helpers/test-db.ts';

export const T0 = new Date('2025-03-05T10:00:00Z'); // Wednesday
export const H = 3_600_000;

/** A clock tests move by hand. */
export function testClock(start = T0): Clock & { set(d: Date): void; advance(ms: number): void } {
  let now = new Date(start.getTime());
  return {
    now: () => new Date(now.getTime()),
    set: (d) => {
      now = new Date(d.getTime());
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

export type World = { ws: string; repos: Repos; ana: Person; bob: Person; chloe: Person; itemId: string };

export async function seedWorld(t: TestDb, opts: { rootCauses?: string[] } = {}): Promise<World> {
  const [row] = await t.db
    .insert(workspaces)
    .values({ name: 'Acme CX', rootCauses: opts.rootCauses ?? [] })
    .returning({ id: workspaces.id });
  const ws = row!.id;
  const repos = createRepos(t.db);
  const ana = await repos.people.upsertFromChat(ws, { platform: 'slack', userId: 'UANA', displayName: 'Ana', email: 'ana@x.test' });
  const bob = await repos.people.upsertFromChat(ws, { platform: 'slack', userId: 'UBOB', displayName: 'Bob', email: 'bob@x.test' });
  const chloe0 = await repos.people.upsertFromChat(ws, {
    platform: 'teams',
    userId: 'aad-chloe',
    displayName: 'Chloe',
    email: 'chloe@x.test',
  });
  await repos.people.setRole(ws, chloe0.id, 'champion');
  const chloe = { ...chloe0, role: 'champion' as const };
  const itemId = await addItem(repos, ws, 'r-1');
  return { ws, repos, ana, bob, chloe, itemId };
}

export async function addItem(repos: Repos, ws: string, externalId: string, over: Partial<NewFeedbackItem> = {}) {
  const customer = await repos.customers.upsert(ws, { externalId: 'c-1', name: 'Jane Doe', company: 'Acme' });
  const { item } = await repos.feedback.insert(ws, {
    source: 'typeform',
    externalId,
    kind: 'nps',
    score: 3,
    comment: 'Export keeps failing <!channel>',
    touchpoint: 'export',
    tags: [],
    route: null,
    receivedAt: T0,
    dueAt: new Date(T0.getTime() + 24 * H),
    remindAt: new Date(T0.getTime() + 18 * H),
    escalateAt: new Date(T0.getTime() + 2 * H),
    createdAt: T0,
    priority: 'normal',
    customerId: customer.id,
    metadata: {},
    ...over,
  });
  return item.id;
}

export type OutboxJob = { type: string; itemId?: string; personId?: string; message?: { text: string } };

export async function outboxJobs(t: TestDb, ws: string): Promise<OutboxJob[]> {
  const rows = await t.query<{ job: OutboxJob | string }>(
    'select job from outbox where workspace_id = $1 order by created_at, seq',
    [ws],
  );
  return rows.map((r) => (typeof r.job === 'string' ? JSON.parse(r.job) : r.job));
}

export async function eventRows(t: TestDb, ws: string) {
  return t.query<{ type: string; actor_id: string | null; platform: string | null; data: Record<string, unknown> }>(
    'select type, actor_id, platform, data from feedback_events where workspace_id = $1 order by at, id',
    [ws],
  );
}
