import { describe, expect, it } from 'vitest';
import { computeDueAt } from '../../src/core/sla/due.ts';

describe('computeDueAt', () => {
  const now = new Date('2025-03-01T10:00:00.000Z');

  it('adds the SLA hours to the arrival time', () => {
    expect(computeDueAt(now, 24).toISOString()).toBe('2025-03-02T10:00:00.000Z');
    expect(computeDueAt(now, 1.5).toISOString()).toBe('2025-03-01T11:30:00.000Z');
  });

  it('counts from arrival, so a backfilled response is not born overdue', () => {
    // The caller passes "now", never the survey's received_at.
    expect(computeDueAt(now, 24).getTime()).toBeGreaterThan(now.getTime());
  });

  it('does not mutate its input', () => {
    computeDueAt(now, 8);
    expect(now.toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects slaHours = %s', (hours) => {
    expect(() => computeDueAt(now, hours)).toThrow(RangeError);
  });
});
