// The App Home tab: my claimed items with their due times, the unclaimed queue with Claim
// buttons, and my week (claimed, resolved, share resolved within the SLA). Pure.
import type { FeedbackItem, Person } from '../feedback/item.ts';
import { buttonsFor } from './feedback-card.ts';
import { plain } from './markup.ts';
import type { Block, Message } from './model.ts';
import { excerpt, scoreBadge, slaText } from './text.ts';

const WEEK_MS = 7 * 24 * 3_600_000;
const MAX_MINE = 15;
const MAX_QUEUE = 15;

export type WeekStats = { claimed: number; resolved: number; resolvedWithinSla: number };

/** Counts over the last 7 days from the items a person claimed (resolution keeps the claimer). */
export function weekStats(items: FeedbackItem[], personId: string, now: Date): WeekStats {
  const since = now.getTime() - WEEK_MS;
  const inWeek = (d: Date | null) => d !== null && d.getTime() > since && d.getTime() <= now.getTime();
  const resolved = items.filter((i) => i.status === 'resolved' && i.resolvedById === personId && inWeek(i.resolvedAt));
  return {
    claimed: items.filter((i) => i.claimedById === personId && inWeek(i.claimedAt)).length,
    resolved: resolved.length,
    resolvedWithinSla: resolved.filter((i) => i.resolvedAt!.getTime() <= i.dueAt.getTime()).length,
  };
}

function itemLine(item: FeedbackItem, now: Date, timezone?: string): string {
  const said = item.comment?.trim() ? ` — “${plain(excerpt(item.comment, 120))}”` : '';
  return `*${scoreBadge(item)}*${said}\n${slaText(item, now, timezone)}`;
}

export function buildAppHome(
  input: { me: Pick<Person, 'displayName'>; mine: FeedbackItem[]; queue: FeedbackItem[]; week: WeekStats },
  now: Date,
  opts: { timezone?: string } = {},
): Message {
  const { mine, queue, week } = input;
  const blocks: Block[] = [{ type: 'header', text: 'Customer First' }];

  blocks.push({ type: 'section', text: `*Your items* (${mine.length})` });
  if (mine.length === 0) blocks.push({ type: 'context', items: ['Nothing claimed. Pick one from the queue below.'] });
  for (const item of mine.slice(0, MAX_MINE)) blocks.push({ type: 'section', text: itemLine(item, now, opts.timezone) });
  if (mine.length > MAX_MINE) blocks.push({ type: 'context', items: [`…and ${mine.length - MAX_MINE} more (/cx mine)`] });

  blocks.push({ type: 'divider' }, { type: 'section', text: `*Needs an owner* (${queue.length})` });
  if (queue.length === 0) blocks.push({ type: 'context', items: ['The queue is empty. Every customer has an owner.'] });
  for (const item of queue.slice(0, MAX_QUEUE)) {
    blocks.push({ type: 'section', text: itemLine(item, now, opts.timezone) });
    blocks.push({ type: 'actions', buttons: buttonsFor('claim', item.id) });
  }
  if (queue.length > MAX_QUEUE) blocks.push({ type: 'context', items: [`…and ${queue.length - MAX_QUEUE} more (/cx open)`] });

  const share = week.resolved > 0 ? `${Math.round((100 * week.resolvedWithinSla) / week.resolved)}%` : '–';
  blocks.push(
    { type: 'divider' },
    {
      type: 'section',
      text: '*Your week*',
      fields: [
        { label: 'Claimed', value: String(week.claimed) },
        { label: 'Resolved', value: String(week.resolved) },
        { label: 'Within SLA', value: share },
      ],
    },
  );
  return {
    text: `Customer First: ${mine.length} items of yours, ${queue.length} need an owner`,
    blocks,
  };
}
