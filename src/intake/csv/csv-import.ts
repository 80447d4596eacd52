// The CSV import pipeline: stream → csv-parse → rows validated one by one → batches of 500 → the
// batched intake path. Memory stays bounded whatever the file's size: the parser is read with
// `for await`, which stops reading while `inFlight` batches are being stored (backpressure).
// A bad row never costs its neighbours: rows are validated before they are batched, and when the
// database refuses a batch its rows are stored one by one, so only the row at fault is rejected.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type AcceptResult, type IntakeInput, MAX_BATCH } from '../../core/feedback/intake.service.ts';
import type { ColumnMapping } from './column-mapping.ts';
import { toIntakeInput } from './csv-row.ts';

/** `posted`: new items received after --post-since, whose cards are posted (the others are history). */
export type ImportCounts = { rows: number; created: number; posted: number; duplicates: number; rejected: number };

export type CsvImportDeps = {
  /** Stores a batch atomically (IntakeService.acceptBatch). */
  storeBatch(inputs: IntakeInput[]): Promise<AcceptResult[]>;
  storeOne(input: IntakeInput): Promise<AcceptResult>;
  /** Dry run: which of these external ids are stored already (for `source`). */
  existing(externalIds: string[]): Promise<Set<string>>;
  /** Records a rejected row (its first line, why, and its fields as read). */
  reject(line: number, reason: string, record: string[]): Promise<void> | void;
  onProgress?(counts: ImportCounts, bytes: number): void;
};

export type CsvImportOptions = {
  source: string;
  /** The header → mapping; may throw (an unknown --map column), which stops the import. */
  mapping(header: string[]): ColumnMapping;
  /** Items received after this are posted and owe SLA notices; older ones (and undated) are history. */
  postSince: Date | null;
  dryRun: boolean;
  batchSize?: number;
  /** Batches being stored at once (1 on the embedded database: it has one connection). */
  inFlight?: number;
};

/** A database refusal that is the row's fault: data exception (22), integrity (23), limits (54). */
export function isRowError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && /^(22|23|54)/.test(e.code)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

type Pending = { line: number; record: string[]; input: IntakeInput };

export async function importCsv(input: Readable, opts: CsvImportOptions, deps: CsvImportDeps): Promise<ImportCounts & { header: string[] }> {
  const counts: ImportCounts = { rows: 0, created: 0, posted: 0, duplicates: 0, rejected: 0 };
  const batchSize = Math.min(opts.batchSize ?? MAX_BATCH, MAX_BATCH);
  const maxInFlight = Math.max(1, opts.inFlight ?? 1);
  // relax_quotes: a stray quote inside a field (`5" screen`) is kept as text — strict parsing would
  // fail the row and lose its place in the file, dropping valid rows after it. What still cannot be
  // read (a quote never closed, which runs to the end of the file) is skipped and rejected.
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, skip_records_with_error: true });
  const skipped: { line: number; reason: string }[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => {
    skipped.push({ line: err.lines ?? 0, reason: `unreadable CSV: ${err.message}` });
  });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  const inFlight = new Set<Promise<void>>();
  let batch: Pending[] = [];
  let header: string[] | null = null;
  let mapping: ColumnMapping | null = null;
  let bytes = 0;
  /** Dry run: keys seen earlier in the file, as 52-bit hashes (a Set of numbers stays small). */
  const seen = new Set<number>();

  const reject = async (line: number, reason: string, record: string[]) => {
    counts.rejected++;
    await deps.reject(line, reason, record);
  };

  /** Records the parser skipped since the last call (it reports them as events, between records). */
  async function rejectSkipped(): Promise<void> {
    for (const s of skipped.splice(0)) {
      counts.rows++;
      await reject(s.line, s.reason, []);
    }
  }

  async function store(rows: Pending[]): Promise<void> {
    if (opts.dryRun) return countDry(rows);
    let results: AcceptResult[];
    try {
      results = await deps.storeBatch(rows.map((r) => r.input));
    } catch (err) {
      if (!isRowError(err)) throw err;
      // One row is at fault: store each alone (the intake repo still merges them into few statements).
      await Promise.all(
        rows.map(async (row) => {
          try {
            tally(await deps.storeOne(row.input), row.input);
          } catch (rowErr) {
            if (!isRowError(rowErr)) throw rowErr;
            await reject(row.line, `the database refused the row: ${(rowErr as Error).message}`, row.record);
          }
        }),
      );
      return;
    }
    for (const [i, r] of results.entries()) tally(r, rows[i]!.input);
  }

  function tally(r: AcceptResult, input: IntakeInput): void {
    if (!r.created) counts.duplicates++;
    else {
      counts.created++;
      if (!input.history) counts.posted++;
    }
  }

  async function countDry(rows: Pending[]): Promise<void> {
    const stored = await deps.existing([...new Set(rows.map((r) => r.input.externalId))]);
    for (const { input } of rows) {
      const key = hash52(input.externalId);
      tally({ id: '', created: !stored.has(input.externalId) && !seen.has(key) }, input);
      seen.add(key);
    }
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const p = store(rows).finally(() => inFlight.delete(p));
    // Awaited below (race or all); the no-op handler only keeps an early failure from counting as unhandled.
    p.catch(() => {});
    inFlight.add(p);
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    deps.onProgress?.(counts, bytes);
  }

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      // `lines` is where the record ends; it starts as many lines earlier as its fields hold line breaks.
      const line = info.lines - lineBreaks(record);
      bytes = info.bytes;
      await rejectSkipped();
      if (!header) {
        header = record;
        mapping = opts.mapping(record);
        continue;
      }
      counts.rows++;
      const row = toIntakeInput(mapping!, opts.source, record);
      if (!row.ok) {
        await reject(line, row.reason, record);
        continue;
      }
      const at = row.input.receivedAt;
      row.input.history = !(opts.postSince && at && at.getTime() > opts.postSince.getTime());
      batch.push({ line, record, input: row.input });
      if (batch.length >= batchSize) await flush();
    }
    await rejectSkipped();
    await flush();
    await Promise.all(inFlight);
  } catch (err) {
    // Let the batches already sent finish (or fail) before reporting.
    await Promise.allSettled(inFlight);
    input.destroy();
    throw err;
  }
  deps.onProgress?.(counts, bytes);
  if (!header) throw new EmptyFileError('the file is empty: it needs a header row and at least one row');
  return { ...counts, header };
}

export class EmptyFileError extends Error {}

function lineBreaks(record: string[]): number {
  let n = 0;
  for (const field of record) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  return n;
}

/** FNV-1a over the string, folded into 52 bits (a safe integer). */
function hash52(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822519);
  }
  return (h1 >>> 0) * 2 ** 20 + ((h2 >>> 0) & 0xfffff);
}
