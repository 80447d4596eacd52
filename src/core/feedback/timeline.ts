// The lines an action adds to the item's thread, and the DM a new owner gets. Names and free
// text are user input: always through plain().
import { plain } from '../messages/markup.ts';
import type { Message } from '../messages/model.ts';
import { customerMarkup, dueIn, excerpt, formatDateTime, scoreBadge, customerLabel } from '../messages/text.ts';
import type { ItemView, Person, Resolution } from './item.ts';

type Named = Pick<Person, 'displayName'>;

function line(markup: string, text: string): Message {
  return { text, blocks: [{ type: 'section', text: markup }] };
}

const who = (p: Named) => `*${plain(p.displayName)}*`;

export function claimedLine(actor: Named): Message {
  return line(`Claimed by ${who(actor)}`, `Claimed by ${actor.displayName}`);
}

export function releasedLine(actor: Named): Message {
  return line(`Released by ${who(actor)} — this item needs an owner again`, `Released by ${actor.displayName}`);
}

export function reassignedLine(actor: Named, to: Named): Message {
  return line(
    `Reassigned to ${who(to)} by ${who(actor)}`,
    `Reassigned to ${to.displayName} by ${actor.displayName}`,
  );
}

export function snoozedLine(actor: Named, until: Date, timezone?: string): Message {
  const when = formatDateTime(until, timezone);
  return line(`Snoozed by ${who(actor)} until ${when}`, `Snoozed by ${actor.displayName} until ${when}`);
}

export function resolvedLine(actor: Named, r: Resolution, preventionOwner: Named | null): Message {
  let markup = `Resolved by ${who(actor)}: ${plain(r.summary)} — root cause: ${plain(r.rootCause)}`;
  let text = `Resolved by ${actor.displayName}: ${excerpt(r.summary, 200)} — root cause: ${r.rootCause}`;
  if (r.preventionAction) {
    const details = [
      preventionOwner ? `owner ${who(preventionOwner)}` : null,
      r.preventionDueOn ? `due ${plain(r.preventionDueOn)}` : null,
    ].filter((d) => d !== null);
    markup += `; prevention: ${plain(r.preventionAction)}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
    text += `; prevention: ${r.preventionAction}`;
  }
  if (r.customerContacted) {
    markup += ' · customer contacted';
    text += ' · customer contacted';
  }
  return line(markup, text);
}

export function reopenedLine(actor: Named, dueAt: Date, now: Date, note: string | null): Message {
  const why = note ? `: ${plain(note)}` : '';
  return line(
    `Reopened by ${who(actor)}${why} — ${dueIn(dueAt, now)}`,
    `Reopened by ${actor.displayName}${note ? `: ${note}` : ''}`,
  );
}

/** The DM a person gets when an item is reassigned to them. */
export function assignedDm(actor: Named, view: ItemView, now: Date): Message {
  const said = view.comment?.trim() ? `\n“${plain(excerpt(view.comment, 200))}”` : '';
  const markup =
    `${who(actor)} assigned you a customer feedback item: *${scoreBadge(view)}* from ${customerMarkup(view.customer)}` +
    `${said}\n${dueIn(view.dueAt, now)} — find the card in its channel to resolve it.`;
  const text = `${actor.displayName} assigned you ${scoreBadge(view)} from ${customerLabel(view.customer)}`;
  return line(markup, text);
}
