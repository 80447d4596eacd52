// Compact item lists ("/cx mine", "/cx open") and the customer profile (the customer as a person:
// every item, scores over time, what is still open). Pure; customer text goes through plain().
import type { Customer, FeedbackItem, ItemView } from '../feedback/item.ts';
import { buttonsFor } from './feedback-card.ts';
import { plain } from './markup.ts';
import type { Block, Field, Message } from './model.ts';
import {
  customerLabel,
  customerMarkup,
  customerName,
  excerpt,
  formatShortDate,
  kindName,
  personMarkup,
  scoreBadge,
  scoreValue,
  slaText,
} from './text.ts';

export type ListOptions = { timezone?: string; limit?: number; emptyText?: string };

/** An item with whatever people we know about (lists of plain items show no names). */
type ListedItem = FeedbackItem & Partial<Pick<ItemView, 'customer' | 'claimedBy' | 'resolvedBy'>>;

const DEFAULT_LIMIT = 20; // 2 blocks per item keeps a list under Slack's 50 blocks.

function shortState(item: ListedItem, now: Date, timezone?: string): string {
  const sla = slaText(item, now, timezone);
  if (item.status === 'open') return `Open · ${sla}`;
  if (item.status === 'claimed') return `Claimed by ${personMarkup(item.claimedBy ?? null)} · ${sla}`;
  const cause = item.resolution ? ` — ${plain(item.resolution.rootCause)}` : '';
  return `Resolved by ${personMarkup(item.resolvedBy ?? null)}${cause}`;
}

function itemBlocks(item: ListedItem, now: Date, opts: ListOptions, withCustomer: boolean): Block[] {
  const head = withCustomer
    ? `*${scoreBadge(item)}* · ${customerMarkup(item.customer ?? null)}`
    : `*${scoreBadge(item)}* · ${formatShortDate(item.receivedAt, opts.timezone)}`;
  const lines = [head];
  if (item.comment?.trim()) lines.push(`“${plain(excerpt(item.comment, 200))}”`);
  lines.push(shortState(item, now, opts.timezone));
  const blocks: Block[] = [{ type: 'section', text: lines.join('\n') }];
  // Only Claim is offered in lists; the full card carries every other action.
  if (item.status === 'open') blocks.push({ type: 'actions', buttons: buttonsFor('claim', item.id) });
  return blocks;
}

function moreLine(total: number, shown: number): Block[] {
  return total > shown ? [{ type: 'context', items: [`…and ${total - shown} more`] }] : [];
}

export function buildItemList(title: string, views: ListedItem[], now: Date, opts: ListOptions = {}): Message {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const shown = views.slice(0, limit);
  const blocks: Block[] = [{ type: 'header', text: title }];
  if (views.length === 0) {
    blocks.push({ type: 'section', text: opts.emptyText ?? 'Nothing here right now.' });
  }
  for (const item of shown) blocks.push(...itemBlocks(item, now, opts, true));
  blocks.push(...moreLine(views.length, shown.length));
  const count = views.length === 1 ? '1 item' : `${views.length} items`;
  return { text: `${title}: ${count}`, blocks };
}

/** "NPS 3 (3 Jan) → 9 (2 Mar) · CSAT 4/5 (5 Feb)" — oldest first, one run per kind (plain text). */
export function scoreHistory(items: FeedbackItem[], timezone?: string, perKind = 8): string {
  const byKind = new Map<FeedbackItem['kind'], FeedbackItem[]>();
  const scored = items
    .filter((i) => i.score !== null)
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  for (const item of scored) {
    const list = byKind.get(item.kind) ?? [];
    list.push(item);
    byKind.set(item.kind, list);
  }
  const runs = [...byKind.entries()].map(([kind, list]) => {
    const steps = list
      .slice(-perKind)
      .map((i) => `${scoreValue(i)} (${formatShortDate(i.receivedAt, timezone)})`)
      .join(' → ');
    return `${kindName(kind)} ${steps}`;
  });
  return runs.length > 0 ? runs.join(' · ') : 'No scores yet';
}

const HISTORY_LINES = 15;

export function buildCustomerProfile(
  customer: Customer,
  items: ListedItem[],
  now: Date,
  opts: ListOptions = {},
): Message {
  const name = customerName(customer) ?? 'Unknown customer';
  const fields: Field[] = [];
  if (customer.company) fields.push({ label: 'Company', value: plain(customer.company) });
  if (customer.segment) fields.push({ label: 'Segment', value: plain(customer.segment) });
  if (customer.tier) fields.push({ label: 'Tier', value: plain(customer.tier) });
  if (customer.email) fields.push({ label: 'Email', value: plain(customer.email) });

  const newestFirst = [...items].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
  const open = newestFirst.filter((i) => i.status !== 'resolved');
  const blocks: Block[] = [
    // Header text is plain text on both platforms: the name needs no plain() there.
    { type: 'header', text: name },
    fields.length > 0
      ? { type: 'section', text: customerMarkup(customer), fields }
      : { type: 'section', text: customerMarkup(customer) },
    { type: 'section', text: `*Scores over time:* ${plain(scoreHistory(items, opts.timezone))}` },
  ];

  blocks.push({ type: 'divider' });
  blocks.push({ type: 'section', text: open.length > 0 ? `*Open items (${open.length})*` : '*No open items*' });
  const openLimit = Math.min(opts.limit ?? 8, 8);
  for (const item of open.slice(0, openLimit)) blocks.push(...itemBlocks(item, now, opts, false));
  blocks.push(...moreLine(open.length, Math.min(open.length, openLimit)));

  if (newestFirst.length > 0) {
    const lines = newestFirst.slice(0, HISTORY_LINES).map((i) => {
      const said = i.comment?.trim() ? ` — “${plain(excerpt(i.comment, 80))}”` : '';
      return `${formatShortDate(i.receivedAt, opts.timezone)} · ${scoreBadge(i)} · ${i.status}${said}`;
    });
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'section', text: `*Every item (${newestFirst.length})*\n${lines.join('\n')}` });
    blocks.push(...moreLine(newestFirst.length, Math.min(newestFirst.length, HISTORY_LINES)));
  }
  const text = `${customerLabel(customer)}: ${items.length} items, ${open.length} open · ${scoreHistory(items, opts.timezone)}`;
  return { text, blocks };
}
