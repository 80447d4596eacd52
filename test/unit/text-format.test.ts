import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/core/messages/text.ts';

describe('formatDateTime', () => {
  it('writes the minute in the given time zone, the same text for every second of it', () => {
    expect(formatDateTime(new Date('2026-03-02T09:00:05Z'))).toBe('Mon 2 Mar 09:00 UTC');
    expect(formatDateTime(new Date('2026-03-02T09:00:59Z'))).toBe('Mon 2 Mar 09:00 UTC');
    expect(formatDateTime(new Date('2026-03-02T09:01:00Z'))).toBe('Mon 2 Mar 09:01 UTC');
  });

  it('keeps time zones apart, half-hour offsets included', () => {
    const at = new Date('2026-03-02T23:45:00Z');
    expect(formatDateTime(at, 'Europe/Berlin')).toBe('Tue 3 Mar 00:45 CET');
    expect(formatDateTime(at, 'Asia/Kolkata')).toBe('Tue 3 Mar 05:15 GMT+5:30');
    expect(formatDateTime(at, 'UTC')).toBe('Mon 2 Mar 23:45 UTC');
  });

  it('refuses an invalid date instead of remembering it', () => {
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
