// The SLA clock of one cycle (an item's arrival, or a reopen): when it is due, when its claimer is
// reminded (75% of the window), when an unclaimed item is escalated. Wall-clock hours by default;
// a route with business hours counts working time only. Pure: the start instant is passed in.
import { addBusinessHours, type BusinessCalendar } from './business-hours.ts';
import { computeDueAt } from './due.ts';

/** The reminder goes when this share of the window has passed. */
export const REMINDER_SHARE = 0.75;

export type SlaTerms = { slaHours: number; escalationHours: number; calendar: BusinessCalendar | null };
export type SlaPlan = { dueAt: Date; remindAt: Date; escalateAt: Date };

/** `hours` after `from`, in working time when there is a calendar. */
export function addSlaHours(from: Date, hours: number, calendar: BusinessCalendar | null): Date {
  return calendar ? addBusinessHours(from, hours, calendar) : computeDueAt(from, hours);
}

export function planSla(start: Date, terms: SlaTerms): SlaPlan {
  return {
    dueAt: addSlaHours(start, terms.slaHours, terms.calendar),
    remindAt: addSlaHours(start, terms.slaHours * REMINDER_SHARE, terms.calendar),
    escalateAt: addSlaHours(start, terms.escalationHours, terms.calendar),
  };
}
