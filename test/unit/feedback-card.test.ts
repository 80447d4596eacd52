import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { buildFeedbackCard, cardButtons } from '../../src/core/messages/feedback-card.ts';
import { splitMarkup } from '../../src/core/messages/markup.ts';
import type { Block, Message } from '../../src/core/messages/model.ts';
import { parseButtonPayload } from '../../src/core/messages/payload.ts';
import { ana, customer, ITEM_ID, claimedBy, resolvedBy, T0, view } from './lifecycle-fixtures.ts';

const H = 3_600_000;
const actionsOf = (m: Message) => m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.buttons);
const markupTexts = (b: Block): string[] => {
  if (b.type === 'section') return [b.text, ...(b.fields ?? []).flatMap((f) => [f.label, f.value])];
  if (b.type === 'context') return b.items;
  if (b.type === 'header') return [b.text];
  return [];
};
const allText = (m: Message) => m.blocks.flatMap(markupTexts).join('\n');

/** Every occurrence of `needle` in markup must sit inside a literal (plain()) span. */
function expectOnlyLiteral(m: Message, needle: string) {
  for (const block of m.blocks) {
    for (const text of markupTexts(block)) {
      for (const span of splitMarkup(text)) {
        if (!span.literal) expect(span.text, `${block.type} markup`).not.toContain(needle);
      }
    }
  }
}

describe('buildFeedbackCard', () => {
  it('shows the score badge, customer, quote, touchpoint and due countdown', () => {
    const card = buildFeedbackCard(view(), T0);
    expect(card.blocks[0]).toEqual({ type: 'header', text: 'NPS 3 · Detractor' });
    expect(card.blocks).toContainEqual({ type: 'quote', text: 'Export keeps failing.' });
    const text = allText(card);
    for (const part of ['Jane Doe', 'Acme', 'Enterprise', 'Gold', 'onboarding', 'typeform', 'export', 'due in 24 h']) {
      expect(text).toContain(part);
    }
    expect(card.text).toBe('NPS 3 · Detractor from Jane Doe · Acme · Enterprise · Gold: “Export keeps failing.” — open, due in 24 h');
  });

  it.each([
    ['csat', 5, 'CSAT 5/5'],
    ['ces', 6, 'CES 6/7'],
    ['nps', 10, 'NPS 10 · Promoter'],
    ['nps', 7, 'NPS 7 · Passive'],
    ['comment', null, 'Comment'],
  ] as const)('badge for %s %s is %s', (kind, score, badge) => {
    expect(buildFeedbackCard(view({ kind, score }), T0).blocks[0]).toEqual({ type: 'header', text: badge });
  });

  it('says "unknown customer" without one, and "No comment" without a comment', () => {
    const card = buildFeedbackCard(view({ customer: null, comment: '  ' }), T0);
    expect(allText(card)).toContain('unknown customer');
    expect(allText(card)).toContain('No comment');
    expect(card.blocks.some((b) => b.type === 'quote')).toBe(false);
  });

  it('buttons follow the state', () => {
    const labels = (m: Message) => actionsOf(m).map((b) => b.action);
    expect(labels(buildFeedbackCard(view(), T0))).toEqual([
      ActionIds.claim,
      ActionIds.snooze,
      ActionIds.snooze,
      ActionIds.snooze,
    ]);
    expect(labels(buildFeedbackCard(claimedBy(ana), T0))).toEqual([
      ActionIds.resolve,
      ActionIds.reassign,
      ActionIds.release,
      ActionIds.snooze,
      ActionIds.snooze,
      ActionIds.snooze,
    ]);
    expect(labels(buildFeedbackCard(resolvedBy(ana), T0))).toEqual([ActionIds.reopen]);
  });

  it('buttons carry valid versioned payloads; snooze buttons carry the length', () => {
    const buttons = cardButtons(claimedBy(ana));
    for (const b of buttons) expect(parseButtonPayload(JSON.stringify(b.payload))).toEqual(b.payload);
    expect(buttons.find((b) => b.action === ActionIds.resolve)!.payload).toEqual({ v: 1, item: ITEM_ID });
    expect(buttons.filter((b) => b.action === ActionIds.snooze).map((b) => b.payload.arg)).toEqual([
      '1h',
      '4h',
      'morning',
    ]);
  });

  it('claimed: "Claimed by X · due in …"; overdue wording past the due time', () => {
    const item = claimedBy(ana, { dueAt: new Date(T0.getTime() + 23 * H) });
    expect(allText(buildFeedbackCard(item, T0))).toMatch(/Claimed by .*Ana.* · due in 23 h/);
    const late = new Date(T0.getTime() + 25 * H);
    expect(allText(buildFeedbackCard(item, late))).toContain('overdue by 2 h');
    expect(buildFeedbackCard(item, late).text).toContain('overdue by 2 h');
  });

  it('snoozed: "snoozed until …" in the given timezone', () => {
    const item = view({ snoozedUntil: new Date('2025-03-06T08:00:00Z') });
    // The zone abbreviation depends on the ICU data (CET / GMT+1): assert the wall time.
    expect(allText(buildFeedbackCard(item, T0, { timezone: 'Europe/Berlin' }))).toMatch(
      /snoozed until Thu 6 Mar 09:00 \S+/,
    );
    expect(allText(buildFeedbackCard(item, T0))).toContain('snoozed until Thu 6 Mar 08:00 UTC');
  });

  it('resolved: resolver, root cause, summary, prevention and contact', () => {
    const card = buildFeedbackCard(resolvedBy(ana), T0);
    const text = allText(card);
    expect(text).toMatch(/Resolved by .*Ana.* — root cause: .*Product bug/);
    expect(text).toContain('Fixed the export.');
    expect(text).toContain('Add an export smoke test');
    expect(text).toContain('2025-03-20');
    expect(text).toContain('Customer contacted');
    expect(card.text).toContain('resolved by Ana');
  });

  it('customer and user text with mentions or markup is only ever literal', () => {
    const evil = '<!channel> *bold* <@U123> &amp;';
    const item = resolvedBy(ana, {
      comment: `Hi ${evil}`,
      touchpoint: evil,
      source: evil,
      tags: [evil],
      customer: customer({ name: evil, company: evil, segment: evil, tier: evil }),
      claimedBy: { ...ana, displayName: evil },
      resolvedBy: { ...ana, displayName: evil },
      resolution: {
        summary: evil,
        rootCause: evil,
        preventionAction: evil,
        preventionOwnerId: null,
        preventionDueOn: evil,
        customerContacted: false,
      },
    });
    const card = buildFeedbackCard(item, T0);
    expect(card.blocks).toContainEqual({ type: 'quote', text: `Hi ${evil}` });
    expectOnlyLiteral(card, '<!channel>');
    expectOnlyLiteral(card, '<@U123>');
    expect(allText(card)).toContain('<!channel>'); // it is shown, as text
    const claimed = buildFeedbackCard(claimedBy({ ...ana, displayName: evil }, { customer: customer({ name: evil }) }), T0);
    expectOnlyLiteral(claimed, '<!channel>');
  });
});
