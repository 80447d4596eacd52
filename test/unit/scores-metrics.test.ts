import { describe, expect, it } from 'vitest';
import { arrow, clip, formatMinutes, signed } from '../../src/core/scores/format.ts';
import {
  cesEstimate,
  compare,
  csatEstimate,
  npsEstimate,
  percentChange,
  sentimentOf,
} from '../../src/core/scores/metrics.ts';
import { periodWindows } from '../../src/core/scores/period.ts';
import { localDate, shortLocalDay, zonedTimeToUtc } from '../../src/core/time/zoned-time.ts';

describe('NPS', () => {
  it('matches the PLATFORM.md examples: p=.5, d=.2 → ±28 at n=30, ±15 at n=100', () => {
    // n=30: 1.96 × 100 × √((.5 + .2 − .3²) / 30) = 196 × √(.61 / 30) = 196 × .142595 = 27.95
    const at30 = npsEstimate({ n: 30, promoters: 15, detractors: 6 })!;
    expect(at30.value).toBeCloseTo(30, 10);
    expect(at30.moe).toBeCloseTo(27.95, 2);
    expect(Math.round(at30.moe)).toBe(28);
    expect(at30.lowSample).toBe(false);
    // n=100: 196 × √(.61 / 100) = 196 × .078102 = 15.31
    const at100 = npsEstimate({ n: 100, promoters: 50, detractors: 20 })!;
    expect(at100.moe).toBeCloseTo(15.31, 2);
    expect(Math.round(at100.moe)).toBe(15);
  });

  it('flags n < 30, handles extremes and empty input', () => {
    expect(npsEstimate({ n: 29, promoters: 10, detractors: 10 })!.lowSample).toBe(true);
    expect(npsEstimate({ n: 10, promoters: 10, detractors: 0 })).toEqual({ value: 100, moe: 0, n: 10, lowSample: true });
    expect(npsEstimate({ n: 4, promoters: 0, detractors: 4 })!.value).toBe(-100);
    expect(npsEstimate({ n: 0, promoters: 0, detractors: 0 })).toBeNull();
  });
});

describe('CSAT and CES', () => {
  it('CSAT is the share of 4s and 5s with the MoE of a proportion', () => {
    // 40 of 50: p = .8 → 1.96 × 100 × √(.8 × .2 / 50) = 196 × √.0032 = 196 × .056569 = 11.09
    const e = csatEstimate({ n: 50, satisfied: 40 })!;
    expect(e.value).toBe(80);
    expect(e.moe).toBeCloseTo(11.09, 2);
    expect(e.lowSample).toBe(false);
  });

  it('CES is the share of 5–7 plus the mean', () => {
    // scores 7,6,5,4,2: easy 3 of 5 = 60 %; mean 24 / 5 = 4.8; MoE 196 × √(.24 / 5) = 42.94
    const e = cesEstimate({ n: 5, easy: 3, sum: 24 })!;
    expect(e).toMatchObject({ value: 60, mean: 4.8, n: 5, lowSample: true });
    expect(e.moe).toBeCloseTo(42.94, 2);
    expect(cesEstimate({ n: 0, easy: 0, sum: 0 })).toBeNull();
  });

  it('compares with the previous period and classifies single responses', () => {
    const now = npsEstimate({ n: 40, promoters: 20, detractors: 8 });
    const before = npsEstimate({ n: 40, promoters: 16, detractors: 8 });
    expect(compare(now, before).change).toBeCloseTo(10, 10);
    expect(compare(now, null).change).toBeNull();
    expect(percentChange(30, 20)).toBe(50);
    expect(percentChange(5, 0)).toBeNull();
    expect([sentimentOf('nps', 9), sentimentOf('nps', 7), sentimentOf('nps', 6)]).toEqual(['good', 'neutral', 'bad']);
    expect([sentimentOf('csat', 4), sentimentOf('ces', 3), sentimentOf('comment', 1)]).toEqual(['good', 'bad', 'neutral']);
  });
});

describe('formatting', () => {
  it('signs, arrows, durations and clipping', () => {
    expect([signed(31.6), signed(-4.2), signed(0.3)]).toEqual(['+32', '-4', '0']);
    expect([arrow(5.4), arrow(-3), arrow(0.2), arrow(null)]).toEqual(['▲ 5', '▼ 3', '→ 0', 'no previous data']);
    expect([formatMinutes(45), formatMinutes(130), formatMinutes(1620), formatMinutes(2870), formatMinutes(null)]).toEqual([
      '45 min',
      '2 h 10 min',
      '1 d 3 h',
      '2 d',
      '—',
    ]);
    expect(clip('a  b\n c', 10)).toBe('a b c');
    expect(clip('abcdefghijk', 5)).toBe('abcd…');
  });
});

describe('periods and time zones', () => {
  const now = new Date('2026-05-15T10:00:00Z');

  it('rolling periods end now and the previous period has the same length', () => {
    const w = periodWindows('7d', now, 'UTC');
    expect(w.current.start.toISOString()).toBe('2026-05-08T10:00:00.000Z');
    expect(w.previous).toEqual({ start: new Date('2026-05-01T10:00:00Z'), end: w.current.start });
  });

  it('quarter and year to date start at local midnight in the requester time zone', () => {
    const qtd = periodWindows('qtd', now, 'Europe/Berlin');
    // 1 April 00:00 CEST = 31 March 22:00 UTC
    expect(qtd.current.start.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    const length = now.getTime() - qtd.current.start.getTime();
    expect(qtd.previous.start.getTime()).toBe(qtd.current.start.getTime() - length);
    const ytd = periodWindows('ytd', now, 'Asia/Tokyo');
    expect(ytd.current.start.toISOString()).toBe('2025-12-31T15:00:00.000Z');
    // 31 Dec 23:30 in New York is still last year's Q4 there (already 1 Jan in UTC).
    const nyEve = periodWindows('qtd', new Date('2027-01-01T04:30:00Z'), 'America/New_York');
    expect(nyEve.current.start.toISOString()).toBe('2026-10-01T04:00:00.000Z');
  });

  it('converts wall-clock times across DST transitions', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 3, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 02:30 does not exist that night: shifted forward by the one-hour gap.
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(zonedTimeToUtc({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2026-10-24T23:30:00.000Z',
    );
    expect(localDate(new Date('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(shortLocalDay(new Date('2026-11-24T08:00:00Z'), 'Europe/Berlin')).toBe('Tue 24 Nov');
  });
});
