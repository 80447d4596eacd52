// Shared wording for cards, lists and timelines: durations, due countdowns, score badges, names.
// Functions returning *markup* say so; everything else returns plain text.
import type { Customer, FeedbackItem, FeedbackKind, Person } from '../feedback/item.ts';
import { isSnoozed } from '../feedback/lifecycle.ts';
import { plain } from './markup.ts';
import type { Message } from './model.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45 min", "23 h", "3 d" — rounded down, never below 1 min. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return `${Math.max(1, Math.floor(abs / MINUTE))} min`;
  if (abs < 2 * DAY) return `${Math.floor(abs / HOUR)} h`;
  return `${Math.floor(abs / DAY)} d`;
}

/** "due in 23 h" or "overdue by 2 h". */
export function dueIn(dueAt: Date, now: Date): string {
  const ms = dueAt.getTime() - now.getTime();
  return ms > 0 ? `due in ${formatDuration(ms)}` : `overdue by ${formatDuration(ms)}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
/** formatDateTime's recent results, by time zone and UTC minute. */
const formattedMinutes = new Map<string, string>();

/** "Mon 3 Mar 09:00 UTC" in the given timezone. */
export function formatDateTime(at: Date, timezone = 'UTC'): string {
  let f = dateTimeFormats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    dateTimeFormats.set(timezone, f);
  }
  // formatToParts is slow (tens of µs) and every card shows its time: keep recent minutes' text.
  // Time zone offsets are whole minutes, so the UTC minute decides the text.
  const key = `${timezone} ${Math.floor(at.getTime() / 60_000)}`;
  const known = formattedMinutes.get(key);
  if (known !== undefined) return known;
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const text = `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute} ${p.timeZoneName}`;
  if (formattedMinutes.size >= 5000) formattedMinutes.clear();
  formattedMinutes.set(key, text);
  return text;
}

/** "3 Mar" (for score histories). */
export function formatShortDate(at: Date, timezone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, day: 'numeric', month: 'short' }).format(at);
}

/** The SLA line of an open or claimed item: "due in 23 h", "overdue by 2 h", "snoozed until …". */
export function slaText(
  item: Pick<FeedbackItem, 'status' | 'dueAt' | 'snoozedUntil'>,
  now: Date,
  timezone = 'UTC',
): string {
  if (item.status === 'resolved') return 'resolved';
  if (isSnoozed(item, now) && item.snoozedUntil) {
    return `snoozed until ${formatDateTime(item.snoozedUntil, timezone)}`;
  }
  return dueIn(item.dueAt, now);
}

export function npsCategory(score: number): 'Promoter' | 'Passive' | 'Detractor' {
  if (score >= 9) return 'Promoter';
  if (score >= 7) return 'Passive';
  return 'Detractor';
}

const kindNames: Record<FeedbackKind, string> = {
  nps: 'NPS',
  csat: 'CSAT',
  ces: 'CES',
  comment: 'Comment',
  conversation_note: 'Conversation note',
  review: 'Review',
};

/** "NPS 3 · Detractor", "CSAT 5/5", "CES 6/7", "Comment". Plain text. */
export function scoreBadge(item: Pick<FeedbackItem, 'kind' | 'score'>): string {
  const name = kindNames[item.kind];
  if (item.score === null) return name;
  switch (item.kind) {
    case 'nps':
      return `NPS ${item.score} · ${npsCategory(item.score)}`;
    case 'csat':
    case 'review':
      return `${name} ${item.score}/5`;
    case 'ces':
      return `CES ${item.score}/7`;
    default:
      return `${name} ${item.score}`;
  }
}

/** Short score for histories: "3", "5/5", "6/7". */
export function scoreValue(item: Pick<FeedbackItem, 'kind' | 'score'>): string {
  if (item.score === null) return '–';
  if (item.kind === 'csat' || item.kind === 'review') return `${item.score}/5`;
  if (item.kind === 'ces') return `${item.score}/7`;
  return String(item.score);
}

export function kindName(kind: FeedbackKind): string {
  return kindNames[kind];
}

type CustomerLike = Pick<Customer, 'name' | 'email' | 'company' | 'segment' | 'tier'>;

/** The customer's name, else email, else null. */
export function customerName(customer: CustomerLike | null): string | null {
  return customer?.name?.trim() || customer?.email?.trim() || null;
}

/** The parts describing a customer: name · company · segment · tier (plain text, may be empty). */
export function customerParts(customer: CustomerLike | null): string[] {
  if (!customer) return [];
  const name = customerName(customer);
  return [name, customer.company, customer.segment, customer.tier]
    .map((p) => p?.trim())
    .filter((p): p is string => !!p);
}

/** Plain text: "Jane Doe · Acme · Enterprise" or "unknown customer". */
export function customerLabel(customer: CustomerLike | null): string {
  const parts = customerParts(customer);
  return parts.length > 0 ? parts.join(' · ') : 'unknown customer';
}

/** Markup: "*Jane Doe* · Acme · Enterprise" with every value literal, or "_unknown customer_". */
export function customerMarkup(customer: CustomerLike | null): string {
  const parts = customerParts(customer);
  if (parts.length === 0) return '_unknown customer_';
  const [first, ...rest] = parts;
  return [`*${plain(first!)}*`, ...rest.map(plain)].join(' · ');
}

/** Markup for a person's name (literal: display names are user input). */
export function personMarkup(person: Pick<Person, 'displayName'> | null, fallback = 'someone'): string {
  return person ? `*${plain(person.displayName)}*` : fallback;
}

/** Collapses whitespace and cuts at `max` characters with an ellipsis. */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** A one-section message for ephemeral notices ("Only @Ana (who claimed it) …"). */
export function noticeMessage(text: string): Message {
  return { text, blocks: [{ type: 'section', text: plain(text) }] };
}
