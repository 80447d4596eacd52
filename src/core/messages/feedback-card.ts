// The item card: score badge, customer, quote, touchpoint, due countdown, state and the buttons
// that fit the state. Pure: fetch the ItemView, then render. Customer and user text is always
// either a quote block or wrapped in plain().
import type { FeedbackItem, ItemView } from '../feedback/item.ts';
import { availableActions, type ItemAction, isOverdue } from '../feedback/lifecycle.ts';
import { DEFAULT_ROUTE } from '../routing/match-route.ts';
import { snoozeLabels, snoozeOptions } from '../sla/snooze.ts';
import { type ActionId, ActionIds } from './action-ids.ts';
import { plain } from './markup.ts';
import type { Block, Button, Field, Message } from './model.ts';
import { customerLabel, customerMarkup, excerpt, formatDateTime, personMarkup, scoreBadge, slaText } from './text.ts';

export type CardOptions = { timezone?: string };

const buttonSpecs: Record<ItemAction, { action: ActionId; label: string; style?: 'primary' | 'danger' }> = {
  claim: { action: ActionIds.claim, label: 'Claim', style: 'primary' },
  resolve: { action: ActionIds.resolve, label: 'Resolve', style: 'primary' },
  reassign: { action: ActionIds.reassign, label: 'Reassign' },
  release: { action: ActionIds.release, label: 'Release' },
  snooze: { action: ActionIds.snooze, label: 'Snooze' },
  reopen: { action: ActionIds.reopen, label: 'Reopen' },
};

/** One button per action; snooze becomes one button per snooze length (its `arg`). */
export function buttonsFor(action: ItemAction, itemId: string): Button[] {
  const spec = buttonSpecs[action];
  if (action === 'snooze') {
    return snoozeOptions.map((arg) => ({
      action: spec.action,
      label: snoozeLabels[arg],
      payload: { v: 1, item: itemId, arg },
    }));
  }
  return [{ ...spec, payload: { v: 1, item: itemId } }];
}

/** The card's buttons: a function of the item's state, never built by hand elsewhere. */
export function cardButtons(item: Pick<FeedbackItem, 'id' | 'status'>): Button[] {
  return availableActions(item).flatMap((a) => buttonsFor(a, item.id));
}

/** The state line (markup): "Claimed by *Ana* · due in 23 h". */
export function stateLine(view: ItemView, now: Date, timezone?: string): string {
  // Past its due time the card says so first, so an overdue item stands out in the channel.
  const sla = isOverdue(view, now) ? `⚠️ *${slaText(view, now, timezone)}*` : slaText(view, now, timezone);
  switch (view.status) {
    case 'open':
      return `*Open* · needs an owner · ${sla}`;
    case 'claimed':
      return `Claimed by ${personMarkup(view.claimedBy)} · ${sla}`;
    case 'resolved': {
      const root = view.resolution ? ` — root cause: ${plain(view.resolution.rootCause)}` : '';
      return `Resolved by ${personMarkup(view.resolvedBy)}${root}`;
    }
  }
}

function resolutionFields(view: ItemView): Field[] {
  const r = view.resolution;
  if (!r) return [];
  const fields: Field[] = [{ label: 'Summary', value: plain(r.summary) }];
  if (r.preventionAction) {
    const due = r.preventionDueOn ? ` (due ${plain(r.preventionDueOn)})` : '';
    fields.push({ label: 'Prevention', value: `${plain(r.preventionAction)}${due}` });
  }
  fields.push({ label: 'Customer contacted', value: r.customerContacted ? 'Yes' : 'No' });
  return fields;
}

function contextItems(view: ItemView, timezone?: string): string[] {
  const items: string[] = [];
  if (view.touchpoint) items.push(`Touchpoint: ${plain(view.touchpoint)}`);
  items.push(`Source: ${plain(view.source)}`);
  if (view.tags.length > 0) items.push(`Tags: ${plain(view.tags.join(', '))}`);
  if (view.route && view.route !== DEFAULT_ROUTE) items.push(`Route: ${plain(view.route)}`);
  if (view.priority && view.priority !== 'normal') items.push(`Priority: *${view.priority}*`);
  items.push(`Received ${formatDateTime(view.receivedAt, timezone)}`);
  return items;
}

/** One-line plain summary for notifications and fallback text. */
export function cardFallbackText(view: ItemView, now: Date, timezone?: string): string {
  const who = customerLabel(view.customer);
  const said = view.comment?.trim() ? `: “${excerpt(view.comment, 120)}”` : '';
  let state: string;
  if (view.status === 'open') state = `open, ${slaText(view, now, timezone)}`;
  else if (view.status === 'claimed')
    state = `claimed by ${view.claimedBy?.displayName ?? 'someone'}, ${slaText(view, now, timezone)}`;
  else state = `resolved by ${view.resolvedBy?.displayName ?? 'someone'}`;
  return `${scoreBadge(view)} from ${who}${said} — ${state}`;
}

export function buildFeedbackCard(view: ItemView, now: Date, opts: CardOptions = {}): Message {
  const tz = opts.timezone;
  const blocks: Block[] = [
    { type: 'header', text: scoreBadge(view) },
    { type: 'section', text: customerMarkup(view.customer) },
  ];
  if (view.comment?.trim()) blocks.push({ type: 'quote', text: view.comment });
  else blocks.push({ type: 'context', items: ['_No comment_'] });
  blocks.push({ type: 'context', items: contextItems(view, tz) });

  const fields = resolutionFields(view);
  blocks.push(
    fields.length > 0
      ? { type: 'section', text: stateLine(view, now, tz), fields }
      : { type: 'section', text: stateLine(view, now, tz) },
  );
  blocks.push({ type: 'actions', buttons: cardButtons(view) });
  return { text: cardFallbackText(view, now, tz), blocks };
}
