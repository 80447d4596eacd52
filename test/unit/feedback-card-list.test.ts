import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { buildCustomerProfile, buildItemList, scoreHistory } from '../../src/core/messages/item-list.ts';
import { splitMarkup } from '../../src/core/messages/markup.ts';
import type { Message } from '../../src/core/messages/model.ts';
import { ana, claimedBy, customer, resolvedBy, T0, view } from './lifecycle-fixtures.ts';

const H = 3_600_000;
const D = 24 * H;
const sections = (m: Message) => m.blocks.flatMap((b) => (b.type === 'section' ? [b.text] : []));
const buttons = (m: Message) => m.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const id = (n: number) => `aaaaaaaa-aaaa-4aaa-8aaa-${String(n).padStart(12, '0')}`;

describe('buildItemList', () => {
  it('lists each item with its state; only open items get a Claim button', () => {
    const open = view({ id: id(1) });
    const mine = claimedBy(ana, { id: id(2), dueAt: new Date(T0.getTime() - 2 * H) });
    const msg = buildItemList('Open items', [open, mine], T0);
    expect(msg.blocks[0]).toEqual({ type: 'header', text: 'Open items' });
    expect(msg.text).toBe('Open items: 2 items');
    expect(buttons(msg)).toEqual([{ action: ActionIds.claim, label: 'Claim', style: 'primary', payload: { v: 1, item: id(1) } }]);
    const text = sections(msg).join('\n');
    expect(text).toContain('Open · due in 24 h');
    expect(text).toMatch(/Claimed by .*Ana.* · overdue by 2 h/);
  });

  it('says so when empty, and caps long lists under the block limit', () => {
    expect(sections(buildItemList('Mine', [], T0, { emptyText: 'Nothing claimed.' }))).toEqual(['Nothing claimed.']);
    const many = Array.from({ length: 40 }, (_, i) => view({ id: id(i) }));
    const msg = buildItemList('Open', many, T0);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(msg.blocks.at(-1)).toEqual({ type: 'context', items: ['…and 20 more'] });
  });

  it('keeps customer text literal', () => {
    const msg = buildItemList('Open', [view({ comment: '<!channel> help', customer: customer({ name: '<!here>' }) })], T0);
    for (const text of sections(msg)) {
      for (const span of splitMarkup(text)) if (!span.literal) expect(span.text).not.toMatch(/<!/);
    }
  });
});

describe('buildCustomerProfile', () => {
  const c = customer();
  const items = [
    resolvedBy(ana, { id: id(1), score: 3, receivedAt: new Date(T0.getTime() - 60 * D) }),
    view({ id: id(2), kind: 'csat', score: 4, receivedAt: new Date(T0.getTime() - 30 * D) }),
    view({ id: id(3), score: 9, receivedAt: T0, comment: 'Much better now' }),
  ];

  it('shows scores over time in one line, oldest first, per kind', () => {
    expect(scoreHistory(items)).toBe('NPS 3 (4 Jan) → 9 (5 Mar) · CSAT 4/5 (3 Feb)');
  });

  it('shows the customer, the open items with Claim, and every item', () => {
    const msg = buildCustomerProfile(c, items, T0);
    expect(msg.blocks[0]).toEqual({ type: 'header', text: 'Jane Doe' });
    const text = sections(msg).join('\n');
    expect(text).toContain('Open items (2)');
    expect(text).toContain('Every item (3)');
    expect(text).toContain('Much better now');
    expect(buttons(msg).map((b) => b.payload.item)).toEqual([id(3), id(2)]);
    expect(msg.text).toContain('3 items, 2 open');
  });

  it('handles a customer with no items', () => {
    const msg = buildCustomerProfile(c, [], T0);
    expect(sections(msg).join('\n')).toContain('No open items');
    expect(msg.text).toContain('No scores yet');
  });
});
