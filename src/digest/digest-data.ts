// Fetches what the digest shows (src/core/digest/digest-data.ts) with small, capped, indexed
// queries; `count(*) over ()` gives each list's total for the "and 12 more" lines.
import { and, desc, eq, gte, inArray, isNotNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import {
  type CustomerStory,
  DIGEST_LIMITS,
  type DigestData,
  type DigestHeadline,
  type DigestOpenItem,
  type DigestQuote,
} from '../core/digest/digest-data.ts';
import { type FeedbackKind, feedbackKinds } from '../core/feedback/item.ts';
import { periodWindows } from '../core/scores/period.ts';
import type { Executor } from '../db/client.ts';
import { customers, feedbackItems as f, learnings, people } from '../db/schema/index.ts';
import { rowsOf, ts } from '../scores/rollup-sql.ts';
import { createScoresRepo } from '../scores/scores.repo.ts';
import { headlineOf, periodTallies } from '../scores/scores.service.ts';

export type DigestWindow = { since: Date; until: Date; timeZone: string };

const total = sql<number>`count(*) over ()`.mapWith(Number);
const SCORED = ['nps', 'csat', 'ces'] as const;
// A score on a 0..1 scale, so "best" and "worst" compare across NPS, CSAT and CES.
const normalised = sql`${f.score}::float / case ${f.kind} when 'nps' then 10 when 'csat' then 5 else 7 end`;
// Parenthesised as a whole: and() does not wrap its operands, and `or` binds looser than `and`.
const GOOD = sql`((${f.kind} = 'nps' and ${f.score} >= 9) or (${f.kind} = 'csat' and ${f.score} >= 4) or (${f.kind} = 'ces' and ${f.score} >= 5))`;
const BAD = sql`((${f.kind} = 'nps' and ${f.score} <= 6) or (${f.kind} = 'csat' and ${f.score} <= 2) or (${f.kind} = 'ces' and ${f.score} <= 3))`;

/** A timestamptz from a raw query: drizzle's drivers hand them over as text. */
const toDate = (v: Date | string): Date => (v instanceof Date ? v : (f.receivedAt.mapFromDriverValue(v) as Date));

function capped<T extends { total: number }, U>(rows: T[], map: (r: T) => U) {
  return { items: rows.map(map), total: rows[0]?.total ?? 0 };
}

export function createDigestDataRepo(db: Executor) {
  async function headline(workspaceId: string, w: DigestWindow): Promise<DigestHeadline | null> {
    // Scored kinds only: the headline shows no volume.
    const tallies = await periodTallies(db, workspaceId, periodWindows('7d', w.until, w.timeZone), SCORED);
    const { nps, csat, ces } = tallies.current;
    if (nps.n + csat.n + ces.n === 0) return null;
    return headlineOf(tallies);
  }

  /** The best and the worst quotes of the window in one scan, each tone ranked on its own. */
  async function quotes(workspaceId: string, w: DigestWindow) {
    const tone = sql<'good' | 'bad'>`case when ${GOOD} then 'good' else 'bad' end`;
    // Best first for good news (highest normalised score), worst first for bad; newest on ties.
    const order = sql`case when ${GOOD} then -(${normalised}) else ${normalised} end, ${f.receivedAt} desc`;
    const ranked = db
      .select({
        itemId: f.id,
        kind: f.kind,
        score: f.score,
        text: sql<string>`${f.comment}`.as('text'),
        customerId: f.customerId,
        touchpoint: f.touchpoint,
        receivedAt: f.receivedAt,
        tone: tone.as('tone'),
        rn: sql<number>`(row_number() over (partition by ${tone} order by ${order}))::int`.as('rn'),
        total: sql<number>`(count(*) over (partition by ${tone}))::int`.as('total'),
      })
      .from(f)
      .where(
        and(
          eq(f.workspaceId, workspaceId),
          inArray(f.kind, [...SCORED]),
          gte(f.receivedAt, w.since),
          lt(f.receivedAt, w.until),
          isNotNull(f.score),
          sql`length(trim(${f.comment})) > 0`,
          sql`(${GOOD} or ${BAD})`,
        ),
      )
      .as('ranked');
    // Only the shown quotes are joined to their customers.
    const rows = await db
      .select({
        itemId: ranked.itemId,
        kind: ranked.kind,
        score: ranked.score,
        text: ranked.text,
        customerName: customers.name,
        company: customers.company,
        touchpoint: ranked.touchpoint,
        receivedAt: ranked.receivedAt,
        tone: ranked.tone,
        total: ranked.total,
      })
      .from(ranked)
      .leftJoin(customers, eq(customers.id, ranked.customerId))
      .where(lte(ranked.rn, DIGEST_LIMITS.quotes))
      .orderBy(ranked.tone, ranked.rn);
    const of = (t: 'good' | 'bad') => capped(rows.filter((r) => r.tone === t), ({ total: _, tone: __, ...q }): DigestQuote => q);
    return { good: of('good'), bad: of('bad') };
  }

  /** Needs an owner (open, not snoozed past `until`) and overdue (claimed, past due): one query. */
  async function openItems(workspaceId: string, w: DigestWindow) {
    const until = ts(w.until);
    const list = (which: string, condition: (t: string) => SQL, limit: number) => sql`(
      select ${which} as which, f.id as "itemId", f.kind, f.score, f.comment, c.name as "customerName",
        f.due_at as "dueAt", p.display_name as "claimedByName",
        -- On the (workspace, status, due_at) index alone, once; only the shown rows are joined.
        (select count(*) from feedback_items x where x.workspace_id = ${workspaceId} and ${condition('x')})::int as total
      from feedback_items f left join customers c on c.id = f.customer_id left join people p on p.id = f.claimed_by_id
      where f.workspace_id = ${workspaceId} and ${condition('f')}
      order by f.due_at limit ${limit})`;
    const unclaimed = (t: string) =>
      sql`${sql.raw(t)}.status = 'open' and not ${sql.raw(t)}.history and (${sql.raw(t)}.snoozed_until is null or ${sql.raw(t)}.snoozed_until <= ${until})`;
    const overdue = (t: string) => sql`${sql.raw(t)}.status = 'claimed' and not ${sql.raw(t)}.history and ${sql.raw(t)}.due_at < ${until}`;
    const rows = await rowsOf<Omit<DigestOpenItem, 'dueAt'> & { dueAt: Date | string; which: string; total: number }>(
      db,
      sql`${list('unclaimed', unclaimed, DIGEST_LIMITS.needsOwner)} union all ${list('overdue', overdue, DIGEST_LIMITS.overdue)}`,
    );
    const of = (which: string) =>
      capped(
        rows.filter((r) => r.which === which),
        ({ total: _, which: __, dueAt, ...item }): DigestOpenItem => ({ ...item, dueAt: toDate(dueAt) }),
      );
    return { needsOwner: of('unclaimed'), overdue: of('overdue') };
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

  /**
   * Among the latest 20 writers of the window, the customer with the longest history (ties: the
   * most recent), with their last 50 items: one query. Newest per kind first: each is a backward
   * range scan of the (workspace, kind, received_at) index that stops at 20, where one scan over
   * every kind would sort the whole window.
   */
  async function customerOfTheDay(workspaceId: string, w: DigestWindow): Promise<CustomerStory | null> {
    const perKind = feedbackKinds.map(
      (kind) => sql`(select customer_id, received_at from feedback_items
        where workspace_id = ${workspaceId} and kind = ${kind} and received_at >= ${ts(w.since)} and received_at < ${ts(w.until)}
          and customer_id is not null and length(trim(comment)) > 0
        order by received_at desc limit 20)`,
    );
    const rows = await rowsOf<{
      customerId: string;
      name: string | null;
      company: string | null;
      segment: string | null;
      totalItems: number;
      firstSeen: Date | string | null;
      kind: FeedbackKind | null;
      score: number | null;
      comment: string | null;
      receivedAt: Date | string | null;
    }>(
      db,
      sql`with latest as (select * from (${sql.join(perKind, sql` union all `)}) as l order by received_at desc limit 20),
        writers as (
          select l.customer_id, max(l.received_at) as last_at,
            (select count(*) from feedback_items c where c.workspace_id = ${workspaceId} and c.customer_id = l.customer_id) as n
          from latest l group by l.customer_id),
        chosen as (select customer_id, n from writers order by n desc, last_at desc limit 1)
      select cu.id as "customerId", cu.name, cu.company, cu.segment, ch.n::int as "totalItems",
        (select min(x.received_at) from feedback_items x where x.workspace_id = ${workspaceId} and x.customer_id = ch.customer_id) as "firstSeen",
        i.kind, i.score, i.comment, i.received_at as "receivedAt"
      from chosen ch join customers cu on cu.id = ch.customer_id
      left join lateral (
        select kind, score, comment, received_at from feedback_items y
        where y.workspace_id = ${workspaceId} and y.customer_id = ch.customer_id and y.received_at < ${ts(w.until)}
        order by y.received_at desc limit 50) as i on true
      order by i.received_at desc`,
    );
    const items = rows.flatMap((r) =>
      r.receivedAt === null ? [] : [{ kind: r.kind!, score: r.score, comment: r.comment, receivedAt: toDate(r.receivedAt) }],
    );
    const latest = items.find((i) => i.comment && i.comment.trim().length > 0);
    const customer = rows[0];
    if (!customer || !latest) return null;
    return {
      customerId: customer.customerId,
      name: customer.name,
      company: customer.company,
      segment: customer.segment,
      latest: { kind: latest.kind, score: latest.score, text: latest.comment!, receivedAt: latest.receivedAt },
      history: items
        .filter((i) => i.score !== null)
        .slice(0, DIGEST_LIMITS.history)
        .reverse()
        .map(({ kind, score, receivedAt }) => ({ kind, score, receivedAt })),
      totalItems: customer.totalItems,
      firstSeen: customer.firstSeen === null ? latest.receivedAt : toDate(customer.firstSeen),
    };
  }

  return {
    async fetch(workspaceId: string, w: DigestWindow): Promise<DigestData> {
      const [h, { good: goodNews, bad: badNews }, { needsOwner, overdue }, res, learnt, story] = await Promise.all([
        headline(workspaceId, w),
        quotes(workspaceId, w),
        openItems(workspaceId, w),
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
