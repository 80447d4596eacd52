import { describe, expect, it } from 'vitest';
import {
  isSnoozeOption,
  isValidTimezone,
  nextWorkingMorning,
  snoozeUntil,
  zonedTime,
} from '../../src/core/sla/snooze.ts';

const at = (iso: string) => new Date(iso);

describe('snoozeUntil', () => {
  it('adds 1 h and 4 h', () => {
    expect(snoozeUntil('1h', at('2025-03-05T10:00:00Z'))).toEqual(at('2025-03-05T11:00:00Z'));
    expect(snoozeUntil('4h', at('2025-03-05T22:30:00Z'))).toEqual(at('2025-03-06T02:30:00Z'));
  });

  it('morning on a weekday evening is 09:00 the next day', () => {
    // Wednesday 18:00 in Berlin (UTC+1 in March) → Thursday 09:00 Berlin = 08:00 UTC.
    expect(snoozeUntil('morning', at('2025-03-05T17:00:00Z'), 'Europe/Berlin')).toEqual(at('2025-03-06T08:00:00Z'));
  });

  it('Friday evening → Monday 09:00', () => {
    // Friday 7 March 2025, 19:00 in New York (UTC-5) → Monday 10 March 09:00 EDT (DST began 9 March) = 13:00 UTC.
    expect(snoozeUntil('morning', at('2025-03-08T00:00:00Z'), 'America/New_York')).toEqual(
      at('2025-03-10T13:00:00Z'),
    );
    // Same in UTC.
    expect(snoozeUntil('morning', at('2025-03-07T18:00:00Z'), 'UTC')).toEqual(at('2025-03-10T09:00:00Z'));
  });

  it('Saturday and Sunday → Monday 09:00', () => {
    expect(nextWorkingMorning(at('2025-03-08T12:00:00Z'), 'UTC')).toEqual(at('2025-03-10T09:00:00Z'));
    expect(nextWorkingMorning(at('2025-03-09T08:00:00Z'), 'UTC')).toEqual(at('2025-03-10T09:00:00Z'));
  });

  it('early on a weekday → 09:00 the same day', () => {
    expect(nextWorkingMorning(at('2025-03-05T06:30:00Z'), 'UTC')).toEqual(at('2025-03-05T09:00:00Z'));
  });

  it('exactly 09:00 → the next working day', () => {
    expect(nextWorkingMorning(at('2025-03-05T09:00:00Z'), 'UTC')).toEqual(at('2025-03-06T09:00:00Z'));
  });

  it('uses the local date, not the UTC date', () => {
    // Thursday 23:30 UTC is already Friday 08:30 in Tokyo → Friday 09:00 Tokyo = 00:00 UTC.
    expect(nextWorkingMorning(at('2025-03-06T23:30:00Z'), 'Asia/Tokyo')).toEqual(at('2025-03-07T00:00:00Z'));
    // Friday 23:30 UTC is Saturday in Tokyo → Monday 09:00 Tokyo.
    expect(nextWorkingMorning(at('2025-03-07T23:30:00Z'), 'Asia/Tokyo')).toEqual(at('2025-03-10T00:00:00Z'));
  });

  it('handles half-hour offsets', () => {
    expect(nextWorkingMorning(at('2025-03-05T12:00:00Z'), 'Asia/Kolkata')).toEqual(at('2025-03-06T03:30:00Z'));
  });

  it('rejects an unknown timezone', () => {
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidTimezone('Europe/Paris')).toBe(true);
    expect(() => snoozeUntil('morning', at('2025-03-05T12:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedTime', () => {
  it('finds the instant on both sides of a DST change', () => {
    expect(zonedTime({ year: 2025, month: 3, day: 28, hour: 9 }, 'Europe/London')).toEqual(at('2025-03-28T09:00:00Z'));
    expect(zonedTime({ year: 2025, month: 3, day: 31, hour: 9 }, 'Europe/London')).toEqual(at('2025-03-31T08:00:00Z'));
  });
});

describe('isSnoozeOption', () => {
  it('accepts the three options only', () => {
    expect(['1h', '4h', 'morning', '2h', '', null].map(isSnoozeOption)).toEqual([true, true, true, false, false, false]);
  });
});
