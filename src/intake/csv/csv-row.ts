// One CSV row → the intake input the API would accept, or the reason it cannot be, naming the
// field and its column. Validation is the HTTP intake's own (feedbackItemSchema), so a row is
// accepted here exactly when the same item would be accepted by POST /api/v1/feedback.
import { createHash } from 'node:crypto';
import type { IntakeInput } from '../../core/feedback/intake.service.ts';
import type { FeedbackKind } from '../../core/feedback/item.ts';
import { parseFeedbackBody } from '../feedback.schema.ts';
import type { ColumnMapping, ImportField } from './column-mapping.ts';

export type RowResult = { ok: true; input: IntakeInput } | { ok: false; reason: string };

/** NUL and lone surrogates: Postgres text and jsonb refuse both, so they never leave this file. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const cleanText = (s: string): string => s.replace(UNSAFE, (c) => (c === '\u0000' ? '' : '\uFFFD'));

/** Field path of a validation issue → the import field it came from. */
const fieldOfPath: Record<string, ImportField> = {
  external_id: 'id',
  kind: 'kind',
  score: 'score',
  comment: 'comment',
  received_at: 'received_at',
  touchpoint: 'touchpoint',
  tags: 'tags',
  'customer.external_id': 'customer_id',
  'customer.email': 'email',
  'customer.name': 'name',
  'customer.company': 'company',
  'customer.segment': 'segment',
  'customer.tier': 'tier',
};

/** "2024-05-01", "2024-05-01 09:30", "2024-05-01T09:30:00+0200" → ISO 8601; no zone means UTC. */
export function normalizeDate(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value.trim());
  if (!m) return null;
  const [, day, hm, sec, zone] = m;
  const iso = `${day}T${hm ?? '00:00'}${sec ?? ':00'}${!zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`}`;
  // A day that does not survive the round trip (2024-02-30) is not a day.
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) return null;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

const KIND_ALIASES: Record<string, FeedbackKind> = { note: 'conversation_note', conversation: 'conversation_note' };

/**
 * Rows without an id column get one from their content: the same row gets the same id on every
 * run (re-runs are idempotent) and in any position (a re-export with new rows first, or sorted
 * differently, still dedupes); a line number would do neither. Two identical rows are one answer.
 */
export function contentId(header: readonly string[], record: readonly string[]): string {
  const pairs = header.map((h, i) => [h, record[i] ?? '']).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return `row-${createHash('sha256').update(JSON.stringify(pairs)).digest('base64url').slice(0, 22)}`;
}

export function toIntakeInput(mapping: ColumnMapping, source: string, record: readonly string[]): RowResult {
  const { columns } = mapping;
  if (record.length !== columns.length) {
    return { ok: false, reason: `row has ${record.length} fields, the header has ${columns.length}` };
  }
  const values: Partial<Record<ImportField, string>> = {};
  const metadata: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) {
    const { header, field } = columns[i]!;
    const value = cleanText(record[i]!).trim();
    if (field === 'ignore' || value === '') continue;
    if (field === 'metadata') metadata[cleanText(header)] = value;
    else values[field] = value;
  }

  const rawKind = values.kind?.toLowerCase().replace(/[\s-]+/g, '_');
  const scoreText = values.score;
  const kind = rawKind ? (KIND_ALIASES[rawKind] ?? rawKind) : (mapping.defaultKind ?? (scoreText === undefined ? 'comment' : undefined));
  const score = scoreText === undefined ? null : /^[+-]?\d+(\.\d+)?$/.test(scoreText) ? Number(scoreText) : scoreText;
  const receivedAt = values.received_at === undefined ? undefined : (normalizeDate(values.received_at) ?? values.received_at);
  const identified = values.email !== undefined || values.customer_id !== undefined;
  // Without an email or customer id there is nobody to link: the customer's details stay metadata.
  if (!identified) for (const f of ['name', 'company', 'segment', 'tier'] as const) if (values[f] !== undefined) metadata[f] = values[f]!;
  const body = {
    source,
    external_id: values.id ?? contentId(columns.map((c) => c.header), record),
    kind: kind ?? '',
    score,
    comment: values.comment ?? null,
    touchpoint: values.touchpoint ?? null,
    tags: values.tags ? values.tags.split(/[,;|]/).map((t) => t.trim()).filter(Boolean) : [],
    ...(receivedAt !== undefined && { received_at: receivedAt }),
    customer: identified
      ? {
          external_id: values.customer_id ?? null,
          email: values.email ?? null,
          name: values.name ?? null,
          company: values.company ?? null,
          segment: values.segment ?? null,
          tier: values.tier ?? null,
        }
      : null,
    metadata,
  };
  if (kind === undefined) return { ok: false, reason: `${named(mapping, 'kind')} is required for a row with a score (or pass --kind)` };
  const parsed = parseFeedbackBody(body);
  if (parsed.ok) return { ok: true, input: parsed.items[0]! };
  const reasons = parsed.issues.map((issue) => {
    const path = issue.path.replace(/\[\d+\]$/, '');
    const field = fieldOfPath[path];
    const message = path === 'received_at' ? 'must be a date like 2024-05-01, 2024-05-01 09:30 (UTC) or 2024-05-01T09:30:00+02:00' : issue.message;
    return `${field ? named(mapping, field) : issue.path} ${message}`;
  });
  return { ok: false, reason: reasons.join('; ') };
}

/** `score (column "NPS")`, or the field alone when no column feeds it. */
function named(mapping: ColumnMapping, field: ImportField): string {
  const column = mapping.columns.find((c) => c.field === field);
  return column ? `${field} (column "${column.header}")` : field;
}
