// A generated survey export for the import bench and the importer's memory test: `rows` NPS answers
// from 20,000 customers over two years, written as a stream (the file is never held in memory).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export const FIXTURE_HEADER = ['Response ID', 'NPS', 'Comment', 'Email', 'Segment', 'Plan', 'Submitted At'];
const COMMENTS = [
  'Setup took ten minutes, the team loved it',
  'Exports are slow when the report is large, "please" fix',
  'Support answered within the hour, thanks!',
  'The new dashboard is confusing, where did filters go?',
  'Billing page shows the wrong currency',
  '',
];
const SEGMENTS = ['enterprise', 'mid-market', 'smb'];
const PLANS = ['free', 'team', 'pro'];
const T0 = Date.parse('2023-01-01T00:00:00Z');
const SPAN = 2 * 365 * 24 * 3_600_000;

/** Row i, as the CSV line (fields quoted where they need it). */
export function fixtureLine(i: number): string {
  const comment = COMMENTS[i % COMMENTS.length]!;
  const quoted = /[",\n]/.test(comment) ? `"${comment.replaceAll('"', '""')}"` : comment;
  const at = new Date(T0 + ((i * 7919) % SPAN)).toISOString();
  return `r${i},${(i * 7) % 11},${quoted},customer${i % 20_000}@example.com,${SEGMENTS[i % 3]},${PLANS[i % 3]},${at}\n`;
}

export async function writeFixtureCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${FIXTURE_HEADER.join(',')}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += fixtureLine(i);
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
