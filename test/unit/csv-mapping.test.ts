// The CSV importer's pure parts: column auto-detection and --map, one row → intake input or a
// reason naming field and column, dates, unsafe characters, and the content id of id-less rows.
import { describe, expect, it } from 'vitest';
import { describeMapping, detectMapping, MappingError, parseMapOptions } from '../../src/intake/csv/column-mapping.ts';
import { cleanText, contentId, normalizeDate, toIntakeInput } from '../../src/intake/csv/csv-row.ts';

const fields = (header: string[], ...args: Parameters<typeof detectMapping> extends [unknown, ...infer R] ? R : never) =>
  detectMapping(header, ...args).columns.map((c) => c.field);

describe('detectMapping', () => {
  it('recognises the usual header names of survey exports', () => {
    expect(
      fields(['Response ID', 'NPS Score', 'Feedback', 'E-mail', 'Full Name', 'Company', 'Segment', 'Tier', 'Type', 'Submitted At', 'Touchpoint', 'Tags', 'Browser']),
    ).toEqual(['id', 'score', 'comment', 'email', 'name', 'company', 'segment', 'tier', 'kind', 'received_at', 'touchpoint', 'tags', 'metadata']);
    expect(fields(['id', 'rating', 'text', 'email', 'date', 'kind'])).toEqual(['id', 'score', 'comment', 'email', 'received_at', 'kind']);
  });

  it('takes the survey from the score column name, else needs a kind column or --kind', () => {
    expect(detectMapping(['nps', 'comment'])).toMatchObject({ defaultKind: 'nps', kindFrom: 'header' });
    expect(detectMapping(['CSAT (1-5)', 'comment'])).toMatchObject({ defaultKind: 'csat' });
    expect(detectMapping(['rating', 'type']).defaultKind).toBeNull();
    expect(() => detectMapping(['rating', 'comment'])).toThrow(/cannot tell which survey the scores in column "rating" answer/);
    expect(detectMapping(['rating', 'comment'], new Map(), 'ces')).toMatchObject({ defaultKind: 'ces', kindFrom: 'option' });
    // No score at all: comments need no kind.
    expect(detectMapping(['feedback']).defaultKind).toBeNull();
  });

  it('gives each field its first column; later look-alikes are kept as metadata', () => {
    expect(fields(['comment', 'feedback', 'nps'])).toEqual(['comment', 'metadata', 'score']);
  });

  it('--map overrides a guess, and the guess moves out of its way', () => {
    const map = parseMapOptions(['Notes=comment', 'Comment=metadata', 'ref=id', 'junk=ignore']);
    expect(fields(['ref', 'Comment', 'Notes', 'nps', 'junk'], map)).toEqual(['id', 'metadata', 'comment', 'score', 'ignore']);
    // Columns are matched exactly, else regardless of case.
    expect(fields(['REF', 'nps'], parseMapOptions(['ref=id']))).toEqual(['id', 'score']);
  });

  it('refuses a --map it cannot follow, in one line', () => {
    expect(() => parseMapOptions(['nps=rating'])).toThrow(new MappingError('--map nps=rating: unknown field "rating"; fields are id, kind, score, comment, received_at, touchpoint, tags, customer_id, email, name, company, segment, tier, metadata, ignore'));
    expect(() => parseMapOptions(['nps'])).toThrow('--map "nps" must be column=field');
    expect(() => detectMapping(['nps'], parseMapOptions(['stars=score']))).toThrow('--map stars=score: the file has no column "stars" (columns: nps)');
    expect(() => detectMapping(['a', 'b'], parseMapOptions(['a=comment', 'b=comment']))).toThrow('columns "a" and "b" both map to comment: keep one with --map');
  });

  it('describes what it chose', () => {
    expect(describeMapping(detectMapping(['id', 'NPS', 'plan']))).toEqual([
      'Columns (change with --map column=field):',
      '  id   → id',
      '  NPS  → score',
      '  plan → metadata (kept as metadata.plan)',
      "  kind of rows without one: nps (from the score column's name)",
    ]);
  });
});

describe('toIntakeInput', () => {
  const mapping = detectMapping(['id', 'nps', 'comment', 'email', 'name', 'date', 'tags', 'plan']);
  const row = (over: Partial<Record<string, string>> = {}) => {
    const v = { id: '7', nps: '9', comment: ' Great ', email: 'ana@example.com', name: 'Ana', date: '2024-05-01 09:30', tags: 'ux; speed', plan: 'pro', ...over };
    return [v.id, v.nps, v.comment, v.email, v.name, v.date, v.tags, v.plan];
  };

  it('builds the intake input the API would', () => {
    const r = toIntakeInput(mapping, 'survey', row());
    expect(r).toEqual({
      ok: true,
      input: expect.objectContaining({
        source: 'survey',
        externalId: '7',
        kind: 'nps',
        score: 9,
        comment: 'Great',
        tags: ['ux', 'speed'],
        receivedAt: new Date('2024-05-01T09:30:00Z'),
        customer: expect.objectContaining({ email: 'ana@example.com', name: 'Ana' }),
        metadata: { plan: 'pro' },
      }),
    });
  });

  it('names the field and the column in every reason', () => {
    const reason = (over: Partial<Record<string, string>>) => {
      const r = toIntakeInput(mapping, 'survey', row(over));
      return r.ok ? null : r.reason;
    };
    expect(reason({ nps: '11' })).toBe('score (column "nps") must be from 0 to 10 for nps');
    expect(reason({ nps: '7.5' })).toBe('score (column "nps") must be a whole number');
    expect(reason({ nps: 'seven' })).toBe('score (column "nps") must be a number');
    expect(reason({ nps: '' })).toBe('score (column "nps") is required for nps (0–10)');
    expect(reason({ email: 'ana@' })).toBe('email (column "email") must be an email address');
    expect(reason({ date: 'yesterday' })).toMatch(/^received_at \(column "date"\) must be a date like 2024-05-01/);
    expect(reason({ id: 'x'.repeat(201) })).toBe('id (column "id") must be at most 200 characters');
    expect(toIntakeInput(mapping, 'survey', ['1', '2'])).toEqual({ ok: false, reason: 'row has 2 fields, the header has 8' });
  });

  it('keeps the customer details as metadata when nobody is identified', () => {
    const r = toIntakeInput(mapping, 'survey', row({ email: '' }));
    expect(r.ok && r.input.customer).toBeNull();
    expect(r.ok && r.input.metadata).toEqual({ plan: 'pro', name: 'Ana' });
  });
});

describe('normalizeDate', () => {
  it('reads dates, date-times (UTC without a zone) and offsets', () => {
    expect(normalizeDate('2024-05-01')).toBe('2024-05-01T00:00:00Z');
    expect(normalizeDate('2024-05-01 09:30')).toBe('2024-05-01T09:30:00Z');
    expect(normalizeDate('2024-05-01T09:30:15.5+0200')).toBe('2024-05-01T09:30:15.5+02:00');
    expect(normalizeDate('2024-05-01T09:30:00z')).toBe('2024-05-01T09:30:00Z');
    for (const bad of ['2024-02-30', '2024-13-01', '01/05/2024', '2024-05-01T25:00', 'soon']) expect(normalizeDate(bad)).toBeNull();
  });
});

describe('cleanText and contentId', () => {
  it('drops NUL and replaces lone surrogates, which Postgres refuses', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(cleanText('emoji 😀 stays')).toBe('emoji 😀 stays');
  });

  it('gives a row the same id whatever its position or the column order', () => {
    const a = contentId(['nps', 'comment'], ['9', 'Great']);
    expect(a).toMatch(/^row-[A-Za-z0-9_-]{22}$/);
    expect(contentId(['comment', 'nps'], ['Great', '9'])).toBe(a);
    expect(contentId(['nps', 'comment'], ['9', 'Great!'])).not.toBe(a);
  });
});
