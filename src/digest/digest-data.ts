// Fetches what the digest shows (src/core/digest/digest-data.ts) with small, capped, indexed
// queries; `count(*) over ()` gives each list's total for the "and 12 more" lines.
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  type CustomerStory,
  DIGEST_LIMITS,
  type DigestData,
  type DigestHeadline,
  type DigestOpenItem,
  type DigestQuote,
} from '../core/digest/digest-data.ts';
import { feedbackKinds } from '../core/feedback/item.ts';
import { cesEstimate, compare, csatEstimate, npsEstimate } from '../core/scores/metrics.ts';
import { periodWindows } from '../core/scores/period.ts';
import type { Executor } from '../db/client.ts';
import { customers, feedbackItems as f, learnings, people } from '../db/schema/index.ts';
import { createScoresRepo } from '../scores/scores.repo.ts';

export type DigestWindow = { since: Date; until: Date; timeZone: string };

const total = sql<number>`count(*) over ()`.mapWith(Number);
const SCORED = ['nps', 'csat', 'ces'] as const;
// A score on a 0..1 scale, so "best" and "worst" compare across NPS, CSAT and CES.
const normalised = sql`${f.score}::float / case ${f.kind} when 'nps' then 10 when 'csat' then 5 else 7 end`;
// Parenthesised as a whole: and() does not wrap its operands, and `or` binds looser than `and`.
const GOOD = sql`((${f.kind} = 'nps' and ${f.score} >= 9) or (${f.kind} = 'csat' and ${f.score} >= 4) or (${f.kind} = 'ces' and ${f.score} >= 5))`;
const BAD = sql`((${f.kind} = 'nps' and ${f.score} <= 6) or (${f.kind} = 'csat' and ${f.score} <= 2) or (${f.kind} = 'ces' and ${f.score} <= 3))`;

function capped<T extends { total: number }, U>(rows: T[], map: (r: T) => U) {
  return { items: rows.map(map), total: rows[0]?.total ?? 0 };
}

export function createDigestDataRepo(db: Executor) {
  async function headline(workspaceId: string, w: DigestWindow): Promise<DigestHeadline | null> {
    const windows = periodWindows('7d', w.until, w.timeZone);
    const repo = createScoresRepo(db);
    const [nps, csat, ces] = await Promise.all([
      repo.nps(workspaceId, windows),
      repo.csat(workspaceId, windows),
      repo.ces(workspaceId, windows),
    ]);
    if (nps.current.n + csat.current.n + ces.current.n === 0) return null;
    return {
      nps: compare(npsEstimate(nps.current), npsEstimate(nps.previous)),
      csat: compare(csatEstimate(csat.current), csatEstimate(csat.previous)),
      ces: compare(cesEstimate(ces.current), cesEstimate(ces.previous)),
    };
  }

  async function quotes(workspaceId: string, w: DigestWindow, tone: 'good' | 'bad') {
    const rows = await db
      .select({
        itemId: f.id,
        kind: f.kind,
        score: f.score,
        text: sql<string>`${f.comment}`,
        customerName: customers.name,
        company: customers.company,
        touchpoint: f.touchpoint,
        receivedAt: f.receivedAt,
        total,
      })
      .from(f)
      .leftJoin(customers, eq(customers.id, f.customerId))
      .where(
        and(
          eq(f.workspaceId, workspaceId),
          inArray(f.kind, [...SCORED]),
          gte(f.receivedAt, w.since),
          lt(f.receivedAt, w.until),
          isNotNull(f.score),
          sql`length(trim(${f.comment})) > 0`,
          tone === 'good' ? GOOD : BAD,
        ),
      )
      .orderBy(tone === 'good' ? desc(normalised) : asc(normalised), desc(f.receivedAt))
      .limit(DIGEST_LIMITS.quotes);
    return capped(rows, ({ total: _, ...q }): DigestQuote => q);
  }

  async function openItems(workspaceId: string, w: DigestWindow, which: 'unclaimed' | 'overdue') {
    const condition: SQL =
      which === 'unclaimed'
        ? and(eq(f.status, 'open'), or(sql`${f.snoozedUntil} is null`, lte(f.snoozedUntil, w.until)))!
        : and(eq(f.status, 'claimed'), lt(f.dueAt, w.until))!;
    const where = and(eq(f.workspaceId, workspaceId), condition);
    // The count runs on the (workspace, status, due_at) index alone; only the shown rows are joined.
    const [rows, [counted]] = await Promise.all([
      db
        .select({
          itemId: f.id,
          kind: f.kind,
          score: f.score,
          comment: f.comment,
          customerName: customers.name,
          dueAt: f.dueAt,
          claimedByName: people.displayName,
        })
        .from(f)
        .leftJoin(customers, eq(customers.id, f.customerId))
        .leftJoin(people, eq(people.id, f.claimedById))
        .where(where)
        .orderBy(asc(f.dueAt))
        .limit(which === 'unclaimed' ? DIGEST_LIMITS.needsOwner : DIGEST_LIMITS.overdue),
      db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(f).where(where),
    ]);
    return { items: rows as DigestOpenItem[], total: counted?.n ?? 0 };
  }

  async function resolved(workspaceId: string, w: DigestWindow) {
    const [rows, rootCauses] = await Promise.all([
      db
        .select({
          itemId: f.id,
          customerName: customers.name,
          summary: f.resolutionSummary,
          rootCause: f.rootCause,
          resolvedByName: people.displayName,
          resolvedAt: sql<Date>`${f.resolvedAt}`.mapWith(f.resolvedAt),
          total,
        })
        .from(f)
        .leftJoin(customers, eq(customers.id, f.customerId))
        .leftJoin(people, eq(people.id, f.resolvedById))
        .where(and(eq(f.workspaceId, workspaceId), gte(f.resolvedAt, w.since), lt(f.resolvedAt, w.until)))
        .orderBy(desc(f.resolvedAt))
        .limit(DIGEST_LIMITS.resolved),
      createScoresRepo(db).rootCauses(workspaceId, { start: w.since, end: w.until }, DIGEST_LIMITS.rootCauses),
    ]);
    return { ...capped(rows, ({ total: _, ...r }) => r), rootCauses };
  }

  async function learned(workspaceId: string, w: DigestWindow) {
    const rows = await db
      .select({
        id: learnings.id,
        text: learnings.text,
        authorName: people.displayName,
        customerName: customers.name,
        createdAt: learnings.createdAt,
        total,
      })
      .from(learnings)
      .leftJoin(people, eq(people.id, learnings.authorId))
      .leftJoin(customers, eq(customers.id, learnings.customerId))
      .where(
        and(eq(learnings.workspaceId, workspaceId), gte(learnings.createdAt, w.since), lt(learnings.createdAt, w.until)),
      )
      .orderBy(desc(learnings.createdAt))
      .limit(DIGEST_LIMITS.learnings);
    return capped(rows, ({ total: _, ...r }) => r);
  }

  /** Among the latest customers who wrote to us in the window, the one with the longest history. */
  async function customerOfTheDay(workspaceId: string, w: DigestWindow): Promise<CustomerStory | null> {
    const recent = await db
      .select({ customerId: sql<string>`${f.customerId}` })
      .from(f)
      .where(
        and(
          eq(f.workspaceId, workspaceId),
          inArray(f.kind, [...feedbackKinds]), // keeps the (workspace, kind, received_at) index usable
          gte(f.receivedAt, w.since),
          lt(f.receivedAt, w.until),
          isNotNull(f.customerId),
          sql`length(trim(${f.comment})) > 0`,
        ),
      )
      .orderBy(desc(f.receivedAt))
      .limit(20);
    if (recent.length === 0) return null;
    const ids = [...new Set(recent.map((r) => r.customerId))];
    const counts = await db
      .select({ customerId: sql<string>`${f.customerId}`, n: sql<number>`count(*)`.mapWith(Number) })
      .from(f)
      .where(and(eq(f.workspaceId, workspaceId), inArray(f.customerId, ids)))
      .groupBy(f.customerId);
    const n = new Map(counts.map((c) => [c.customerId, c.n]));
    // Most history first; ties keep recency order (ids are newest first).
    const chosen = [...ids].sort((a, b) => (n.get(b) ?? 0) - (n.get(a) ?? 0))[0]!;

    const [customer] = await db.select().from(customers).where(eq(customers.id, chosen)).limit(1);
    const items = await db
      .select({ kind: f.kind, score: f.score, comment: f.comment, receivedAt: f.receivedAt })
      .from(f)
      .where(and(eq(f.workspaceId, workspaceId), eq(f.customerId, chosen), lt(f.receivedAt, w.until)))
      .orderBy(desc(f.receivedAt))
      .limit(50);
    const latest = items.find((i) => i.comment && i.comment.trim().length > 0);
    if (!customer || !latest) return null;
    const [firstSeen] = await db
      .select({ at: sql<Date>`min(${f.receivedAt})`.mapWith(f.receivedAt) })
      .from(f)
      .where(and(eq(f.workspaceId, workspaceId), eq(f.customerId, chosen)));
    return {
      customerId: customer.id,
      name: customer.name,
      company: customer.company,
      segment: customer.segment,
      latest: { kind: latest.kind, score: latest.score, text: latest.comment!, receivedAt: latest.receivedAt },
      history: items
        .filter((i) => i.score !== null)
        .slice(0, DIGEST_LIMITS.history)
        .reverse()
        .map(({ kind, score, receivedAt }) => ({ kind, score, receivedAt })),
      totalItems: n.get(chosen) ?? items.length,
      firstSeen: firstSeen?.at ?? latest.receivedAt,
    };
  }

  return {
    async fetch(workspaceId: string, w: DigestWindow): Promise<DigestData> {
      const [h, goodNews, badNews, needsOwner, overdue, res, learnt, story] = await Promise.all([
        headline(workspaceId, w),
        quotes(workspaceId, w, 'good'),
        quotes(workspaceId, w, 'bad'),
        openItems(workspaceId, w, 'unclaimed'),
        openItems(workspaceId, w, 'overdue'),
        resolved(workspaceId, w),
        learned(workspaceId, w),
        customerOfTheDay(workspaceId, w),
      ]);
      return {
        since: w.since,
        until: w.until,
        headline: h,
        goodNews,
        badNews,
        needsOwner,
        overdue,
        resolved: res,
        learnings: learnt,
        customerOfTheDay: story,
      };
    },
  };
}
