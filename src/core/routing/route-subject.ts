// `route test {…}`: the JSON a user types to see which route an item would take. Lenient on
// purpose (no source or external id needed); field names as in the intake API.
import { z } from 'zod';
import { feedbackKinds } from '../feedback/item.ts';
import type { RouteSubject } from './match-route.ts';

const text = z.string().max(10_000).nullish();

export const routeSubjectSchema = z
  .strictObject({
    source: z.string().max(100).default('test'),
    external_id: z.unknown().optional(),
    kind: z.enum(feedbackKinds, { error: `must be one of ${feedbackKinds.join(', ')}` }).default('comment'),
    score: z.number().int().nullish(),
    comment: text,
    touchpoint: text,
    tags: z.array(z.string().max(100)).max(50).default([]),
    customer: z
      .object({ segment: text, tier: text, attributes: z.record(z.string(), z.unknown()).optional() })
      .loose()
      .nullish(),
    metadata: z.unknown().optional(),
    received_at: z.unknown().optional(),
  })
  .transform(
    (b): RouteSubject => ({
      source: b.source,
      kind: b.kind,
      score: b.score ?? null,
      comment: b.comment ?? null,
      touchpoint: b.touchpoint ?? null,
      tags: b.tags,
      customer: b.customer ? { segment: b.customer.segment ?? null, tier: b.customer.tier ?? null, attributes: b.customer.attributes ?? {} } : null,
    }),
  );

export type ParsedSubject = { ok: true; subject: RouteSubject } | { ok: false; error: string };

export function parseRouteSubject(json: string): ParsedSubject {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, error: 'That is not valid JSON. Example: route test {"kind":"nps","score":3,"comment":"refund please"}' };
  }
  const parsed = routeSubjectSchema.safeParse(raw);
  if (parsed.success) return { ok: true, subject: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, error: `${issue.path.join('.') || 'the item'} ${issue.message}` };
}
