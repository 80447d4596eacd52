// Zendesk satisfaction rating → CSAT. A Zendesk trigger ("Satisfaction is Good/Bad [with
// comment]") notifies the webhook with the JSON body of the README template; Zendesk renders its
// placeholders as text, so every value may arrive as a string. Mapping (documented in the README):
// good → 5, bad → 1, the scale's two ends, so "share of 4s and 5s" counts the good ones. A rating
// still "offered" or "unoffered" is not feedback yet (ignored). The external id is the ticket id
// with the rating: the same rating redelivered is a duplicate, a changed rating is a new item.
import { clip, compact, customerOf, ignored, LIMITS, type MapRequest, type MapResult, obj, str, unmappable } from './map-kit.ts';

export const ZENDESK_SCORES = { good: 5, bad: 1 } as const;

export function mapZendesk({ body }: MapRequest): MapResult {
  const payload = obj(body);
  const eventType = str(payload?.type);
  // An event-subscription webhook (zen:event-type:ticket.created, ...) pointed here by mistake.
  if (eventType?.startsWith('zen:event-type:')) return ignored(`Zendesk event ${eventType} is not a satisfaction rating`);
  const ticket = obj(payload?.ticket);
  if (!ticket) return unmappable('ticket object (use the JSON body template from the README in the Zendesk trigger)');
  const satisfaction = obj(ticket.satisfaction) ?? {};
  const ticketId = str(ticket.id);
  const ratingText = (str(satisfaction.rating) ?? str(satisfaction.score) ?? '').toLowerCase();
  if (/^(offered|unoffered)\b/.test(ratingText)) return ignored(`the ticket's satisfaction rating is "${ratingText}", not good or bad yet`);
  // "Good, I'm satisfied" / "Bad, I'm unsatisfied" (the placeholder's wording) or "good" / "bad".
  const rating = /^good\b/.test(ratingText) ? 'good' : /^bad\b/.test(ratingText) ? 'bad' : null;
  const missing: string[] = [];
  if (!ticketId) missing.push('ticket.id');
  if (!rating) missing.push(`ticket.satisfaction.rating "good" or "bad" (got ${ratingText ? `"${ratingText}"` : 'nothing'})`);
  if (missing.length || !ticketId || !rating) return unmappable(...missing);

  const requester = obj(ticket.requester) ?? {};
  const brand = str(ticket.brand);
  const group = str(ticket.group);
  return {
    status: 'mapped',
    input: {
      source: 'zendesk',
      externalId: clip(`${ticketId}:${rating}`, LIMITS.id)!,
      kind: 'csat',
      score: ZENDESK_SCORES[rating],
      comment: clip(str(satisfaction.comment), LIMITS.comment),
      touchpoint: clip([brand, group].filter(Boolean).join(' / ') || 'Zendesk support', LIMITS.touchpoint),
      tags: [],
      receivedAt: null,
      customer: customerOf({
        externalId: str(requester.external_id) ?? str(requester.id),
        email: str(requester.email),
        name: str(requester.name),
        company: str(requester.organization),
        attributes: compact({ zendesk_user_id: str(requester.id) ?? undefined }),
      }),
      metadata: {
        zendesk: compact({ ticket_id: ticketId, rating, title: ticket.title, url: ticket.url, brand: brand ?? undefined, group: group ?? undefined }),
      },
    },
  };
}
