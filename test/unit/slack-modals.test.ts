// The Slack forms: built within Block Kit limits with customer text escaped, and their
// submissions validated (pure) before the ack so errors show next to the fields.
import { describe, expect, it } from 'vitest';
import { logModal, parseLogSubmission } from '../../src/adapters/slack/modals/log.modal.ts';
import { decodeMetadata, encodeMetadata } from '../../src/adapters/slack/modals/modal-kit.ts';
import { parseReassignSubmission, reassignModal } from '../../src/adapters/slack/modals/reassign.modal.ts';
import { parseResolveSubmission, resolveModal } from '../../src/adapters/slack/modals/resolve.modal.ts';
import type { ItemView } from '../../src/core/feedback/item.ts';
import { defaultRootCauses } from '../../src/core/feedback/root-causes.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';

const at = new Date('2031-01-06T09:00:00Z');
const view: ItemView = {
  id: '11111111-2222-4333-8444-555555555555',
  workspaceId: 'w',
  source: 'survey',
  externalId: 'x',
  kind: 'nps',
  score: 2,
  comment: `Ping <!channel> and <@U123> *now* ${'long '.repeat(200)}`,
  touchpoint: null,
  tags: [],
  route: null,
  receivedAt: at,
  createdAt: at,
  dueAt: at,
  remindAt: at,
  escalateAt: at,
  priority: 'normal',
  slaCycle: 0,
  status: 'claimed',
  claimedById: 'p',
  claimedAt: at,
  snoozedUntil: null,
  resolvedById: null,
  resolvedAt: null,
  resolution: null,
  customerId: null,
  metadata: {},
  customer: { id: 'c', workspaceId: 'w', externalId: null, email: null, name: '<@U999> Evil', company: null, segment: null, tier: null, attributes: {} },
  claimedBy: { id: 'p', workspaceId: 'w', email: null, displayName: 'Ana', role: 'member', slackUserId: 'U1', teamsAadId: null },
  resolvedBy: null,
};

const text = (v: string) => ({ value: { type: 'plain_text_input', value: v } });
const select = (v: string) => ({ value: { type: 'static_select', selected_option: { value: v } } });

describe('Resolve form', () => {
  const modal = resolveModal(view, [...defaultRootCauses, 'x'.repeat(200)], { channel: 'C1', ts: '1.2' });

  it('escapes the customer, stays within limits, and remembers where it came from', () => {
    const raw = JSON.stringify(modal.blocks);
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<@U999>');
    expect(raw).toContain('&lt;@U999&gt;');
    expect(modal.callback_id).toBe(ActionIds.resolveSubmit);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(decodeMetadata(modal.private_metadata)).toEqual({ v: 1, item: view.id, channel: 'C1', ts: '1.2' });
    const options = (modal.blocks.find((b) => b.block_id === 'root_cause') as any).element.options;
    for (const o of options) {
      expect(o.text.text.length).toBeLessThanOrEqual(75);
      expect(o.value.length).toBeLessThanOrEqual(150);
    }
  });

  it('requires a summary and a root cause; reads the optional fields', () => {
    expect(parseResolveSubmission({})).toEqual({
      ok: false,
      errors: { summary: 'Say what was done', root_cause: 'Pick a root cause' },
    });
    expect(
      parseResolveSubmission({
        summary: text(' Called them '),
        root_cause: select('Product bug'),
        prevention_owner: { value: { type: 'users_select', selected_user: 'U5' } },
        prevention_due: { value: { type: 'datepicker', selected_date: '2031-02-01' } },
        customer_contacted: { value: { type: 'checkboxes', selected_options: [{ value: 'yes' }] } },
      }),
    ).toEqual({
      ok: true,
      value: {
        summary: 'Called them',
        rootCause: 'Product bug',
        preventionAction: null,
        preventionOwnerSlackId: 'U5',
        preventionDueOn: '2031-02-01',
        customerContacted: true,
      },
    });
  });
});

describe('Reassign form', () => {
  it('needs a new owner', () => {
    expect(reassignModal(view, {}).callback_id).toBe(ActionIds.reassignSubmit);
    expect(parseReassignSubmission({})).toEqual({ ok: false, errors: { assignee: 'Pick the new owner' } });
    expect(parseReassignSubmission({ assignee: { value: { selected_user: 'U2' } } })).toEqual({ ok: true, userId: 'U2' });
  });
});

describe('Log form', () => {
  it('pre-fills the message text (cut to the input limit)', () => {
    const modal = logModal({ text: 'y'.repeat(5000), channel: 'C1', ts: '1.2', team: 'T1' });
    const input = modal.blocks.find((b) => b.block_id === 'feedback_text') as any;
    expect(input.element.initial_value).toHaveLength(3000);
    expect(decodeMetadata(modal.private_metadata)).toEqual({ v: 1, channel: 'C1', ts: '1.2', team: 'T1' });
  });

  it.each([
    [{}, { feedback_text: 'Write what the customer said' }],
    [{ feedback_text: text('ok'), kind: select('nps') }, { score: 'NPS needs a score from 0 to 10' }],
    [{ feedback_text: text('ok'), kind: select('ces'), score: text('9') }, { score: 'CES scores go from 1 to 7' }],
    [{ feedback_text: text('ok'), kind: select('comment'), score: text('3') }, { score: expect.stringContaining('takes no score') }],
  ])('rejects %j', (values, errors) => {
    expect(parseLogSubmission(values)).toEqual({ ok: false, errors });
  });

  it('reads a scored item and tells an email from a name', () => {
    expect(
      parseLogSubmission({ feedback_text: text('Great'), kind: select('csat'), score: text('5'), customer: text('jo@acme.example') }),
    ).toEqual({
      ok: true,
      value: { text: 'Great', kind: 'csat', score: 5, customer: { email: 'jo@acme.example' }, touchpoint: null },
    });
    expect(parseLogSubmission({ feedback_text: text('Hm'), customer: text('Jo Smith') })).toMatchObject({
      ok: true,
      value: { kind: 'conversation_note', score: null, customer: { name: 'Jo Smith' } },
    });
  });
});

describe('private_metadata', () => {
  it('round-trips and rejects garbage', () => {
    expect(decodeMetadata(encodeMetadata({ item: 'i', channel: undefined }))).toEqual({ v: 1, item: 'i' });
    expect(decodeMetadata('not json')).toBeNull();
    expect(decodeMetadata(JSON.stringify({ v: 2 }))).toBeNull();
  });
});
