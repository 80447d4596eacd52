// The real item card (core/messages/feedback-card.ts) in every state, through both renderers.
import { describe, expect, it } from 'vitest';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import { toAdaptiveCard, withShowCardForm } from '../../src/adapters/teams/render/adaptive-card.ts';
import { cardBytes } from '../../src/adapters/teams/render/limits.ts';
import type { ItemView } from '../../src/core/feedback/item.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { buildFeedbackCard } from '../../src/core/messages/feedback-card.ts';
import { checkBlockKit, schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';

const now = new Date('2025-03-03T09:00:00Z');
const ana = {
  id: 'b1c2d3e4-0000-4000-8000-000000000001',
  workspaceId: 'w',
  email: 'ana@example.com',
  displayName: 'Ana *the* <@U1> Champion',
  role: 'champion' as const,
  slackUserId: 'U1',
  teamsAadId: null,
};
const open: ItemView = {
  id: '4f8e2a4c-9b7d-4c1e-8f3a-2b6d9e1c7a50',
  workspaceId: 'w',
  source: 'delighted',
  externalId: 'r-1',
  kind: 'nps',
  score: 3,
  comment: `Export is broken <!channel> **again** [see](http://x)\n- 1. ${'long '.repeat(25_000)}`,
  touchpoint: 'onboarding_flow',
  tags: ['export', 'bug'],
  route: null,
  receivedAt: new Date('2025-03-02T10:00:00Z'),
  createdAt: new Date('2025-03-02T10:00:00Z'),
  dueAt: new Date('2025-03-03T10:00:00Z'),
  remindAt: new Date('2025-03-03T10:00:00Z'),
  escalateAt: new Date('2025-03-03T10:00:00Z'),
  priority: 'normal',
  slaCycle: 0,
  status: 'open',
  claimedById: null,
  claimedAt: null,
  snoozedUntil: null,
  resolvedById: null,
  resolvedAt: null,
  resolution: null,
  customerId: 'c1',
  metadata: {},
  customer: {
    id: 'c1',
    workspaceId: 'w',
    externalId: null,
    email: 'jane@acme.example',
    name: 'Jane <@U2> Doe',
    company: 'Acme & Co',
    segment: 'Enterprise',
    tier: null,
    attributes: {},
  },
  claimedBy: null,
  resolvedBy: null,
};
const itemViews: Record<string, ItemView> = {
  open,
  claimed: { ...open, status: 'claimed', claimedById: ana.id, claimedAt: now, claimedBy: ana },
  resolved: {
    ...open,
    status: 'resolved',
    resolvedById: ana.id,
    resolvedAt: now,
    resolvedBy: ana,
    resolution: {
      summary: 'Fixed the *export* <!here>',
      rootCause: 'bug',
      preventionAction: 'Add a test',
      preventionOwnerId: ana.id,
      preventionDueOn: '2025-03-10',
      customerContacted: true,
    },
  },
};

const dir = schemasDir();

describe('feedback cards render to valid Block Kit', () => {
  it.each(Object.entries(itemViews))('%s item', (_state, view) => {
    const out = toBlockKit(buildFeedbackCard(view, now));
    expect(checkBlockKit(out)).toEqual([]);
    expect(JSON.stringify(out)).not.toMatch(/<[!@]/);
  });
});

describe.skipIf(!dir)(`feedback cards validate (${dir ? 'adaptive-card.1.5.json' : schemasSkipMessage})`, () => {
  it.each(Object.entries(itemViews))('%s item', (_state, view) => {
    const card = toAdaptiveCard(buildFeedbackCard(view, now), { refreshUserIds: ['29:ana'] });
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(80_000);
    expect(card.refresh?.action.data).toMatchObject({ item: view.id });
    const withForm = withShowCardForm(card, {
      title: 'Resolve',
      replaces: ActionIds.resolve,
      inputs: [{ type: 'text', id: 'summary', label: 'Summary', required: true }],
      submit: { verb: ActionIds.resolveSubmit, data: { v: 1, item: view.id } },
    });
    expect(validateAdaptiveCard(withForm)).toEqual([]);
  });
});
