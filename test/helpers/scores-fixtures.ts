// Direct inserts for scores/digest tests (no services involved): a workspace, customers, people
// and feedback items with exactly the fields a test cares about.
import type { FeedbackKind } from '../../src/core/feedback/item.ts';
import type { Executor } from '../../src/db/client.ts';
import { customers, feedbackItems, people, workspaces } from '../../src/db/schema/index.ts';

export async function makeWorkspace(db: Executor, name = 'Acme'): Promise<string> {
  const [row] = await db.insert(workspaces).values({ name }).returning({ id: workspaces.id });
  return row!.id;
}

export async function makeCustomer(
  db: Executor,
  workspaceId: string,
  c: { name?: string; email?: string; segment?: string; company?: string; externalId?: string } = {},
): Promise<string> {
  const [row] = await db
    .insert(customers)
    .values({ workspaceId, ...c })
    .returning({ id: customers.id });
  return row!.id;
}

export async function makePerson(db: Executor, workspaceId: string, displayName: string): Promise<string> {
  const [row] = await db.insert(people).values({ workspaceId, displayName }).returning({ id: people.id });
  return row!.id;
}

let seq = 0;

export type ItemSeed = {
  kind: FeedbackKind;
  score?: number | null;
  comment?: string | null;
  receivedAt: Date;
  createdAt?: Date;
  dueAt?: Date;
  touchpoint?: string | null;
  source?: string;
  route?: string | null;
  customerId?: string | null;
  status?: 'open' | 'claimed' | 'resolved';
  claimedById?: string | null;
  claimedAt?: Date | null;
  resolvedById?: string | null;
  resolvedAt?: Date | null;
  rootCause?: string | null;
  resolutionSummary?: string | null;
  snoozedUntil?: Date | null;
};

const HOUR = 3_600_000;

function itemRow(workspaceId: string, s: ItemSeed): typeof feedbackItems.$inferInsert {
  const createdAt = s.createdAt ?? s.receivedAt;
  return {
    workspaceId,
    source: s.source ?? 'test',
    externalId: `ext-${++seq}`,
    kind: s.kind,
    score: s.score ?? null,
    comment: s.comment ?? null,
    touchpoint: s.touchpoint ?? null,
    route: s.route ?? null,
    customerId: s.customerId ?? null,
    receivedAt: s.receivedAt,
    createdAt,
    dueAt: s.dueAt ?? new Date(createdAt.getTime() + 24 * HOUR),
    remindAt: s.dueAt ?? new Date(createdAt.getTime() + 24 * HOUR),
    escalateAt: s.dueAt ?? new Date(createdAt.getTime() + 24 * HOUR),
    priority: 'normal',
    status: s.status ?? (s.resolvedAt ? 'resolved' : s.claimedAt ? 'claimed' : 'open'),
    claimedById: s.claimedById ?? null,
    claimedAt: s.claimedAt ?? null,
    resolvedById: s.resolvedById ?? null,
    resolvedAt: s.resolvedAt ?? null,
    rootCause: s.rootCause ?? null,
    resolutionSummary: s.resolutionSummary ?? null,
    snoozedUntil: s.snoozedUntil ?? null,
  };
}

export async function makeItem(db: Executor, workspaceId: string, s: ItemSeed): Promise<string> {
  return (await makeItems(db, workspaceId, [s]))[0]!;
}

/** One multi-row insert; ids in the order of `seeds`. */
export async function makeItems(db: Executor, workspaceId: string, seeds: ItemSeed[]): Promise<string[]> {
  if (seeds.length === 0) return [];
  const rows = await db
    .insert(feedbackItems)
    .values(seeds.map((s) => itemRow(workspaceId, s)))
    .returning({ id: feedbackItems.id });
  return rows.map((r) => r.id);
}
