// GET /feedback/:id body: the item, its customer and its timeline, in the API's snake_case.
import type { Customer, ItemView, Person } from '../core/feedback/item.ts';
import type { FeedbackEvent } from '../core/ports.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const person = (p: Person | null) => (p ? { id: p.id, display_name: p.displayName, email: p.email } : null);

const customer = (c: Customer | null) =>
  c
    ? {
        id: c.id,
        external_id: c.externalId,
        email: c.email,
        name: c.name,
        company: c.company,
        segment: c.segment,
        tier: c.tier,
        attributes: c.attributes,
      }
    : null;

export function itemResponse(view: ItemView, timeline: FeedbackEvent[]) {
  const r = view.resolution;
  return {
    id: view.id,
    source: view.source,
    external_id: view.externalId,
    kind: view.kind,
    score: view.score,
    comment: view.comment,
    touchpoint: view.touchpoint,
    tags: view.tags,
    route: view.route,
    status: view.status,
    received_at: iso(view.receivedAt),
    created_at: iso(view.createdAt),
    due_at: iso(view.dueAt),
    snoozed_until: iso(view.snoozedUntil),
    claimed_by: person(view.claimedBy),
    claimed_at: iso(view.claimedAt),
    resolved_by: person(view.resolvedBy),
    resolved_at: iso(view.resolvedAt),
    resolution: r
      ? {
          summary: r.summary,
          root_cause: r.rootCause,
          prevention_action: r.preventionAction,
          prevention_owner_id: r.preventionOwnerId,
          prevention_due_on: r.preventionDueOn,
          customer_contacted: r.customerContacted,
        }
      : null,
    customer: customer(view.customer),
    metadata: view.metadata,
    timeline: timeline.map((e) => ({
      type: e.type,
      at: e.at.toISOString(),
      platform: e.platform,
      actor_id: e.actorId,
      data: e.data,
    })),
  };
}
