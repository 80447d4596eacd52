// The importer streams: a generated 200,000-row file (23 MB) imported by a real child process
// (with the node arguments of `npm run cli`, bench/cli-argv.ts), whose peak RSS it
// reports itself (bench/report-rss.mjs). Asserted: every row stored, a re-run stores nothing, and
// the import's peak RSS stays under a bound — relative to the same process opening the same
// database and doing nothing (PGlite alone is ~400 MB of WebAssembly memory on reopen), and on
// Postgres also absolute. Loading the file and its 200,000 items would cost far more than the bound.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgv } from '../../bench/cli-argv.ts';
import { writeFixtureCsv } from '../../bench/import-fixture.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ROWS = 200_000;
/** What the import may add to the idle process's peak RSS (measured: ~55 MB on PGlite, ~25 MB on Postgres). */
const MAX_IMPORT_MB = 150;
const MAX_PEAK_MB_POSTGRES = 250;

type Run = { code: number; stdout: string; stderr: string; peakMb: number };

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      cliArgv(args),
      { cwd: root, env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const kb = Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr, peakMb: kb / 1024 });
      },
    );
  });
}

describe('importing 200,000 rows in a child process', { timeout: 600_000 }, () => {
  let dir: string;
  let file: string;
  let t: TestDb | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-import-mem-'));
    file = join(dir, 'survey.csv');
    await writeFixtureCsv(file, ROWS);
    if (process.env.TEST_DATABASE_URL) {
      t = await getTestDb();
      env = { DATABASE_URL: t.url!, DATA_DIR: join(dir, 'unused') };
    } else {
      env = { DATABASE_URL: '', DATA_DIR: join(dir, 'data') };
    }
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every row with memory bounded, and a re-run stores nothing', async () => {
    // Creates (PGlite: initdb) and migrates the database, then opens it once more idle: the baseline.
    expect((await cli(['api-key', 'list'], env)).code).toBe(0);
    const idle = await cli(['api-key', 'list'], env);
    expect(idle.code).toBe(0);

    const run = await cli(['import', file, '--source', 'survey'], env);
    expect(run.stderr).not.toMatch(/Failed/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Imported survey\\.csv: ${ROWS} rows read, ${ROWS} new, 0 duplicates, 0 rejected, in [\\d.]+ s\\n$`));
    expect(run.stderr).not.toMatch(/Importing/); // no progress bar when stderr is not a terminal
    console.info(`peak RSS: idle ${idle.peakMb.toFixed(0)} MB, importing ${ROWS} rows ${run.peakMb.toFixed(0)} MB`);
    expect(run.peakMb - idle.peakMb).toBeLessThan(MAX_IMPORT_MB);
    if (t) expect(run.peakMb).toBeLessThan(MAX_PEAK_MB_POSTGRES);

    const again = await cli(['import', file, '--source', 'survey'], env);
    expect(again.stdout).toMatch(new RegExp(`${ROWS} rows read, 0 new, ${ROWS} duplicates, 0 rejected`));
  });
});
