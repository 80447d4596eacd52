// The close-the-loop event: what the LOOP_WEBHOOK_URL receiver (a CRM, a data warehouse) is told
// when an item is resolved or reopened. Built inside the action's transaction and stored as the
// exact body to send, so a later edit of the item or customer never changes what was announced,
// and every retry sends the same bytes. snake_case: it is a public JSON contract (see README).
import type { ItemView, Person, Resolution } from './item.ts';

export const loopEventTypes = ['item.resolved', 'item.reopened'] as const;
export type LoopEventType = (typeof loopEventTypes)[number];

type PersonJson = { name: string; email: string | null } | null;

export type LoopEvent = {
  /** Unique per event and the same on every retry: receivers deduplicate on it. */
  id: string;
  type: LoopEventType;
  occurred_at: string;
  workspace_id: string;
  item: {
    id: string;
    source: string;
    external_id: string;
    kind: string;
    score: number | null;
    comment: string | null;
    touchpoint: string | null;
    tags: string[];
    route: string | null;
    priority: string;
    status: string;
    received_at: string;
  };
  customer: {
    external_id: string | null;
    email: string | null;
    name: string | null;
    company: string | null;
    segment: string | null;
    tier: string | null;
  } | null;
  /** item.resolved: the resolution just recorded. item.reopened: the one being withdrawn. */
  resolution: {
    summary: string;
    root_cause: string;
    prevention: { action: string | null; owner: PersonJson; due: string | null };
    customer_contacted: boolean;
    resolved_by: PersonJson;
    resolved_at: string | null;
  } | null;
  /** item.reopened only. */
  reopen?: { reopened_by: PersonJson; note: string | null; due_at: string };
};

export type LoopEventInput = {
  id: string;
  type: LoopEventType;
  at: Date;
  /** The item as it is after the change (status, customer). */
  item: ItemView;
  /** The resolution announced: the new one, or (reopen) the previous one. */
  resolution: Resolution | null;
  resolvedBy: Pick<Person, 'displayName' | 'email'> | null;
  resolvedAt: Date | null;
  preventionOwner: Pick<Person, 'displayName' | 'email'> | null;
  reopen?: { by: Pick<Person, 'displayName' | 'email'>; note: string | null; dueAt: Date };
};

const person = (p: Pick<Person, 'displayName' | 'email'> | null): PersonJson => (p ? { name: p.displayName, email: p.email } : null);

export function buildLoopEvent(input: LoopEventInput): LoopEvent {
  const { item, resolution: r } = input;
  const c = item.customer;
  return {
    id: input.id,
    type: input.type,
    occurred_at: input.at.toISOString(),
    workspace_id: item.workspaceId,
    item: {
      id: item.id,
      source: item.source,
      external_id: item.externalId,
      kind: item.kind,
      score: item.score,
      comment: item.comment,
      touchpoint: item.touchpoint,
      tags: item.tags,
      route: item.route,
      priority: item.priority,
      status: item.status,
      received_at: item.receivedAt.toISOString(),
    },
    customer: c
      ? { external_id: c.externalId, email: c.email, name: c.name, company: c.company, segment: c.segment, tier: c.tier }
      : null,
    resolution: r
      ? {
          summary: r.summary,
          root_cause: r.rootCause,
          prevention: { action: r.preventionAction, owner: person(input.preventionOwner), due: r.preventionDueOn },
          customer_contacted: r.customerContacted,
          resolved_by: person(input.resolvedBy),
          resolved_at: input.resolvedAt?.toISOString() ?? null,
        }
      : null,
    ...(input.reopen
      ? { reopen: { reopened_by: person(input.reopen.by), note: input.reopen.note, due_at: input.reopen.dueAt.toISOString() } }
      : {}),
  };
}

/** The outbox job that posts `event`: its body serialized once, here. */
export function loopWebhookJob(event: LoopEvent) {
  return {
    type: 'loop.webhook' as const,
    itemId: event.item.id,
    eventId: event.id,
    eventType: event.type,
    body: JSON.stringify(event),
  };
}

/** The jobs an action enqueues for the webhook: none when it is not configured. */
export function loopWebhookJobs(loop: { eventId: () => string } | undefined, input: Omit<LoopEventInput, 'id'>) {
  return loop ? [loopWebhookJob(buildLoopEvent({ id: loop.eventId(), ...input }))] : [];
}
