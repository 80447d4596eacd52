// A card's first post may carry a line above it: the route's mention ("@acct-team") and, for an
// SLA escalation, what happened ("Unclaimed for 2 h"). Later updates re-render the card alone:
// the mention has pinged by then, and editing a message pings nobody again.
import type { RouteMention } from '../routing/routes-schema.ts';
import { stripMarkup } from './markup.ts';
import type { Message } from './model.ts';

export function withLead(card: Message, opts: { mention?: RouteMention; lead?: string }): Message {
  const mention = opts.mention;
  const hasMention = !!mention && (mention.slack.length > 0 || mention.teams.length > 0);
  if (!hasMention && !opts.lead) return card;
  return {
    text: opts.lead ? `${stripMarkup(opts.lead)} — ${card.text}` : card.text,
    blocks: [{ type: 'mention', slack: mention?.slack ?? [], teams: mention?.teams ?? [], text: opts.lead ?? '' }, ...card.blocks],
  };
}
