// Which CSV column feeds which feedback field: guessed from the header names, overridden with
// `--map column=field`. Pure. Columns that feed no field are kept in the item's metadata, so an
// import loses nothing the file said.
import { type FeedbackKind, feedbackKinds } from '../../core/feedback/item.ts';

export const importFields = [
  'id',
  'kind',
  'score',
  'comment',
  'received_at',
  'touchpoint',
  'tags',
  'customer_id',
  'email',
  'name',
  'company',
  'segment',
  'tier',
  'metadata',
  'ignore',
] as const;
export type ImportField = (typeof importFields)[number];

/** One field per column, in file order; `kindFromHeader`: the score column's name says the survey. */
export type ColumnMapping = {
  columns: { header: string; field: ImportField }[];
  /** Kind of rows whose kind column is absent or empty (null: such rows need no score). */
  defaultKind: FeedbackKind | null;
  kindFrom: 'option' | 'header' | null;
};

export class MappingError extends Error {}

/** Header names (normalized: lower case, words joined by `_`) each field is recognised by. */
const synonyms: Record<Exclude<ImportField, 'metadata' | 'ignore'>, string[]> = {
  id: ['id', 'response_id', 'responseid', 'external_id', 'feedback_id', 'answer_id', 'submission_id', 'survey_response_id', 'ticket_id'],
  score: ['score', 'rating', 'nps', 'nps_score', 'csat', 'csat_score', 'ces', 'ces_score', 'stars', 'likelihood_to_recommend'],
  comment: ['comment', 'comments', 'feedback', 'text', 'verbatim', 'message', 'body', 'response', 'reason', 'answer', 'review'],
  email: ['email', 'e_mail', 'email_address', 'customer_email', 'user_email', 'respondent_email', 'contact_email'],
  name: ['name', 'customer_name', 'full_name', 'contact_name', 'respondent_name'],
  company: ['company', 'company_name', 'account', 'account_name', 'organization', 'organisation'],
  segment: ['segment', 'customer_segment'],
  tier: ['tier', 'customer_tier'],
  customer_id: ['customer_id', 'customer_external_id', 'user_id', 'contact_id', 'account_id'],
  kind: ['kind', 'type', 'survey_type', 'feedback_type'],
  received_at: ['date', 'received_at', 'submitted_at', 'created_at', 'timestamp', 'time', 'response_date', 'completed_at', 'answered_at', 'submitted'],
  touchpoint: ['touchpoint', 'touch_point', 'channel'],
  tags: ['tags', 'tag', 'labels', 'categories'],
};

export const normalizeHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** The survey a score column's name announces ("NPS", "csat_score", "Customer Effort"). */
function kindOfHeader(header: string): FeedbackKind | null {
  const h = normalizeHeader(header);
  if (/(^|_)nps(_|$)|recommend/.test(h)) return 'nps';
  if (/(^|_)csat(_|$)|satisf/.test(h)) return 'csat';
  if (/(^|_)ces(_|$)|effort/.test(h)) return 'ces';
  return null;
}

function guess(header: string): ImportField | null {
  const h = normalizeHeader(header);
  for (const [field, names] of Object.entries(synonyms)) if (names.includes(h)) return field as ImportField;
  // "NPS (0-10)", "csat_rating": a survey's name at the start of a column is its score.
  if (/^(nps|csat|ces)(_|$)/.test(h)) return 'score';
  return null;
}

/** Parses `--map column=field` values; the column is matched against the header later. */
export function parseMapOptions(values: readonly string[]): Map<string, ImportField> {
  const out = new Map<string, ImportField>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const column = at > 0 ? value.slice(0, at).trim() : '';
    const field = at > 0 ? value.slice(at + 1).trim() : '';
    if (!column || !field) throw new MappingError(`--map "${value}" must be column=field`);
    if (!(importFields as readonly string[]).includes(field)) {
      throw new MappingError(`--map ${column}=${field}: unknown field "${field}"; fields are ${importFields.join(', ')}`);
    }
    out.set(column, field as ImportField);
  }
  return out;
}

export function parseKindOption(value: string | undefined): FeedbackKind | null {
  if (value === undefined) return null;
  const kind = value.trim().toLowerCase();
  if (!(feedbackKinds as readonly string[]).includes(kind)) throw new MappingError(`--kind must be one of ${feedbackKinds.join(', ')}`);
  return kind as FeedbackKind;
}

/** The mapping for a header: overrides first, then the first column recognised for each field. */
export function detectMapping(header: readonly string[], overrides: Map<string, ImportField> = new Map(), kind: FeedbackKind | null = null): ColumnMapping {
  const fieldOf: (ImportField | null)[] = header.map(() => null);
  for (const [column, field] of overrides) {
    let i = header.indexOf(column);
    if (i < 0) i = header.findIndex((h) => h.trim().toLowerCase() === column.toLowerCase());
    if (i < 0) throw new MappingError(`--map ${column}=${field}: the file has no column "${column}" (columns: ${header.join(', ')})`);
    fieldOf[i] = field;
  }
  const taken = new Set(fieldOf.filter((f): f is ImportField => f !== null && f !== 'metadata' && f !== 'ignore'));
  header.forEach((h, i) => {
    if (fieldOf[i] !== null) return;
    const field = guess(h);
    if (field && !taken.has(field)) {
      fieldOf[i] = field;
      taken.add(field);
    } else fieldOf[i] = 'metadata';
  });
  const columns = header.map((h, i) => ({ header: h, field: fieldOf[i]! }));
  for (const field of importFields) {
    if (field === 'metadata' || field === 'ignore') continue;
    const same = columns.filter((c) => c.field === field);
    if (same.length > 1) throw new MappingError(`columns ${same.map((c) => `"${c.header}"`).join(' and ')} both map to ${field}: keep one with --map`);
  }
  const scoreColumn = columns.find((c) => c.field === 'score');
  const fromHeader = scoreColumn ? kindOfHeader(scoreColumn.header) : null;
  const hasKindColumn = columns.some((c) => c.field === 'kind');
  if (scoreColumn && !kind && !fromHeader && !hasKindColumn) {
    throw new MappingError(
      `cannot tell which survey the scores in column "${scoreColumn.header}" answer: add a kind column or pass --kind nps|csat|ces|review`,
    );
  }
  return { columns, defaultKind: kind ?? fromHeader, kindFrom: kind ? 'option' : fromHeader ? 'header' : null };
}

/** The lines printed before an import: each column and what it feeds. */
export function describeMapping(mapping: ColumnMapping): string[] {
  const width = Math.max(...mapping.columns.map((c) => c.header.length));
  const lines = mapping.columns.map(({ header, field }) => {
    const note = field === 'metadata' ? ` (kept as metadata.${header})` : field === 'ignore' ? ' (not imported)' : '';
    return `  ${header.padEnd(width)} → ${field}${note}`;
  });
  if (mapping.defaultKind) {
    lines.push(`  kind of rows without one: ${mapping.defaultKind}${mapping.kindFrom === 'header' ? ' (from the score column\'s name)' : ' (--kind)'}`);
  }
  return ['Columns (change with --map column=field):', ...lines];
}
