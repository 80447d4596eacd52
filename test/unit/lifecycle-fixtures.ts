// Builders for items and people in pure tests (lifecycle, permissions, cards).
import type { Customer, ItemView, Person } from '../../src/core/feedback/item.ts';

export const WS = '00000000-0000-4000-8000-000000000001';
export const ITEM_ID = '11111111-1111-4111-8111-111111111111';
export const T0 = new Date('2025-03-05T10:00:00Z'); // a Wednesday

export function person(over: Partial<Person> = {}): Person {
  return {
    id: '22222222-2222-4222-8222-222222222222',
    workspaceId: WS,
    email: 'ana@example.com',
    displayName: 'Ana',
    role: 'member',
    slackUserId: 'U1',
    teamsAadId: null,
    ...over,
  };
}

export const ana = person();
export const bob = person({ id: '33333333-3333-4333-8333-333333333333', displayName: 'Bob', email: 'bob@example.com' });
export const chloe = person({
  id: '44444444-4444-4444-8444-444444444444',
  displayName: 'Chloe',
  email: 'chloe@example.com',
  role: 'champion',
});

export function customer(over: Partial<Customer> = {}): Customer {
  return {
    id: '55555555-5555-4555-8555-555555555555',
    workspaceId: WS,
    externalId: 'c-1',
    email: 'jane@acme.test',
    name: 'Jane Doe',
    company: 'Acme',
    segment: 'Enterprise',
    tier: 'Gold',
    attributes: {},
    ...over,
  };
}

export function view(over: Partial<ItemView> = {}): ItemView {
  return {
    id: ITEM_ID,
    workspaceId: WS,
    source: 'typeform',
    externalId: 'r-1',
    kind: 'nps',
    score: 3,
    comment: 'Export keeps failing.',
    touchpoint: 'onboarding',
    tags: ['export'],
    route: null,
    receivedAt: T0,
    createdAt: T0,
    dueAt: new Date(T0.getTime() + 24 * 3_600_000),
    remindAt: new Date(T0.getTime() + 24 * 3_600_000),
    escalateAt: new Date(T0.getTime() + 24 * 3_600_000),
    priority: 'normal',
    slaCycle: 0,
    status: 'open',
    claimedById: null,
    claimedAt: null,
    snoozedUntil: null,
    resolvedById: null,
    resolvedAt: null,
    resolution: null,
    customerId: '55555555-5555-4555-8555-555555555555',
    metadata: {},
    customer: customer(),
    claimedBy: null,
    resolvedBy: null,
    ...over,
  };
}

export const claimedBy = (p: Person, over: Partial<ItemView> = {}) =>
  view({ status: 'claimed', claimedById: p.id, claimedBy: p, claimedAt: T0, ...over });

export const resolvedBy = (p: Person, over: Partial<ItemView> = {}) =>
  view({
    status: 'resolved',
    claimedById: p.id,
    claimedBy: p,
    resolvedById: p.id,
    resolvedBy: p,
    resolvedAt: T0,
    resolution: {
      summary: 'Fixed the export.',
      rootCause: 'Product bug',
      preventionAction: 'Add an export smoke test',
      preventionOwnerId: null,
      preventionDueOn: '2025-03-20',
      customerContacted: true,
    },
    ...over,
  });
