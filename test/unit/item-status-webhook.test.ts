// `/cx status`: close-the-loop webhook attempts read as such, with the receiver's HTTP status.
import { describe, expect, it } from 'vitest';
import { buildItemStatus } from '../../src/core/messages/item-status.ts';
import type { FeedbackEvent } from '../../src/core/ports.ts';
import { ITEM_ID, T0, view } from './lifecycle-fixtures.ts';

const attempt = (data: Record<string, unknown>): FeedbackEvent => ({
  id: String(data.attempt),
  itemId: ITEM_ID,
  type: 'delivery.attempt',
  actorId: null,
  platform: 'system',
  data: { platform: 'webhook', channel: 'https://hooks.example.com', ...data },
  at: T0,
});

function timelineLines(events: FeedbackEvent[]): string[] {
  const msg = buildItemStatus(view(), { text: 'card', blocks: [] }, events, [], new Map(), { timezone: 'UTC' });
  const section = msg.blocks.find((b) => b.type === 'section' && b.text.startsWith('*Timeline*'));
  const lines = section?.type === 'section' ? section.text.split('\n').slice(1) : [];
  return lines.map((l) => l.replace(/^[^·]* · /, '').replaceAll(/[\uE000\uE001]/g, ''));
}

describe('item status: webhook attempts', () => {
  it('names the webhook and its receiver, the HTTP status, the error, and a dead letter', () => {
    expect(
      timelineLines([
        attempt({ ok: false, error: 'WebhookServerError: HTTP 500 from https://hooks.example.com', attempt: 1, httpStatus: 500 }),
        attempt({ ok: true, error: null, attempt: 2, httpStatus: 204 }),
        attempt({ ok: false, error: 'WebhookRejected: HTTP 400 from https://hooks.example.com', attempt: 1, httpStatus: 400, deadLettered: true }),
      ]),
    ).toEqual([
      'delivery to the close-the-loop webhook https://hooks.example.com failed (attempt 1): WebhookServerError: HTTP 500 from https://hooks.example.com',
      'delivered to the close-the-loop webhook https://hooks.example.com (HTTP 204)',
      'delivery to the close-the-loop webhook https://hooks.example.com failed (attempt 1): WebhookRejected: HTTP 400 from https://hooks.example.com — gave up (dead letter)',
    ]);
  });
});
