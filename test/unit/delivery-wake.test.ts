import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesce } from '../../src/delivery/wake.ts';

describe('coalesce (waking the worker process after commits)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once, then once per interval for a burst, never dropping the last call', () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const wake = coalesce(() => calls.push(Date.now()), 25);
    const t0 = Date.now();
    wake(); // at once
    wake();
    wake(); // these two: one call at the end of the interval
    expect(calls.map((t) => t - t0)).toEqual([0]);
    vi.advanceTimersByTime(25);
    expect(calls.map((t) => t - t0)).toEqual([0, 25]);
    vi.advanceTimersByTime(100); // quiet: nothing more
    expect(calls).toHaveLength(2);
    wake(); // a new burst starts at once again
    expect(calls).toHaveLength(3);
  });
});
