// `/cx status`: the timeline names the route an item took and each SLA notice it got.
import { describe, expect, it } from 'vitest';
import { buildItemStatus } from '../../src/core/messages/item-status.ts';
import type { FeedbackEvent } from '../../src/core/ports.ts';
import { ITEM_ID, T0, view } from './lifecycle-fixtures.ts';

const event = (type: string, data: Record<string, unknown>, over: Partial<FeedbackEvent> = {}): FeedbackEvent => ({
  id: type,
  itemId: ITEM_ID,
  type,
  actorId: null,
  platform: 'system',
  data,
  at: T0,
  ...over,
});

describe('item status timeline', () => {
  it('shows the route, the continue rules that added copies, and the SLA notices', () => {
    const timeline = [
      event('received', { source: 'survey', route: 'enterprise-<!channel>', rules: ['kudos', 'enterprise-<!channel>'] }, { platform: 'api' }),
      event('sla.unclaimed', { cycle: 0 }),
      event('claimed', {}, { actorId: 'p1', platform: 'slack' }),
      event('sla.reminder', { cycle: 0 }),
      event('sla.overdue', { cycle: 0 }),
    ];
    const msg = buildItemStatus(view(), { text: 'card', blocks: [] }, timeline, [], new Map([['p1', 'Ana']]), { timezone: 'UTC' });
    const section = msg.blocks.find((b) => b.type === 'section' && b.text.startsWith('*Timeline*'));
    const lines = section?.type === 'section' ? section.text.split('\n').slice(1) : [];
    expect(lines.map((l) => l.replace(/^[^·]* · /, '').replaceAll(/[\uE000\uE001]/g, ''))).toEqual([
      'received via the API · route *enterprise-<!channel>* (also kudos)',
      'escalated: nobody had claimed it',
      'claimed by *Ana*',
      'reminder sent to the owner',
      'overdue',
    ]);
    // The route name is literal text: plain() keeps it from pinging.
    expect(section?.type === 'section' && section.text).toContain('\uE000enterprise-<!channel>\uE001');
  });
});
