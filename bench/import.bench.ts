// `npm run bench -- import [--rows 1000000] [--runs 3] [--no-write]`
// Rows per second importing a generated CSV (bench/import-fixture.ts) with `npm run cli -- import`
// as a child process, against the floor: a bare `COPY ... FROM STDIN (FORMAT csv)` of the same
// file into a plain table (text columns, no index, no trigger) in the same database, in the same
// run. Each run takes a fresh database on the real server (BENCH_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/test), created and dropped. The importer's peak RSS comes from
// the child itself (bench/report-rss.mjs). A `--dry-run` import of the same file (no write) shows
// the importer's own ceiling. Targets: ≥ 30% of the COPY rate, peak RSS ≤ 200 MB.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { cliArgv } from './cli-argv.ts';
import { freshDatabase } from './fresh-db.ts';
import { writeFixtureCsv } from './import-fixture.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const root = fileURLToPath(new URL('..', import.meta.url));

const file = join(tmpdir(), `cf-import-bench-${ROWS}.csv`);
if (!existsSync(file)) {
  console.error(`writing ${ROWS} rows to ${file}`);
  await writeFixtureCsv(file, ROWS);
}
const mb = statSync(file).size / 1e6;

/** The floor: COPY of the file into a table with the CSV's columns and nothing else. */
async function copyFloor(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create table copy_floor (response_id text, nps text, comment text, email text, segment text, plan text, submitted_at text)`);
    const start = performance.now();
    await pipeline(createReadStream(file), await sql.unsafe('copy copy_floor from stdin with (format csv, header true)').writable());
    const seconds = (performance.now() - start) / 1000;
    const [{ n } = { n: 0 }] = await sql.unsafe<{ n: number }[]>('select count(*)::int as n from copy_floor');
    if (n !== ROWS) throw new Error(`COPY stored ${n} rows, expected ${ROWS}`);
    return ROWS / seconds;
  } finally {
    await sql.end();
  }
}

type ImportRun = { rowsPerSecond: number; peakRssMb: number; summary: string };

/** `npm run cli -- import` as the script runs it, with the RSS reporter preloaded. */
function importer(url: string, dryRun = false): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgv(['import', file, '--source', 'bench', ...(dryRun ? ['--dry-run'] : [])]), {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const start = performance.now();
    child.on('close', (code) => {
      const wall = (performance.now() - start) / 1000;
      const rss = /peak-rss-kb (\d+)/.exec(err);
      const summary = out.trim();
      if (code !== 0 || !rss || !summary.includes(`${ROWS} rows read, ${ROWS} ${dryRun ? 'would be new' : 'new'}`)) {
        return reject(new Error(`import failed (exit ${code}):\n${out}\n${err}`));
      }
      // The import's own elapsed time (after start-up and migrations), from its summary line.
      const seconds = Number(/in ([\d.]+) s$/.exec(summary)?.[1] ?? wall);
      resolve({ rowsPerSecond: ROWS / seconds, peakRssMb: Number(rss[1]) / 1024, summary });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const range = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

const results: { copy: number; dry: ImportRun; run: ImportRun }[] = [];
for (let r = 0; r < RUNS; r++) {
  const db = await freshDatabase();
  try {
    const copy = await copyFloor(db.url);
    const dry = await importer(db.url, true);
    const run = await importer(db.url);
    results.push({ copy, dry, run });
    console.error(
      `run ${r + 1}: COPY ${copy.toFixed(0)} rows/s, dry run ${dry.rowsPerSecond.toFixed(0)} rows/s, import ${run.rowsPerSecond.toFixed(0)} rows/s (${((100 * run.rowsPerSecond) / copy).toFixed(1)}%), peak RSS ${run.peakRssMb.toFixed(0)} MB`,
    );
  } finally {
    await db.drop();
  }
}

const copyRates = results.map((x) => x.copy);
const dryRates = results.map((x) => x.dry.rowsPerSecond);
const importRates = results.map((x) => x.run.rowsPerSecond);
const ratios = results.map((x) => (100 * x.run.rowsPerSecond) / x.copy);
const rss = results.map((x) => x.run.peakRssMb);
const command = `npm run bench -- import --rows ${ROWS} --runs ${RUNS}`;
const lines = [
  `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}, PostgreSQL server at 127.0.0.1:5432, a fresh database per run; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')}).`,
  `A generated survey export of ${ROWS} rows (${mb.toFixed(0)} MB; 7 columns: id, NPS, comment, email of 20 000 customers, segment, plan, date) imported by \`npm run cli -- import <file> --source bench\` as a child process, with the node arguments of \`npm run cli\` (all rows history: nothing posted). Rate = rows ÷ the import's own elapsed time (its summary line: after start-up and migrations). The floor is \`COPY ... FROM STDIN (FORMAT csv)\` of the same file into a plain table of 7 text columns, in the same database just before. "Dry run" is the same import with \`--dry-run\` (read, parse, validate, look the ids up; no write): the ceiling of the importer's own side. Peak RSS is the importing child's \`process.resourceUsage().maxRSS\`. Targets: import ≥ 30% of COPY, peak RSS ≤ 200 MB.`,
  '',
  '| run | COPY rows/s | dry run rows/s | import rows/s | **import ÷ COPY** | peak RSS MB |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map((x, i) => `| ${i + 1} | ${x.copy.toFixed(0)} | ${x.dry.rowsPerSecond.toFixed(0)} | ${x.run.rowsPerSecond.toFixed(0)} | **${ratios[i]!.toFixed(1)}%** | ${x.run.peakRssMb.toFixed(0)} |`),
  `| median (range) | ${median(copyRates).toFixed(0)} (${range(copyRates)}) | ${median(dryRates).toFixed(0)} (${range(dryRates)}) | ${median(importRates).toFixed(0)} (${range(importRates)}) | **${median(ratios).toFixed(1)}%** (${range(ratios, 1)}) | ${median(rss).toFixed(0)} (${range(rss)}) |`,
];
console.log(lines.join('\n'));
if (!values['no-write']) writeResults('CSV import', lines);
