// `npm run cli -- import` in-process against the real test database: rejects file, re-runs,
// --dry-run, --post-since (the outbox), and history items owing no SLA notice and in no queue.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { parseEnv } from '../../src/config/env.ts';
import { defaultTable } from '../../src/core/routing/match-route.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { silentLogger } from '../../src/logger.ts';
import { createSlaSweeper } from '../../src/sla/sla-sweeper.service.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { outboxJobs } from './actions-fixtures.ts';

let t: TestDb;
let ws: string;
let dir: string;

beforeAll(async () => {
  t = await getTestDb();
  dir = mkdtempSync(join(tmpdir(), 'cf-import-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.reset();
  ws = (await ensureDefaultWorkspace(t.db)).id;
});

type Run = { code: number; out: string[]; err: string[] };
async function cli(...argv: string[]): Promise<Run> {
  const run: Run = { code: 0, out: [], err: [] };
  run.code = await runCli(argv, {
    io: { out: (l) => run.out.push(l), err: (l) => run.err.push(l) },
    loadEnv: () => parseEnv({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_DEFAULT_CHANNEL: 'C0FEED' }),
    open: async () => ({ handle: t, workspaceId: ws, close: async () => {} }),
  });
  return run;
}

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  rmSync(`${path}.rejects.csv`, { force: true });
  return path;
}

const count = async (table: string) => (await t.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

const SURVEY = [
  'Response ID,NPS,Comment,Email,Plan,Submitted At',
  '1,9,Love it,ana@example.com,pro,2024-05-01',
  '2,11,Too high,bob@example.com,pro,2024-05-02',
  '3,4,"Slow exports,',
  'and the search is broken",chloe@example.com,free,2024-05-03',
  '4,8,Fine,not-an-email,team,2024-05-04',
  '5,0,Year zero,dan@example.com,free,0000-01-01',
  '6,10,Great,eve@example.com,pro,2024-06-01T10:00:00+02:00',
  '7,6,"nul\u0000inside",fay@example.com,free,2024-06-02',
  '',
].join('\n');

describe('import', () => {
  it('imports valid rows, and writes every rejected row with its line and a reason naming the column', async () => {
    const file = csvFile('survey.csv', SURVEY);
    const run = await cli('import', file, '--source', 'survey');
    expect(run.code).toBe(0);
    expect(run.err.join('\n')).toMatch(/Response ID\s+→ id[\s\S]*NPS\s+→ score[\s\S]*Plan\s+→ metadata/);
    expect(run.out).toEqual([expect.stringMatching(/^Imported survey\.csv: 7 rows read, 4 new, 0 duplicates, 3 rejected \(see .*survey\.csv\.rejects\.csv\), in \d+\.\d s$/)]);

    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true }) as Record<string, string>[];
    expect(rejects.map((r) => [r.line, r.reason, r['Response ID']])).toEqual([
      ['3', 'score (column "NPS") must be from 0 to 10 for nps', '2'],
      ['6', 'email (column "Email") must be an email address', '4'],
      // Valid to JavaScript, refused by Postgres: its batch is stored row by row, so only it is lost.
      ['7', expect.stringMatching(/^the database refused the row: .*out of range/), '5'],
    ]);

    const items = await t.query<{ external_id: string; score: number; comment: string; metadata: Record<string, string> | string; history: boolean }>(
      'select external_id, score, comment, metadata, history from feedback_items order by external_id',
    );
    expect(items.map((i) => [i.external_id, i.score, i.comment, i.history])).toEqual([
      ['1', 9, 'Love it', true],
      ['3', 4, 'Slow exports,\nand the search is broken', true],
      ['6', 10, 'Great', true],
      ['7', 6, 'nulinside', true], // NUL never reaches Postgres
    ]);
    const meta = items[0]!.metadata;
    expect(typeof meta === 'string' ? JSON.parse(meta) : meta).toEqual({ Plan: 'pro' });
    // History: stored with a "received" event each, counted in scores, nothing to post.
    expect(await count('feedback_events')).toBe(4);
    expect(await outboxJobs(t, ws)).toEqual([]);
    expect(await count('customers')).toBe(4);
  });

  it('re-runs change nothing: 0 new, every row a duplicate; rows without an id get a stable one', async () => {
    const file = csvFile('no-id.csv', 'rating,feedback,type\n5,Nice,csat\n2,Meh,csat\n,Just a note,\n5,Nice,csat\n');
    const first = await cli('import', file, '--source', 'csv');
    expect(first.out[0]).toMatch(/4 rows read, 3 new, 1 duplicates, 0 rejected, in/); // the 4th row repeats the 1st
    expect(existsSync(`${file}.rejects.csv`)).toBe(false);
    const again = await cli('import', file, '--source', 'csv');
    expect(again.out[0]).toMatch(/4 rows read, 0 new, 4 duplicates, 0 rejected, in/);
    const rows = await t.query<{ external_id: string; kind: string }>('select external_id, kind from feedback_items order by kind');
    expect(rows.map((r) => r.kind)).toEqual(['comment', 'csat', 'csat']);
    expect(rows.every((r) => /^row-[A-Za-z0-9_-]{22}$/.test(r.external_id))).toBe(true);
  });

  it('--dry-run validates and counts, and writes no item', async () => {
    const file = csvFile('dry.csv', SURVEY);
    const dry = await cli('import', file, '--source', 'survey', '--dry-run');
    expect(dry.code).toBe(0);
    // Year 0 passes validation; only the database would refuse it.
    expect(dry.out[0]).toMatch(/^Dry run, nothing written: dry\.csv: 7 rows read, 5 would be new, 0 duplicates, 2 rejected \(see .*dry\.csv\.rejects\.csv\)/);
    expect(await count('feedback_items')).toBe(0);
    expect(await count('customers')).toBe(0);
    expect(await count('outbox')).toBe(0);

    await cli('import', file, '--source', 'survey');
    const after = await cli('import', file, '--source', 'survey', '--dry-run');
    expect(after.out[0]).toMatch(/1 would be new, 4 duplicates, 2 rejected/);
  });

  it('--post-since posts only the items received after it; history owes no SLA notice and is in no queue', async () => {
    const file = csvFile('recent.csv', ['id,score,kind,comment,date', 'a,3,nps,Old and angry,2024-01-10', 'b,2,nps,Recent and angry,2024-06-10T09:00:00Z', 'c,9,nps,Undated,', ''].join('\n'));
    const run = await cli('import', file, '--source', 'survey', '--post-since', '2024-06-01');
    expect(run.out[0]).toMatch(/3 rows read, 3 new, 1 of them posted \(received after --post-since\), 0 duplicates/);

    const ids = Object.fromEntries(
      (await t.query<{ external_id: string; id: string; history: boolean }>('select external_id, id, history from feedback_items')).map((r) => [r.external_id, r]),
    );
    expect([ids.a!.history, ids.b!.history, ids.c!.history]).toEqual([true, false, true]);
    expect(await outboxJobs(t, ws)).toEqual([expect.objectContaining({ type: 'item.post', itemId: ids.b!.id, channel: 'C0FEED' })]);

    // Days later every item is far past its escalation and due times: only the posted one is owed notices.
    const later = new Date(Date.now() + 72 * 3_600_000);
    const routing = { table: defaultTable([{ platform: 'slack', channel: 'C0FEED' }], { slaHours: 24, escalationHours: 2 }), champions: [{ platform: 'slack' as const, channel: 'C0CHAMP' }] };
    const sweeper = createSlaSweeper({ db: t.db, clock: { now: () => later }, routing, notify: () => {}, logger: silentLogger });
    expect(await sweeper.sweep(later)).toEqual({ unclaimed: 1, reminder: 0, overdue: 1 });
    const notices = await t.query<{ item_id: string }>('select distinct item_id from sla_notices');
    expect(notices).toEqual([{ item_id: ids.b!.id }]);
    expect(await sweeper.sweep(new Date(later.getTime() + 3_600_000))).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });

    const open = await createRepos(t.db).feedback.list(ws, { status: ['open'] });
    expect(open.map((i) => i.id)).toEqual([ids.b!.id]);
    // Still the customer's history and the scores: 3 NPS answers.
    const scored = await t.query<{ n: number }>("select count(*)::int as n from feedback_items where kind = 'nps'");
    expect(scored[0]!.n).toBe(3);
  });

  it('keeps stray quotes as text, and rejects what the CSV parser cannot read', async () => {
    const file = csvFile('quotes.csv', 'id,nps,comment\n1,9,"The 5"" screen"\n2,8,the 5" screen is "too small"\n3,7,fine\n4,6,"never closed\n');
    const run = await cli('import', file, '--source', 'survey');
    expect(run.out[0]).toMatch(/4 rows read, 3 new, 0 duplicates, 1 rejected/);
    const rejects = parse(readFileSync(`${file}.rejects.csv`), { columns: true }) as Record<string, string>[];
    expect(rejects).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^unreadable CSV: Quote Not Closed/) })]);
    const rows = await t.query<{ external_id: string; comment: string }>('select external_id, comment from feedback_items order by 1');
    expect(rows).toEqual([
      { external_id: '1', comment: 'The 5" screen' },
      { external_id: '2', comment: 'the 5" screen is "too small"' },
      { external_id: '3', comment: 'fine' },
    ]);
  });

  it('--map overrides the guess, and unmapped columns become metadata', async () => {
    const file = csvFile('map.csv', 'ref,stars,notes,who\nx1,4,Good,ana@example.com\n');
    const run = await cli('import', file, '--source', 'reviews', '--map', 'ref=id', '--map', 'notes=comment', '--kind', 'review');
    expect(run.code).toBe(0);
    expect(run.err.join('\n')).toMatch(/ref\s+→ id[\s\S]*stars\s+→ score[\s\S]*notes\s+→ comment[\s\S]*who\s+→ metadata/);
    const [item] = await t.query<{ external_id: string; kind: string; score: number; comment: string; metadata: unknown }>(
      'select external_id, kind, score, comment, metadata from feedback_items',
    );
    expect(item).toMatchObject({ external_id: 'x1', kind: 'review', score: 4, comment: 'Good' });
    expect(typeof item!.metadata === 'string' ? JSON.parse(item!.metadata) : item!.metadata).toEqual({ who: 'ana@example.com' });
  });

  it('answers bad arguments with one clear line', async () => {
    const file = csvFile('args.csv', 'id,nps\n1,9\n');
    const cases: [string[], number, RegExp][] = [
      [['import', join(dir, 'missing.csv'), '--source', 's'], 1, /^import: cannot read .*missing\.csv: no such file$/],
      [['import', file], 2, /^import: --source <name> is required/],
      [['import', file, '--source', 's', '--map', 'nps=rating'], 2, /^import: --map nps=rating: unknown field "rating"; fields are id, kind, score/],
      [['import', file, '--source', 's', '--map', 'stars=score'], 2, /^import: --map stars=score: the file has no column "stars"/],
      [['import', file, '--source', 's', '--post-since', 'last tuesday'], 2, /^import: --post-since "last tuesday" must be a date like 2024-05-01/],
      [['import', file, '--source', 's', '--kind', 'vibes'], 2, /^import: --kind must be one of nps, csat/],
      [['import', csvFile('empty.csv', ''), '--source', 's'], 2, /^import: the file is empty: it needs a header row/],
      [['import', csvFile('rating.csv', 'rating\n5\n'), '--source', 's'], 2, /^import: cannot tell which survey the scores in column "rating" answer/],
    ];
    for (const [argv, code, message] of cases) {
      const run = await cli(...argv);
      expect({ argv, code: run.code }).toEqual({ argv, code });
      expect(run.err.at(-1)).toMatch(message);
      expect(run.out).toEqual([]);
    }
    expect(await count('feedback_items')).toBe(0);
  });
});
