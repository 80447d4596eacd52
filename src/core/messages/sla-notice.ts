// What the SLA sweeper says: the claimer's reminder and overdue DMs, the thread lines that keep the
// timeline, and the lead line above a card escalated to the champion channel. Each names the
// customer, the score and the age; customer words go through plain() or a quote, like a card.
import type { ItemView } from '../feedback/item.ts';
import type { RouteMention } from '../routing/routes-schema.ts';
import { cardButtons } from './feedback-card.ts';
import { plain } from './markup.ts';
import type { Block, Message } from './model.ts';
import { customerLabel, customerMarkup, dueIn, excerpt, formatDuration, personMarkup, scoreBadge } from './text.ts';

/** "NPS 3 · Detractor from *Dana Ruiz* · Acme, received 5 h ago" (markup). */
function about(view: ItemView, now: Date): string {
  const age = formatDuration(now.getTime() - view.createdAt.getTime());
  return `*${plain(scoreBadge(view))}* from ${customerMarkup(view.customer)}, received ${age} ago`;
}

function aboutText(view: ItemView, now: Date): string {
  const age = formatDuration(now.getTime() - view.createdAt.getTime());
  return `${scoreBadge(view)} from ${customerLabel(view.customer)}, received ${age} ago`;
}

function quoteOf(view: ItemView): Block[] {
  return view.comment?.trim() ? [{ type: 'quote', text: excerpt(view.comment, 500) }] : [];
}

/** DM to the claimer at 75% of the window: the item, how long is left, its buttons. */
export function reminderDm(view: ItemView, now: Date): Message {
  const left = dueIn(view.dueAt, now);
  return {
    text: `Reminder: ${aboutText(view, now)} is ${left}`,
    blocks: [
      { type: 'section', text: `⏳ *Reminder* — ${about(view, now)}: ${left}.` },
      ...quoteOf(view),
      { type: 'actions', buttons: cardButtons(view) },
    ],
  };
}

/** DM to the claimer at the due time. */
export function overdueDm(view: ItemView, now: Date): Message {
  return {
    text: `Overdue: ${aboutText(view, now)}`,
    blocks: [
      { type: 'section', text: `⚠️ *Overdue* — ${about(view, now)}. Resolve it, or reassign it to someone who can.` },
      ...quoteOf(view),
      { type: 'actions', buttons: cardButtons(view) },
    ],
  };
}

export function reminderLine(view: ItemView, now: Date): Message {
  const markup = `⏳ Reminder sent to ${personMarkup(view.claimedBy)} — ${dueIn(view.dueAt, now)}`;
  return { text: `Reminder sent to ${view.claimedBy?.displayName ?? 'the owner'}`, blocks: [{ type: 'section', text: markup }] };
}

/** The lead line of an escalation or overdue post (markup), above the card. */
export function escalationLead(view: ItemView, now: Date, kind: 'unclaimed' | 'overdue'): string {
  const age = formatDuration(now.getTime() - view.createdAt.getTime());
  if (kind === 'unclaimed') return `🚨 *Needs an owner* — unclaimed for ${age}. Who can take it?`;
  const owner = view.claimedBy ? `claimed by ${personMarkup(view.claimedBy)}` : 'nobody has claimed it';
  return `⚠️ *Overdue* — ${dueIn(view.dueAt, now)}, ${owner}.`;
}

/**
 * The thread line of an escalation or overdue notice. `mention` pings the route's people in the
 * thread when there is no champion channel to post the card in.
 */
export function escalationLine(view: ItemView, now: Date, kind: 'unclaimed' | 'overdue', opts: { mention?: RouteMention | null; escalated: boolean }): Message {
  const lead = escalationLead(view, now, kind);
  const text = `${lead}${opts.escalated ? ' Posted to the champion channel.' : ''}`;
  const m = opts.mention;
  const block: Block =
    m && (m.slack.length > 0 || m.teams.length > 0) ? { type: 'mention', slack: m.slack, teams: m.teams, text } : { type: 'section', text };
  return { text: kind === 'unclaimed' ? `Unclaimed: ${aboutText(view, now)}` : `Overdue: ${aboutText(view, now)}`, blocks: [block] };
}
