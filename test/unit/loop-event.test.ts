// The close-the-loop payload: a snake_case snapshot of item, customer and resolution.
import { describe, expect, it } from 'vitest';
import { buildLoopEvent, loopWebhookJob, loopWebhookJobs } from '../../src/core/feedback/loop-event.ts';
import type { Resolution } from '../../src/core/feedback/item.ts';
import { ana, bob, ITEM_ID, T0, view, WS } from './lifecycle-fixtures.ts';

const resolution: Resolution = {
  summary: 'Fixed the export and called Jane.',
  rootCause: 'product bug',
  preventionAction: 'Add an export smoke test',
  preventionOwnerId: bob.id,
  preventionDueOn: '2025-03-20',
  customerContacted: true,
};
const AT = new Date('2025-03-05T12:00:00Z');
const resolved = view({ status: 'resolved', resolution, resolvedById: ana.id, resolvedAt: AT, resolvedBy: ana });

describe('buildLoopEvent', () => {
  it('item.resolved: the item, its customer and the resolution with prevention owner and due date', () => {
    const event = buildLoopEvent({
      id: 'evt-1',
      type: 'item.resolved',
      at: AT,
      item: resolved,
      resolution,
      resolvedBy: ana,
      resolvedAt: AT,
      preventionOwner: bob,
    });
    expect(event).toEqual({
      id: 'evt-1',
      type: 'item.resolved',
      occurred_at: '2025-03-05T12:00:00.000Z',
      workspace_id: WS,
      item: {
        id: ITEM_ID,
        source: 'typeform',
        external_id: 'r-1',
        kind: 'nps',
        score: 3,
        comment: 'Export keeps failing.',
        touchpoint: 'onboarding',
        tags: ['export'],
        route: null,
        priority: 'normal',
        status: 'resolved',
        received_at: T0.toISOString(),
      },
      customer: { external_id: 'c-1', email: 'jane@acme.test', name: 'Jane Doe', company: 'Acme', segment: 'Enterprise', tier: 'Gold' },
      resolution: {
        summary: 'Fixed the export and called Jane.',
        root_cause: 'product bug',
        prevention: { action: 'Add an export smoke test', owner: { name: 'Bob', email: 'bob@example.com' }, due: '2025-03-20' },
        customer_contacted: true,
        resolved_by: { name: 'Ana', email: 'ana@example.com' },
        resolved_at: '2025-03-05T12:00:00.000Z',
      },
    });
    expect('reopen' in event).toBe(false);
  });

  it('item.reopened: the withdrawn resolution, who reopened it, why, and the new due time', () => {
    const later = new Date('2025-03-06T09:00:00Z');
    const event = buildLoopEvent({
      id: 'evt-2',
      type: 'item.reopened',
      at: later,
      item: view({ status: 'open' }),
      resolution,
      resolvedBy: ana,
      resolvedAt: AT,
      preventionOwner: null,
      reopen: { by: bob, note: 'Customer says it still fails', dueAt: new Date('2025-03-07T09:00:00Z') },
    });
    expect(event.type).toBe('item.reopened');
    expect(event.item.status).toBe('open');
    expect(event.resolution).toMatchObject({ summary: resolution.summary, prevention: { owner: null }, resolved_at: AT.toISOString() });
    expect(event.reopen).toEqual({
      reopened_by: { name: 'Bob', email: 'bob@example.com' },
      note: 'Customer says it still fails',
      due_at: '2025-03-07T09:00:00.000Z',
    });
  });

  it('an item without customer or prevention action: nulls, never missing keys', () => {
    const bare: Resolution = { ...resolution, preventionAction: null, preventionOwnerId: null, preventionDueOn: null, customerContacted: false };
    const event = buildLoopEvent({
      id: 'evt-3',
      type: 'item.resolved',
      at: AT,
      item: view({ customer: null, customerId: null }),
      resolution: bare,
      resolvedBy: ana,
      resolvedAt: AT,
      preventionOwner: null,
    });
    expect(event.customer).toBeNull();
    expect(event.resolution?.prevention).toEqual({ action: null, owner: null, due: null });
    expect(event.resolution?.customer_contacted).toBe(false);
  });
});

describe('loopWebhookJob', () => {
  const input = { type: 'item.resolved' as const, at: AT, item: resolved, resolution, resolvedBy: ana, resolvedAt: AT, preventionOwner: bob };

  it('stores the body serialized once: later changes to the objects do not alter it', () => {
    const event = buildLoopEvent({ id: 'evt-1', ...input });
    const job = loopWebhookJob(event);
    expect(job).toMatchObject({ type: 'loop.webhook', itemId: ITEM_ID, eventId: 'evt-1', eventType: 'item.resolved' });
    event.customer!.name = 'Someone else';
    expect(JSON.parse(job.body).customer.name).toBe('Jane Doe');
    // Documented key order (top level).
    expect(Object.keys(JSON.parse(job.body))).toEqual(['id', 'type', 'occurred_at', 'workspace_id', 'item', 'customer', 'resolution']);
  });

  it('makes no job when the webhook is not configured, one with a fresh id when it is', () => {
    expect(loopWebhookJobs(undefined, input)).toEqual([]);
    let n = 0;
    const jobs = loopWebhookJobs({ eventId: () => `evt-${++n}` }, input);
    expect(jobs.map((j) => j.eventId)).toEqual(['evt-1']);
  });
});
