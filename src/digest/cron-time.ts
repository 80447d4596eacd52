// Cron + IANA time zone → fire times, with cron-parser (DST-aware). Validation for schedules.
import { CronExpressionParser } from 'cron-parser';
import { ValidationError } from '../core/errors.ts';
import { normalizeCron, scheduleRefusal } from '../core/digest/schedule-rules.ts';
import { isValidTimeZone } from '../core/time/zoned-time.ts';

/** Validates and normalises a digest schedule; throws ValidationError with a message for people. */
export function checkSchedule(cronInput: string, timeZone: string): { cron: string; timeZone: string } {
  if (!isValidTimeZone(timeZone)) {
    throw new ValidationError(`"${timeZone}" is not a time zone I know. Use an IANA name such as Europe/Berlin.`, [
      { path: 'timezone', message: 'must be an IANA time zone' },
    ]);
  }
  const cron = normalizeCron(cronInput);
  const fieldCount = cron.split(' ').length;
  let fields: { seconds: number[]; minutes: number[]; hours: number[] };
  try {
    if (!cron.startsWith('@') && fieldCount !== 5 && fieldCount !== 6) throw new Error('expected 5 fields');
    const parsed = CronExpressionParser.parse(cron, { tz: timeZone });
    fields = {
      seconds: [...parsed.fields.second.values] as number[],
      minutes: [...parsed.fields.minute.values] as number[],
      hours: [...parsed.fields.hour.values] as number[],
    };
  } catch (error) {
    throw new ValidationError(
      `"${cronInput}" is not a schedule I understand (${(error as Error).message}). ` +
        'Use a time like `09:00`, `weekdays 09:00`, or cron such as `0 9 * * 1-5`.',
      [{ path: 'cron', message: 'must be a 5-field cron expression or HH:MM' }],
    );
  }
  const refusal = scheduleRefusal(fields);
  if (refusal) throw new ValidationError(refusal, [{ path: 'cron', message: refusal }]);
  return { cron, timeZone };
}

/** The most recent fire time at or before `now`, in UTC; null if the cron never fired. */
export function lastFireAtOrBefore(cron: string, timeZone: string, now: Date): Date | null {
  // prev() is exclusive of currentDate: look from 1 ms later so a fire exactly at `now` counts.
  const expr = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(now.getTime() + 1) });
  try {
    return expr.prev().toDate();
  } catch {
    return null; // no fire time in range (e.g. 30 February)
  }
}

/** The next fire time after `now` (for "next digest: Tue 09:00" replies). */
export function nextFireAfter(cron: string, timeZone: string, now: Date): Date | null {
  const expr = CronExpressionParser.parse(cron, { tz: timeZone, currentDate: now });
  try {
    return expr.next().toDate();
  } catch {
    return null;
  }
}
