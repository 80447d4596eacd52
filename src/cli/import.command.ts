// `import <file.csv> --source <name>`: a CSV backfill through the batched intake path. The column
// mapping is printed (stderr) before anything is stored; a progress bar follows on a terminal; the
// summary goes to stdout. Rows older than --post-since (all rows, by default) are imported as
// history: counted in scores, never posted, owed no SLA notice (see IntakeInput.history).
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { Env } from '../config/env.ts';
import { createIntakeService } from '../core/feedback/intake.service.ts';
import { systemClock } from '../core/ports.ts';
import { routeItem } from '../core/routing/match-route.ts';
import { createIntakeRepo } from '../db/repos/intake.repo.ts';
import {
  describeMapping,
  detectMapping,
  type ImportField,
  MappingError,
  parseKindOption,
  parseMapOptions,
} from '../intake/csv/column-mapping.ts';
import { EmptyFileError, type ImportCounts, importCsv } from '../intake/csv/csv-import.ts';
import { normalizeDate } from '../intake/csv/csv-row.ts';
import { openRejectsFile } from '../intake/csv/rejects-file.ts';
import { offlineRoutingTable } from '../routing/offline-routing.ts';
import type { CliIo } from './api-key.command.ts';
import type { CliDatabase } from './open-database.ts';

export type ImportOptionValues = { source?: string; 'dry-run'?: boolean; map?: string[]; 'post-since'?: string; kind?: string };
export type ImportCommand = (db: CliDatabase, env: Env) => Promise<number>;

/** Checks the arguments before the database opens: an exit code (usage error), or the command. */
export function prepareImport(positionals: string[], values: ImportOptionValues, io: CliIo): number | ImportCommand {
  const usage = (message: string, code = 2) => {
    io.err(`import: ${message}`);
    return code;
  };
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) return usage('needs exactly one file: npm run cli -- import <file.csv> --source <name>');
  const source = values.source?.trim();
  if (!source || source.length > 100) return usage('--source <name> is required (1 to 100 characters), e.g. --source typeform');
  let overrides: Map<string, ImportField>;
  let kind: ReturnType<typeof parseKindOption>;
  try {
    overrides = parseMapOptions(values.map ?? []);
    kind = parseKindOption(values.kind);
  } catch (err) {
    return usage((err as Error).message);
  }
  let postSince: Date | null = null;
  if (values['post-since'] !== undefined) {
    const iso = normalizeDate(values['post-since']);
    if (!iso) return usage(`--post-since "${values['post-since']}" must be a date like 2024-05-01 or 2024-05-01T09:30:00Z`);
    postSince = new Date(iso);
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return usage(`${file} is not a file`, 1);
    size = stat.size;
  } catch {
    return usage(`cannot read ${file}: no such file`, 1);
  }
  const dryRun = values['dry-run'] === true;
  return (db, env) => runImport({ db, env, io, file, size, source, overrides, kind, postSince, dryRun });
}

type RunArgs = {
  db: CliDatabase;
  env: Env;
  io: CliIo;
  file: string;
  size: number;
  source: string;
  overrides: Map<string, ImportField>;
  kind: ReturnType<typeof parseKindOption>;
  postSince: Date | null;
  dryRun: boolean;
};

async function runImport(a: RunArgs): Promise<number> {
  const started = performance.now();
  const { db, io } = a;
  const table = offlineRoutingTable(a.env);
  // One statement at a time on the embedded database (one connection); two on a server, so the
  // next batch is parsed and sent while the last one commits.
  const inFlight = db.handle.driver === 'pglite' ? 1 : 2;
  const intake = createIntakeService({
    store: createIntakeRepo(db.handle.db, { maxInFlight: inFlight }),
    clock: systemClock,
    routeFor: (input) => routeItem(table, input),
  });
  const via = { platform: 'system' as const, actorId: null };
  const rejects = openRejectsFile(`${a.file}.rejects.csv`);
  const bar = progressBar(a.size);
  let counts: ImportCounts;
  try {
    counts = await importCsv(
      createReadStream(a.file, { highWaterMark: 256 * 1024 }),
      {
        source: a.source,
        postSince: a.postSince,
        dryRun: a.dryRun,
        inFlight,
        mapping: (header) => {
          const mapping = detectMapping(header, a.overrides, a.kind);
          rejects.setHeader(header);
          for (const line of describeMapping(mapping)) io.err(line);
          bar?.start(a.size, 0, { rows: 0 });
          return mapping;
        },
      },
      {
        storeBatch: (inputs) => intake.acceptBatch(db.workspaceId, inputs, via),
        storeOne: (input) => intake.accept(db.workspaceId, input, via),
        existing: async (ids) => {
          const rows = await db.handle.query<{ external_id: string }>(
            'select external_id from feedback_items where workspace_id = $1 and source = $2 and external_id = any($3::text[])',
            [db.workspaceId, a.source, ids],
          );
          return new Set(rows.map((r) => r.external_id));
        },
        reject: (line, reason, record) => rejects.write(line, reason, record),
        onProgress: (c, bytes) => bar?.update(bytes, { rows: c.rows }),
      },
    );
  } catch (err) {
    bar?.stop();
    if (err instanceof MappingError || err instanceof EmptyFileError) {
      io.err(`import: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await rejects.close();
  }
  bar?.update(a.size, { rows: counts.rows });
  bar?.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const where = rejects.count() > 0 ? ` (see ${rejects.path})` : '';
  const posted = counts.posted === 0 ? '' : `, ${counts.posted} of them ${a.dryRun ? 'to be ' : ''}posted (received after --post-since)`;
  io.out(
    `${a.dryRun ? 'Dry run, nothing written: ' : 'Imported '}${basename(a.file)}: ${counts.rows} rows read, ${counts.created} ${a.dryRun ? 'would be new' : 'new'}${posted}, ` +
      `${counts.duplicates} duplicates, ${counts.rejected} rejected${where}, in ${seconds} s`,
  );
  return 0;
}

/** On a terminal only: not when stderr is a pipe or a file, nor under CI. */
function progressBar(total: number): cliProgress.SingleBar | null {
  if (!process.stderr.isTTY || process.env.CI || total === 0) return null;
  return new cliProgress.SingleBar(
    { stream: process.stderr, format: 'Importing {bar} {percentage}% | {rows} rows | {eta_formatted} left', hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
}
