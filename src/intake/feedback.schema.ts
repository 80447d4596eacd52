// The generic intake body: one item, or an array of 1..500. JSON is snake_case; the parsed value
// is the core's IntakeInput. Every issue names its field (`score`, `items[3].customer.email`).
import { z } from 'zod';
import type { IntakeInput } from '../core/feedback/intake.service.ts';
import { MAX_BATCH, scoreRanges, scoredKinds } from '../core/feedback/intake.service.ts';
import { feedbackKinds } from '../core/feedback/item.ts';

export type Issue = { path: string; message: string };

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

/** Ids may arrive as numbers from survey tools; store them as text. */
const identifier = z.preprocess(
  (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v),
  z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
);

const record = z.record(z.string(), z.unknown());

const customerSchema = z
  .strictObject({
    external_id: identifier.nullish(),
    email: z.email('must be an email address').max(320).nullish(),
    name: text(200),
    company: text(200),
    segment: text(100),
    tier: text(100),
    attributes: record.optional(),
  })
  .refine((c) => Boolean(c.external_id || c.email), { message: 'needs external_id or email to identify the customer' });

export const feedbackItemSchema = z
  .strictObject({
    source: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    external_id: identifier,
    kind: z.enum(feedbackKinds, { error: `must be one of ${feedbackKinds.join(', ')}` }),
    score: z.number().int('must be a whole number').nullish(),
    comment: text(10_000),
    touchpoint: text(200),
    tags: z.array(z.string().trim().min(1, 'must not be empty').max(100)).max(50).default([]),
    received_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z' }).optional(),
    customer: customerSchema.nullish(),
    metadata: record.default({}),
  })
  .superRefine((item, ctx) => {
    const range = scoreRanges[item.kind];
    const score = item.score ?? null;
    if (score === null && scoredKinds.includes(item.kind)) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: `is required for ${item.kind} (${range!.min}–${range!.max})` });
    } else if (score !== null && !range) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: `is not allowed for kind ${item.kind}` });
    } else if (score !== null && range && (score < range.min || score > range.max)) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: `must be from ${range.min} to ${range.max} for ${item.kind}` });
    }
    if ((item.kind === 'comment' || item.kind === 'conversation_note') && !item.comment) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: `is required for ${item.kind}` });
    }
  });

export type FeedbackItemBody = z.input<typeof feedbackItemSchema>;

function toIntakeInput(item: z.output<typeof feedbackItemSchema>): IntakeInput {
  const c = item.customer;
  return {
    source: item.source,
    externalId: item.external_id,
    kind: item.kind,
    score: item.score ?? null,
    comment: item.comment,
    touchpoint: item.touchpoint,
    tags: item.tags,
    receivedAt: item.received_at ? new Date(item.received_at) : null,
    customer: c
      ? {
          externalId: c.external_id ?? null,
          email: c.email ?? null,
          name: c.name,
          company: c.company,
          segment: c.segment,
          tier: c.tier,
          attributes: c.attributes ?? {},
        }
      : null,
    metadata: item.metadata,
  };
}

/** `["customer", "email"]` → `customer.email`; `["tags", 2]` → `tags[2]`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || 'body';
}

/** Friendlier defaults than zod's "Invalid input: expected string, received undefined". */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type') {
    if (iss.input === undefined) return 'is required';
    if (iss.expected === 'int') return 'must be a whole number';
    return `must be ${iss.expected === 'object' || iss.expected === 'array' ? 'an' : 'a'} ${iss.expected}`;
  }
  return undefined;
};

function issuesOf(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.flatMap((iss) =>
    iss.code === 'unrecognized_keys'
      ? iss.keys.map((key) => ({ path: formatPath(prefix, [...iss.path, key]), message: 'is not a known field' }))
      : [{ path: formatPath(prefix, iss.path), message: iss.message }],
  );
}

const MAX_ISSUES = 100;

export type ParsedBody = { ok: true; batch: boolean; items: IntakeInput[] } | { ok: false; error: string; issues: Issue[] };

/** Validates a whole body. In a batch one bad item rejects all, so nothing is half-accepted. */
export function parseFeedbackBody(body: unknown): ParsedBody {
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > MAX_BATCH) {
      return {
        ok: false,
        error: `A batch holds 1 to ${MAX_BATCH} items; this one has ${body.length}`,
        issues: [{ path: 'items', message: `must hold 1 to ${MAX_BATCH} items` }],
      };
    }
    const items: IntakeInput[] = [];
    const issues: Issue[] = [];
    body.forEach((raw, i) => {
      const r = feedbackItemSchema.safeParse(raw, { error: errorMap });
      if (r.success) items.push(toIntakeInput(r.data));
      else issues.push(...issuesOf(r.error, `items[${i}]`));
    });
    if (issues.length) return { ok: false, error: invalidMessage(issues, true), issues: issues.slice(0, MAX_ISSUES) };
    return { ok: true, batch: true, items };
  }
  if (body === null || typeof body !== 'object') {
    const issues = [{ path: 'body', message: `must be a JSON object or an array of 1 to ${MAX_BATCH} objects` }];
    return { ok: false, error: 'Request body must be a feedback object or an array of them', issues };
  }
  const r = feedbackItemSchema.safeParse(body, { error: errorMap });
  if (!r.success) {
    const issues = issuesOf(r.error, '');
    return { ok: false, error: invalidMessage(issues, false), issues: issues.slice(0, MAX_ISSUES) };
  }
  return { ok: true, batch: false, items: [toIntakeInput(r.data)] };
}

function invalidMessage(issues: Issue[], batch: boolean): string {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `Invalid ${batch ? 'batch, nothing was accepted' : 'feedback'}: ${first.path} ${first.message}${more}`;
}
