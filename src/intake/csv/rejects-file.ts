// `<file>.rejects.csv`: every rejected row with its line number and reason, then its fields as
// read — drop the first two columns, fix the rows, and import the file again. Opened on the first
// reject (a clean import leaves no file behind); written through csv-stringify with backpressure.
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';

export type RejectsFile = {
  readonly path: string;
  count(): number;
  setHeader(header: string[]): void;
  write(line: number, reason: string, record: string[]): Promise<void>;
  close(): Promise<void>;
};

export function openRejectsFile(path: string): RejectsFile {
  // A rejects file from an earlier run describes that run: remove it so this one's stands alone.
  rmSync(path, { force: true });
  let header: string[] = [];
  let out: { csv: Stringifier; file: WriteStream } | null = null;
  let n = 0;
  return {
    path,
    count: () => n,
    setHeader(h) {
      header = h;
    },
    async write(line, reason, record) {
      if (!out) {
        const csv = stringify();
        const file = createWriteStream(path);
        csv.pipe(file);
        out = { csv, file };
        csv.write(['line', 'reason', ...header]);
      }
      n++;
      // Short rows (and unreadable ones, which have no fields) are padded to the header's width.
      const fields = record.length < header.length ? [...record, ...Array(header.length - record.length).fill('')] : record;
      if (!out.csv.write([String(line), reason, ...fields])) await once(out.csv, 'drain');
    },
    async close() {
      if (!out) return;
      const { csv, file } = out;
      csv.end();
      await once(file, 'finish');
    },
  };
}
