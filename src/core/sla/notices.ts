// Which SLA notices an item is owed now. Pure; the sweeper (src/sla) asks this under a row lock and
// records each notice once per item, kind and cycle, so asking twice never notifies twice.
//   unclaimed — still open at its escalation time: the champion channel is asked for an owner;
//   reminder  — claimed, 75% of the window gone, not yet due: the claimer is reminded (only when
//               they claimed it before that point: someone who just claimed it needs no reminder);
//   overdue   — past its due time, claimed or not.
// A resolved or snoozed item is owed nothing; a business-hours route's notices wait for working
// time (no reminder at night), and come at the next opening.
import type { FeedbackItem } from '../feedback/item.ts';
import { isSlaActive } from '../feedback/lifecycle.ts';
import { type BusinessCalendar, isBusinessTime } from './business-hours.ts';

export const noticeKinds = ['unclaimed', 'reminder', 'overdue'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export type SlaItem = Pick<FeedbackItem, 'status' | 'snoozedUntil' | 'dueAt' | 'remindAt' | 'escalateAt' | 'claimedAt' | 'claimedById'>;

export function noticesDue(item: SlaItem, now: Date, calendar: BusinessCalendar | null, sent: readonly NoticeKind[] = []): NoticeKind[] {
  if (!isSlaActive(item, now)) return [];
  if (calendar && !isBusinessTime(now, calendar)) return [];
  const t = now.getTime();
  const due: NoticeKind[] = [];
  if (item.status === 'open' && item.escalateAt.getTime() <= t) due.push('unclaimed');
  if (
    item.status === 'claimed' &&
    item.claimedById !== null &&
    item.remindAt.getTime() <= t &&
    t < item.dueAt.getTime() &&
    (item.claimedAt?.getTime() ?? Number.POSITIVE_INFINITY) <= item.remindAt.getTime()
  ) {
    due.push('reminder');
  }
  if (item.dueAt.getTime() <= t) due.push('overdue');
  return due.filter((k) => !sent.includes(k));
}
