// The SLA clock of a cycle (planSla) and which notices an item is owed at a given instant.
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../src/core/sla/business-hours.ts';
import { type NoticeKind, noticesDue, type SlaItem } from '../../src/core/sla/notices.ts';
import { addSlaHours, planSla } from '../../src/core/sla/sla-plan.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-12-07T08:00:00Z'); // Monday 09:00 in Paris
const plus = (h: number) => new Date(T0.getTime() + h * HOUR);
const paris: BusinessCalendar = { timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };

describe('planSla', () => {
  it('wall-clock: due after the SLA, reminder at 75%, escalation after the unclaimed window', () => {
    expect(planSla(T0, { slaHours: 24, escalationHours: 2, calendar: null })).toEqual({ dueAt: plus(24), remindAt: plus(18), escalateAt: plus(2) });
    expect(planSla(T0, { slaHours: 0.5, escalationHours: 0.25, calendar: null })).toEqual({
      dueAt: plus(0.5),
      remindAt: plus(0.375),
      escalateAt: plus(0.25),
    });
  });

  it('business hours: each point counted in working time', () => {
    // 24 working hours from Monday 09:00 → Wednesday 17:00; 18 h → Wednesday 11:00; 2 h → Monday 11:00.
    expect(planSla(T0, { slaHours: 24, escalationHours: 2, calendar: paris })).toEqual({
      dueAt: new Date('2026-12-09T16:00:00Z'),
      remindAt: new Date('2026-12-09T10:00:00Z'),
      escalateAt: new Date('2026-12-07T10:00:00Z'),
    });
  });

  it('addSlaHours without a calendar is plain hours', () => {
    expect(addSlaHours(T0, 4, null)).toEqual(plus(4));
    expect(() => addSlaHours(T0, 0, null)).toThrow(RangeError);
  });
});

const item = (over: Partial<SlaItem> = {}): SlaItem => ({
  status: 'open',
  snoozedUntil: null,
  dueAt: plus(24),
  remindAt: plus(18),
  escalateAt: plus(2),
  claimedAt: null,
  claimedById: null,
  ...over,
});
const claimed = (over: Partial<SlaItem> = {}) => item({ status: 'claimed', claimedAt: plus(1), claimedById: 'p-1', ...over });

describe('noticesDue', () => {
  it.each<[string, SlaItem, number, NoticeKind[]]>([
    ['open, before escalation', item(), 1.9, []],
    ['open at the escalation time', item(), 2, ['unclaimed']],
    ['open past due: unclaimed and overdue', item(), 25, ['unclaimed', 'overdue']],
    ['claimed before the reminder point, at 75%', claimed(), 18, ['reminder']],
    ['claimed, before 75%', claimed(), 17.9, []],
    ['claimed after the reminder point: no reminder', claimed({ claimedAt: plus(19) }), 20, []],
    ['claimed, at the due time: overdue, no late reminder', claimed(), 24, ['overdue']],
    ['claimed items are never "unclaimed"', claimed(), 3, []],
    ['resolved: nothing, even long overdue', item({ status: 'resolved' }), 100, []],
    ['snoozed: the clock is paused', claimed({ snoozedUntil: plus(30) }), 25, []],
    ['snooze over: notices resume', claimed({ snoozedUntil: plus(20), dueAt: plus(28), remindAt: plus(22) }), 22, ['reminder']],
  ])('%s', (_what, it_, hours, expected) => {
    expect(noticesDue(it_, plus(hours), null)).toEqual(expected);
  });

  it('a notice already sent this cycle is not owed again', () => {
    expect(noticesDue(item(), plus(25), null, ['unclaimed'])).toEqual(['overdue']);
    expect(noticesDue(claimed(), plus(18), null, ['reminder'])).toEqual([]);
  });

  it('a business-hours route is quiet outside working time and speaks at the next opening', () => {
    // Escalation due Monday 18:00 Paris time (after closing): nothing at night, nothing at the weekend.
    const late = item({ escalateAt: new Date('2026-12-07T17:00:00Z'), dueAt: new Date('2026-12-09T16:00:00Z') });
    expect(noticesDue(late, new Date('2026-12-07T22:00:00Z'), paris)).toEqual([]); // Monday 23:00
    expect(noticesDue(late, new Date('2026-12-12T10:00:00Z'), paris)).toEqual([]); // Saturday
    expect(noticesDue(late, new Date('2026-12-08T08:00:00Z'), paris)).toEqual(['unclaimed']); // Tuesday 09:00
  });
});
