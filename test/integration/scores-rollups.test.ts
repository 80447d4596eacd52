// The daily rollups (src/db/schema/rollups.ts) stay equal to the items through every kind of
// write, and the scores read from them equal the plain aggregates over feedback_items (the
// queries /scores ran before the rollups), for windows on and off midnight.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedbackKind } from '../../src/core/feedback/item.ts';
import type { Window } from '../../src/core/scores/period.ts';
import type { Breakdown } from '../../src/core/scores/scores-result.ts';
import { tally } from '../../src/core/scores/tally.ts';
import { createIntakeRepo } from '../../src/db/repos/intake.repo.ts';
import { createScoresRepo } from '../../src/scores/scores.repo.ts';
import { type ItemSeed, makeCustomer, makeItems, makeWorkspace } from '../helpers/scores-fixtures.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0 + ms);

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** `n` items over 20 days; durations in whole minutes (ties), some claimed before created (skew). */
function items(n: number, customerIds: (string | null)[], seed: number): ItemSeed[] {
  const r = random(seed);
  const scale: Record<string, number> = { nps: 11, csat: 5, ces: 7 };
  return Array.from({ length: n }, (): ItemSeed => {
    const kind = r.pick(['nps', 'nps', 'csat', 'ces', 'comment', 'review'] as const satisfies readonly FeedbackKind[]);
    const createdAt = at(r.int(20 * DAY));
    const claimed = r.next() < 0.7;
    const claimedAt = claimed ? new Date(createdAt.getTime() + (r.next() < 0.05 ? -5 : r.int(600)) * MIN) : null;
    const resolvedAt = claimedAt && r.next() < 0.6 ? new Date(claimedAt.getTime() + r.int(3000) * MIN) : null;
    return {
      kind,
      score: kind in scale ? (kind === 'nps' ? 0 : 1) + r.int(scale[kind]!) : null,
      receivedAt: new Date(createdAt.getTime() - r.int(30) * MIN),
      createdAt,
      touchpoint: r.pick(['web', 'app', 'support', null]),
      source: r.pick(['typeform', 'zendesk']),
      route: r.pick(['cx', 'billing', null]),
      customerId: r.pick(customerIds),
      claimedAt,
      resolvedAt,
      rootCause: resolvedAt ? r.pick(['Billing', 'Bug', 'Docs']) : null,
    };
  });
}

let tdb: TestDb;
let ws: string;
const q = <T>(text: string, params: unknown[] = []) => tdb.query<T>(text, params);

beforeAll(async () => {
  tdb = await getTestDb();
});
beforeEach(async () => {
  await tdb.reset();
  ws = await makeWorkspace(tdb.db);
});
afterAll(async () => {
  await tdb.close();
});

const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Every rollup row (zeros dropped) against the same aggregates computed from scratch. */
async function expectRollupsExact() {
  const day = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD')`;
  const counts = await q(`
    select f.workspace_id as ws, k.dim, ${day('f.received_at')} as day, k.key, f.kind, f.score, count(*)::int as items,
      (count(*) filter (where f.resolved_at is not null))::int as resolved, (count(*) filter (where f.resolved_at <= f.due_at))::int as in_sla
    from feedback_items f left join customers c on c.id = f.customer_id
    cross join lateral (values ('all', null), ('touchpoint', f.touchpoint), ('source', f.source), ('route', f.route), ('segment', c.segment)) k(dim, key)
    group by 1, 2, 3, 4, 5, 6`);
  const rolled = await q(`
    select workspace_id as ws, dim, to_char(day, 'YYYY-MM-DD') as day, key, kind, score, items, resolved, resolved_in_sla as in_sla
    from feedback_daily_counts where items <> 0 or resolved <> 0 or resolved_in_sla <> 0`);
  expect(sorted(rolled)).toEqual(sorted(counts));

  const bucket = (end: string) =>
    `((sign(date_part('epoch', ${end} - created_at) / 60) * floor(8 * ln(1 + abs(date_part('epoch', ${end} - created_at) / 60))))::int)`;
  const durations = await q(`
    select workspace_id as ws, 'claim' as metric, ${day('received_at')} as day, ${bucket('claimed_at')} as bucket, count(*)::int as items
    from feedback_items where claimed_at is not null group by 1, 2, 3, 4
    union all
    select workspace_id, 'resolve', ${day('received_at')}, ${bucket('resolved_at')}, count(*)::int
    from feedback_items where resolved_at is not null group by 1, 2, 3, 4`);
  const rolledDurations = await q(`
    select workspace_id as ws, metric, to_char(day, 'YYYY-MM-DD') as day, bucket, items from feedback_daily_durations where items <> 0`);
  expect(sorted(rolledDurations)).toEqual(sorted(durations));

  const causes = await q(`
    select workspace_id as ws, ${day('resolved_at')} as day, root_cause, count(*)::int as items from feedback_items
    where resolved_at is not null and root_cause is not null group by 1, 2, 3`);
  const rolledCauses = await q(`
    select workspace_id as ws, to_char(day, 'YYYY-MM-DD') as day, root_cause, items from feedback_daily_root_causes where items <> 0`);
  expect(sorted(rolledCauses)).toEqual(sorted(causes));

  // The denormalised segment follows the customer.
  const drift = await q(`
    select f.id from feedback_items f left join customers c on c.id = f.customer_id where f.segment is distinct from c.segment`);
  expect(drift).toEqual([]);
}

describe('daily rollups', () => {
  it('stay equal to the items through inserts, lifecycle updates, segment changes and deletes', async () => {
    const ent = await makeCustomer(tdb.db, ws, { name: 'Ada', segment: 'Enterprise' });
    const none = await makeCustomer(tdb.db, ws, { name: 'Bob' });
    const smb = await makeCustomer(tdb.db, ws, { name: 'Cy', segment: 'SMB' });
    await makeItems(tdb.db, ws, items(300, [ent, none, smb, null], 1));
    await expectRollupsExact();

    // Lifecycle: claim, resolve, reopen, a new due time, a changed root cause; a snooze changes nothing.
    await q(`update feedback_items set status = 'claimed', claimed_at = created_at + interval '17 minutes' where claimed_at is null and kind = 'nps'`);
    await q(`update feedback_items set status = 'resolved', resolved_at = claimed_at + interval '3 hours', root_cause = 'Pricing'
      where resolved_at is null and claimed_at is not null and kind = 'csat'`);
    await q(`update feedback_items set status = 'claimed', resolved_at = null, root_cause = null where kind = 'ces' and resolved_at is not null`);
    await q(`update feedback_items set due_at = due_at - interval '20 hours' where kind = 'review'`);
    await q(`update feedback_items set root_cause = 'Docs' where root_cause = 'Bug'`);
    await q(`update feedback_items set snoozed_until = received_at + interval '1 day' where kind = 'comment'`);
    await expectRollupsExact();

    // Segments change on the customer: the items follow.
    await q(`update customers set segment = 'Startup' where id = $1`, [none]);
    await q(`update customers set segment = null where id = $1`, [smb]);
    await q(`update customers set segment = 'Mid-market', name = 'Ada L.' where id = $1`, [ent]);
    await expectRollupsExact();

    // Items move to another customer; a customer is deleted (its items keep no customer).
    await q(`update feedback_items set customer_id = $1 where customer_id = $2 and kind = 'nps'`, [smb, none]);
    await q(`delete from customers where id = $1`, [ent]);
    await expectRollupsExact();

    await q(`delete from feedback_items where kind = 'review' or score = 3`);
    await expectRollupsExact();
  });

  it('follow the intake statement, whose new customers are created alongside their items', async () => {
    const known = await makeCustomer(tdb.db, ws, { externalId: 'known' });
    await makeItems(tdb.db, ws, items(20, [known], 2));
    const record = (n: number, customer: { externalId: string; segment?: string }) => ({
      item: {
        source: 'typeform',
        externalId: `in-${n}`,
        kind: 'nps' as const,
        score: n % 11,
        comment: null,
        touchpoint: 'web',
        tags: [],
        route: null,
        receivedAt: at(n * HOUR),
        dueAt: at(n * HOUR + DAY),
        remindAt: at(n * HOUR + DAY),
        escalateAt: at(n * HOUR + DAY),
        priority: 'normal' as const,
        metadata: {},
      },
      customer,
      eventData: {},
      jobs: [],
    });
    await createIntakeRepo(tdb.db).acceptMany(
      ws,
      [record(1, { externalId: 'new', segment: 'SMB' }), record(2, { externalId: 'known', segment: 'Enterprise' }), record(3, { externalId: 'new' })],
      { type: 'received', actorId: null, platform: 'api', at: at(4 * HOUR) },
    );
    const segments = await q<{ segment: string | null }>(`select segment from feedback_items where external_id like 'in-%' order by external_id`);
    expect(segments.map((s) => s.segment)).toEqual(['SMB', 'Enterprise', 'SMB']);
    await expectRollupsExact();

    // Deleting a whole workspace takes its rollups with it and leaves the others alone.
    const other = await makeWorkspace(tdb.db, 'Other');
    await makeItems(tdb.db, other, items(30, [null], 3));
    await q(`delete from workspaces where id = $1`, [other]);
    await expectRollupsExact();
  });
});

describe('scores from the rollups', () => {
  const windows: [string, Window][] = [
    ['off midnight, many days', { start: at(2 * DAY + 5 * HOUR + 7 * MIN), end: at(16 * DAY + 13 * HOUR) }],
    ['whole days', { start: at(3 * DAY), end: at(10 * DAY) }],
    ['inside one day', { start: at(4 * DAY + HOUR), end: at(4 * DAY + 20 * HOUR) }],
    ['everything', { start: at(-DAY), end: at(30 * DAY) }],
    ['empty', { start: at(5 * DAY), end: at(5 * DAY) }],
  ];
  const kinds = `kind in ('nps', 'csat', 'ces', 'comment', 'conversation_note', 'review')`;
  const inWindow = (w: Window) => [ws, w.start.toISOString(), w.end.toISOString()];

  beforeEach(async () => {
    const ids = [
      await makeCustomer(tdb.db, ws, { segment: 'Enterprise' }),
      await makeCustomer(tdb.db, ws, { segment: 'SMB' }),
      await makeCustomer(tdb.db, ws),
      null,
    ];
    await makeItems(tdb.db, ws, items(400, ids, 7));
  });

  it.each(windows)('count NPS, CSAT, CES, volume and SLA like the plain aggregate (%s)', async (_, w) => {
    const [ref] = await q<Record<string, number>>(
      `select (count(*) filter (where kind = 'nps' and score is not null))::int as nps_n,
        (count(*) filter (where kind = 'nps' and score >= 9))::int as promoters, (count(*) filter (where kind = 'nps' and score <= 6))::int as detractors,
        (count(*) filter (where kind = 'csat' and score is not null))::int as csat_n, (count(*) filter (where kind = 'csat' and score >= 4))::int as satisfied,
        (count(*) filter (where kind = 'ces' and score is not null))::int as ces_n, (count(*) filter (where kind = 'ces' and score >= 5))::int as easy,
        coalesce(sum(score) filter (where kind = 'ces'), 0)::int as ces_sum, count(*)::int as volume,
        (count(*) filter (where resolved_at is not null))::int as resolved, (count(*) filter (where resolved_at <= due_at))::int as in_sla
      from feedback_items where workspace_id = $1 and ${kinds} and received_at >= $2 and received_at < $3`,
      inWindow(w),
    );
    const t = tally(await createScoresRepo(tdb.db).kindCounts(ws, [w]));
    expect(t).toEqual({
      volume: ref!.volume,
      resolved: ref!.resolved,
      resolvedInSla: ref!.in_sla,
      nps: { n: ref!.nps_n, promoters: ref!.promoters, detractors: ref!.detractors },
      csat: { n: ref!.csat_n, satisfied: ref!.satisfied },
      ces: { n: ref!.ces_n, easy: ref!.easy, sum: ref!.ces_sum },
    });
  });

  it.each(windows)('find the exact medians and top root causes (%s)', async (_, w) => {
    const minutes = (end: string) => `date_part('epoch', ${end} - created_at) / 60`;
    const [ref] = await q<{ claim: number | null; resolve: number | null }>(
      `select percentile_cont(0.5) within group (order by ${minutes('claimed_at')}) as claim,
        percentile_cont(0.5) within group (order by ${minutes('resolved_at')}) as resolve
      from feedback_items where workspace_id = $1 and ${kinds} and received_at >= $2 and received_at < $3`,
      inWindow(w),
    );
    const repo = createScoresRepo(tdb.db);
    expect(await repo.medians(ws, w)).toEqual({ claim: ref!.claim, resolve: ref!.resolve });

    const causes = await q(
      `select root_cause as "rootCause", count(*)::int as count from feedback_items
      where workspace_id = $1 and resolved_at >= $2 and resolved_at < $3 and root_cause is not null
      group by 1 order by 2 desc, 1 limit 2`,
      inWindow(w),
    );
    expect(await repo.rootCauses(ws, w, 2)).toEqual(causes);
  });

  it.each(['segment', 'touchpoint', 'source', 'route'] as Breakdown[])('break down by %s like the plain aggregate', async (by) => {
    const w = windows[0]![1];
    const key = by === 'segment' ? 'c.segment' : `f.${by}`;
    const ref = await q<Record<string, number | string | null>>(
      `select ${key} as key, count(*)::int as volume,
        (count(*) filter (where f.kind = 'nps' and f.score is not null))::int as nps_n, (count(*) filter (where f.kind = 'nps' and f.score >= 9))::int as promoters,
        (count(*) filter (where f.kind = 'nps' and f.score <= 6))::int as detractors, (count(*) filter (where f.kind = 'csat' and f.score is not null))::int as csat_n,
        (count(*) filter (where f.kind = 'csat' and f.score >= 4))::int as satisfied, (count(*) filter (where f.kind = 'ces' and f.score is not null))::int as ces_n,
        (count(*) filter (where f.kind = 'ces' and f.score >= 5))::int as easy, coalesce(sum(f.score) filter (where f.kind = 'ces'), 0)::int as ces_sum
      from feedback_items f left join customers c on c.id = f.customer_id
      where f.workspace_id = $1 and f.${kinds} and f.received_at >= $2 and f.received_at < $3
      group by 1 order by count(*) desc, 1 limit 3`,
      inWindow(w),
    );
    const groups = await q<{ n: number }>(
      `select count(distinct coalesce(${key}, '<none>'))::int as n from feedback_items f left join customers c on c.id = f.customer_id
      where f.workspace_id = $1 and f.received_at >= $2 and f.received_at < $3`,
      inWindow(w),
    );
    const result = await createScoresRepo(tdb.db).breakdown(ws, w, by, 3);
    expect(result.total).toBe(groups[0]!.n);
    expect(result.rows).toEqual(
      ref.map((r) => ({
        key: r.key,
        volume: r.volume,
        nps: { n: r.nps_n, promoters: r.promoters, detractors: r.detractors },
        csat: { n: r.csat_n, satisfied: r.satisfied },
        ces: { n: r.ces_n, easy: r.easy, sum: r.ces_sum },
      })),
    );
  });
});
