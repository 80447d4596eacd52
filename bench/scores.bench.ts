
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { renderNpsTrendPng } from '../src/digest/chart.ts';
import { createDigestService } from '../src/digest/digest.service.ts';
import { periodWindows } from '../src/core/scores/period.ts';
import { createScoresRepo } from '../src/scores/scores.repo.ts';
import { createScoresService } from '../src/scores/scores.service.ts';
import { writeResults } from './results.ts';
import { freshDatabase } from './fresh-db.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '40' } },
});
const SIZES = values.rows.split(',').map(Number);
const RUNS = Number(values.runs);
const NOW = new Date('2026-06-01T08:00:00Z');
const DAY = 86_400_000;

/** N items over the 365 days before NOW: 40% NPS, 25% CSAT, 15% CES, 20% comments; 95% resolved. */
const SEED = `
with ws as (select id from workspaces where name = 'bench')
insert into customers (workspace_id, external_id, name, segment)
select ws.id, 'c' || g, 'Customer ' || g, (array['Enterprise','Mid-market','SMB','Startup'])[1 + g % 4]
from ws, generate_series(1, $1::int / 10) g;

with ws as (select id from workspaces where name = 'bench'),
     s as (
       select g, $2::timestamptz - (random() * 365 * interval '1 day') as received,
              (array['nps','nps','nps','nps','csat','csat','csat','csat','ces','ces','ces','comment','comment','comment','comment','comment','nps','nps','nps','nps'])[1 + g % 20] as kind,
              random() as r
       from generate_series(1, $1::int) g
     )
insert into feedback_items (workspace_id, source, external_id, kind, score, comment, touchpoint, route, customer_id,
  received_at, created_at, due_at, remind_at, escalate_at, status, claimed_at, resolved_at, root_cause, resolution_summary)
select ws.id, (array['typeform','alchemer','zendesk','csv'])[1 + g % 4], 'e' || g, s.kind,
  case s.kind when 'nps' then floor(random() * 11)::int when 'csat' then 1 + floor(random() * 5)::int
              when 'ces' then 1 + floor(random() * 7)::int end,
  case when s.r < 0.3 then 'Comment number ' || g || ': the export was slow but support was great.' end,
  (array['web','app','checkout','support','onboarding','billing','email','phone'])[1 + g % 8],
  (array['cx','billing','product','support','sales'])[1 + g % 5],
  cu.id,
  s.received, s.received, s.received + interval '24 hours', s.received + interval '18 hours', s.received + interval '2 hours',
  case when s.received > $2::timestamptz - interval '2 days' and s.r < 0.5 then 'open'
       when s.received > $2::timestamptz - interval '3 days' then 'claimed' else 'resolved' end,
  case when s.received <= $2::timestamptz - interval '2 days' or s.r >= 0.5 then s.received + (s.r * interval '6 hours') end,
  case when s.received <= $2::timestamptz - interval '3 days' then s.received + (s.r * interval '40 hours') end,
  case when s.received <= $2::timestamptz - interval '3 days' then (array['Billing','Bug','Onboarding','Performance','Docs','Pricing'])[1 + g % 6] end,
  case when s.received <= $2::timestamptz - interval '3 days' then 'Fixed it' end
from ws cross join s
left join customers cu on cu.workspace_id = ws.id and cu.external_id = 'c' || (1 + s.g % ($1::int / 10))
-- In arrival order, as a live system writes them (the heap follows received_at).
order by s.received;
`;

/** The floor: one hand-written aggregate for 30-day NPS (current and previous window). */
const BARE = `
select count(*) filter (where received_at >= $2) as n,
       count(*) filter (where received_at >= $2 and score >= 9) as promoters,
       count(*) filter (where received_at >= $2 and score <= 6) as detractors,
       count(*) filter (where received_at < $2) as prev_n
from feedback_items
where workspace_id = $1 and kind = 'nps' and received_at >= $3 and received_at < $4 and score is not null`;

/**
 * Seeds on one dedicated connection with bulk-load settings: secondary indexes are dropped and
 * rebuilt afterwards (much faster than maintaining 7 b-trees row by row), then vacuum analyze so
 * the planner has statistics and index-only scans see all-visible pages.
 */
async function seed(url: string, size: number): Promise<number> {
  const started = performance.now();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`set work_mem = '256MB'`);
    await sql.unsafe(`set maintenance_work_mem = '512MB'`);
    await sql.unsafe('set synchronous_commit = off');
    await sql.unsafe('truncate workspaces cascade');
    await sql.unsafe(`insert into workspaces (name) values ('bench')`);
    const indexes = await sql<{ name: string; def: string }[]>`
      select indexname as name, indexdef as def from pg_indexes
      where tablename = 'feedback_items' and indexname not like '%_pkey'`;
    for (const i of indexes) await sql.unsafe(`drop index ${i.name}`);
    for (const statement of SEED.split(/;\s*\n/).filter((s) => s.trim())) {
      await sql.unsafe(statement, statement.includes('$2') ? [size, NOW.toISOString()] : [size]);
    }
    for (const i of indexes) await sql.unsafe(i.def);
    // The rollup tables were filled by the triggers during the insert (one statement).
    await sql.unsafe('vacuum analyze feedback_items, feedback_daily_counts, feedback_daily_durations, feedback_daily_root_causes');
    await sql.unsafe('analyze customers');
  } finally {
    await sql.end();
  }
  return (performance.now() - started) / 1000;
}

/**
 * What the rollups cost a writer: single-item inserts (autocommit, one customer lookup) with the
 * triggers and with every user trigger on feedback_items/customers disabled, in a scratch
 * workspace deleted afterwards in the same trigger state, so the rollups stay exact.
 */
async function writeCost(url: string): Promise<{ on: { p50: number; p95: number }; off: { p50: number; p95: number } }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const triggers = async (state: 'enable' | 'disable') => {
    await sql.unsafe(`alter table feedback_items ${state} trigger user`);
    await sql.unsafe(`alter table customers ${state} trigger user`);
  };
  let n = 0;
  const run = async () => {
    const ws = (await sql<{ id: string }[]>`insert into workspaces (name) values ('write-bench') returning id`)[0]!.id;
    const customer = (
      await sql<{ id: string }[]>`insert into customers (workspace_id, name, segment) values (${ws}, 'Writer', 'SMB') returning id`
    )[0]!.id;
    const result = await measure(async () => {
      n++;
      await sql`insert into feedback_items (workspace_id, source, external_id, kind, score, touchpoint, customer_id, received_at, due_at, remind_at, escalate_at)
        values (${ws}, 'bench', ${`w${n}`}, 'nps', ${n % 11}, 'web', ${customer}, ${NOW}, ${new Date(NOW.getTime() + DAY)}, ${new Date(NOW.getTime() + 0.75 * DAY)}, ${new Date(NOW.getTime() + DAY / 12)})`;
    }, 200);
    await sql`delete from workspaces where id = ${ws}`;
    return result;
  };
  try {
    const on = await run();
    await triggers('disable');
    try {
      return { on, off: await run() };
    } finally {
      await triggers('enable');
    }
  } finally {
    await sql.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(fn: () => Promise<unknown>, runs = RUNS): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn(); // warm caches and plans
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const ms = (v: number) => v.toFixed(1);

/** How time grows with data, and the target (p95 ≤ 50 ms at 1M items), from this run's figures. */
function reading(f: { size: number; scores: number; scoresP95: number; digestP95: number; bare: number }[]): string[] {
  const lines: string[] = [];
  for (let i = 1; i < f.length; i++) {
    const [a, b] = [f[i - 1]!, f[i]!];
    lines.push(
      `Growth ${a.size.toLocaleString('en-US')} → ${b.size.toLocaleString('en-US')} items (×${(b.size / a.size).toFixed(0)}): ` +
        `/scores p50 ×${(b.scores / a.scores).toFixed(1)}, bare ×${(b.bare / a.bare).toFixed(1)}. The bare aggregate grows with the rows in the window; ` +
          '/scores reads whole days from the rollups (rows grow with days × kinds × scores, not with items) plus at most two partial days of items per window, ' +
          'and each median reads one histogram bucket of values: it grows with items per day, far slower than the data.',
    );
  }
  const big = f.find((x) => x.size === 1_000_000);
  if (big) {
    lines.push(
      `Target p95 ≤ 50 ms at 1M items: /scores ${ms(big.scoresP95)} ms (${big.scoresP95 <= 50 ? 'met' : 'missed'}), ` +
        `digest ${ms(big.digestP95)} ms (${big.digestP95 <= 50 ? 'met' : 'missed'}).`,
    );
  }
  return lines;
}

async function main() {
  const started = performance.now();
  const fresh = await freshDatabase();
  const handle = await openDb({ url: fresh.url, max: 10 });
  const rows: string[] = [];
  const breakdownLines: string[] = [];
  const figures: { size: number; scores: number; scoresP95: number; digestP95: number; bare: number }[] = [];
  try {
    await migrate(handle, { url: fresh.url });
    const clock = { now: () => NOW };
    const scores = createScoresService({ db: handle.db, clock });
    const digests = createDigestService({ db: handle.db, clock });
    for (const size of SIZES) {
      const seedSeconds = await seed(fresh.url, size);
      const [{ id: ws }] = (await handle.query<{ id: string }>(`select id from workspaces where name = 'bench'`)) as [
        { id: string },
      ];
      const cur = new Date(NOW.getTime() - 30 * DAY).toISOString();
      const prev = new Date(NOW.getTime() - 60 * DAY).toISOString();
      const bare = await measure(() => handle.query(BARE, [ws, cur, prev, NOW.toISOString()]));
      const service = await measure(() => scores.getScores(ws, { period: '30d', timeZone: 'Europe/Berlin' }));
      const bySegment = await measure(() => scores.getScores(ws, { period: '30d', by: 'segment', timeZone: 'Europe/Berlin' }));
      const digest = await measure(() =>
        digests.compose(ws, { platform: 'slack', timeZone: 'Europe/Berlin', since: new Date(NOW.getTime() - DAY), until: NOW }),
      );
      figures.push({ size, scores: service.p50, scoresP95: service.p95, digestP95: digest.p95, bare: bare.p50 });
      const result = await scores.getScores(ws, { period: '30d' });
      // Where /scores spends its time: each of its queries alone (p50).
      const repo = createScoresRepo(handle.db);
      const w = periodWindows('30d', NOW, 'Europe/Berlin');
      const parts: [string, () => Promise<unknown>][] = [
        ['NPS+CSAT+CES+volume+SLA counts (both windows, one query)', () => repo.kindCounts(ws, [w.current, w.previous])],
        ['SLA medians (two statements)', () => repo.medians(ws, w.current)],
        ['root causes', () => repo.rootCauses(ws, w.current)],
        ['segment breakdown', () => repo.breakdown(ws, w.current, 'segment', 10)],
      ];
      const each: string[] = [];
      for (const [name, fn] of parts) each.push(`${name} ${ms((await measure(fn)).p50)}`);
      const write = await writeCost(fresh.url);
      breakdownLines.push(
        `- ${size.toLocaleString('en-US')} items, each /scores query alone (p50 ms): ${each.join(', ')}. ` +
          `Single-item insert p50 / p95: ${ms(write.on.p50)} / ${ms(write.on.p95)} ms with the rollup triggers, ${ms(write.off.p50)} / ${ms(write.off.p95)} ms without.`,
      );
      console.error(
        `${size} rows (seeded in ${seedSeconds.toFixed(0)} s; 30-day NPS n=${result.nps.current?.n}): bare ${ms(bare.p50)}/${ms(bare.p95)} ms, ` +
          `scores ${ms(service.p50)}/${ms(service.p95)}, by segment ${ms(bySegment.p50)}/${ms(bySegment.p95)}, digest ${ms(digest.p50)}/${ms(digest.p95)}`,
      );
      rows.push(
        `| ${size.toLocaleString('en-US')} | ${result.volume.current.toLocaleString('en-US')} | ${ms(bare.p50)} / ${ms(bare.p95)} | ` +
          `${ms(service.p50)} / ${ms(service.p95)} | ${ms(bySegment.p50)} / ${ms(bySegment.p95)} | ${ms(digest.p50)} / ${ms(digest.p95)} | ` +
          `${(service.p95 / bare.p95).toFixed(1)}× |`,
      );
    }
    const weeks = await scores.npsTrend((await handle.query<{ id: string }>(`select id from workspaces`))[0]!.id, {
      timeZone: 'Europe/Berlin',
    });
    const chart = await measure(() => renderNpsTrendPng(weeks));
    rows.push('', `Trend chart (vega → SVG → resvg PNG, 12 weeks): p50 ${ms(chart.p50)} ms, p95 ${ms(chart.p95)} ms (rendered once per digest, outside these figures).`);
  } finally {
    await handle.close();
    await fresh.drop();
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  writeResults('Scores and digest', [
    `Command: \`npx tsx bench/scores.bench.ts --rows ${SIZES.join(',')} --runs ${RUNS}\` (${new Date().toISOString().slice(0, 10)}, real PostgreSQL 15 server with default settings, 2 cores, Node ${process.version}, whole run ${minutes} min, load average at the end ${load} (1/5/15 min): other work shares the cores, so absolute figures are pessimistic; the ratio to the bare query is the stabler number).`,
    'Items spread over 365 days (40% NPS, 25% CSAT, 15% CES, 20% comments; one customer per 10 items) in one statement, the triggers filling the rollups as it goes; `vacuum analyze` after seeding (autovacuum does it in a deployment). Figures are p50 / p95 in ms over the runs after 5 warm-ups.',
    '- **bare SQL**: one hand-written `select count(*) filter (...)` for 30-day NPS and its previous period (the floor).',
    '- **/scores**: `getScores(30d)`: NPS, CSAT, CES with previous period, volume, SLA medians, top root causes — whole days from the daily rollups (kept by triggers, `migrations/0003_create_rollup_triggers.sql`), partial days from the items; 4 statements concurrently on the pool (each median: one statement that locates the middle rank in a bucket histogram, then reads the values of that bucket from an expression index).',
    '- **by segment**: the same plus the breakdown (rollup by segment), a 5th statement. **digest**: `compose()` for the last 24 h — 7-day headline (rollups), quotes, open/overdue, resolved, learnings, customer of the day: 7 statements concurrently — without the chart.',
    '',
    '| items | in 30 days | bare SQL | /scores | /scores by segment | digest | /scores ÷ bare (p95) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...breakdownLines,
    '',
    ...reading(figures),
  ]);
}

await main();
