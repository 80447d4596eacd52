// `/cx status <item>`: the item's card, where it was posted, and its timeline — state changes and
// every delivery attempt (with the error when one failed). Pure; names and errors are literal.
import type { ItemView } from '../feedback/item.ts';
import type { FeedbackEvent } from '../ports.ts';
import { plain } from './markup.ts';
import type { Block, Message } from './model.ts';
import { formatDateTime } from './text.ts';

export type PostedAt = { platform: string; channel: string; messageId: string; purpose: string };

const MAX_LINES = 25;

const verbs: Record<string, string> = {
  received: 'received',
  claimed: 'claimed',
  released: 'released',
  reassigned: 'reassigned',
  snoozed: 'snoozed',
  resolved: 'resolved',
  reopened: 'reopened',
  'sla.unclaimed': 'escalated: nobody had claimed it',
  'sla.reminder': 'reminder sent to the owner',
  'sla.overdue': 'overdue',
};

function eventLine(e: FeedbackEvent, names: ReadonlyMap<string, string>, timezone?: string): string {
  const when = formatDateTime(e.at, timezone);
  if (e.type === 'delivery.attempt') {
    const d = e.data as {
      platform?: string;
      channel?: string;
      ok?: boolean;
      error?: string | null;
      attempt?: number;
      httpStatus?: number;
      deadLettered?: boolean;
    };
    // The webhook's channel is its receiver's origin; what it delivered is the close-the-loop event.
    const webhook = d.platform === 'webhook';
    const where = (webhook ? `the close-the-loop webhook ${plain(d.channel ?? '')}` : `${plain(d.platform ?? '?')} ${plain(d.channel ?? '')}`).trim();
    const http = webhook && d.httpStatus ? ` (HTTP ${d.httpStatus})` : '';
    const gaveUp = d.deadLettered ? ' — gave up (dead letter)' : '';
    return d.ok
      ? `${when} · delivered to ${where}${http}`
      : `${when} · delivery to ${where} failed (attempt ${d.attempt ?? '?'}): ${plain(d.error ?? 'unknown error')}${gaveUp}`;
  }
  const who = e.actorId ? names.get(e.actorId) : null;
  const by = who ? ` by *${plain(who)}*` : e.platform === 'api' ? ' via the API' : '';
  // The route an item took (and the `continue` rules that added copies) is part of its story.
  const d = e.data as { route?: unknown; rules?: unknown };
  const extra = (d.rules as unknown[] | undefined)?.filter((r): r is string => typeof r === 'string' && r !== d.route) ?? [];
  const route = e.type === 'received' && typeof d.route === 'string' ? ` · route *${plain(d.route)}*${extra.length ? ` (also ${plain(extra.join(', '))})` : ''}` : '';
  return `${when} · ${verbs[e.type] ?? plain(e.type)}${by}${route}`;
}

export function buildItemStatus(
  view: ItemView,
  card: Message,
  timeline: FeedbackEvent[],
  posts: PostedAt[],
  names: ReadonlyMap<string, string>,
  opts: { timezone?: string } = {},
): Message {
  const postLines = posts.map((p) => `${plain(p.platform)} · ${plain(p.channel)} · ${plain(p.messageId)}`);
  const events = timeline.slice(-MAX_LINES).map((e) => eventLine(e, names, opts.timezone));
  const hidden = timeline.length - events.length;
  const blocks: Block[] = [
    ...card.blocks,
    { type: 'divider' },
    { type: 'section', text: `*Posted* (${posts.length})\n${postLines.join('\n') || '_not posted yet_'}` },
    {
      type: 'section',
      text: `*Timeline*${hidden > 0 ? ` (last ${events.length} of ${timeline.length})` : ''}\n${events.join('\n') || '_nothing yet_'}`,
    },
    { type: 'context', items: [`Item ${plain(view.id)}`] },
  ];
  return { text: `Status of ${card.text}`, blocks };
}
