// Due time for a new item. The SLA clock starts when the item reaches us, not when the survey
// says it was answered: a backfill of last month's responses must not arrive already overdue.
const HOUR_MS = 3_600_000;

export function computeDueAt(now: Date, slaHours: number): Date {
  if (!Number.isFinite(slaHours) || slaHours <= 0) {
    throw new RangeError(`slaHours must be a positive number of hours, got ${slaHours}`);
  }
  return new Date(now.getTime() + Math.round(slaHours * HOUR_MS));
}
