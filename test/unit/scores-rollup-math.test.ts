// Pure helpers of the rollup-backed scores: window planning, tallies, exact medians.
import { describe, expect, it } from 'vitest';
import { interpolate, medianRanks } from '../../src/core/scores/median.ts';
import { planWindow } from '../../src/core/scores/rollup-plan.ts';
import { tally } from '../../src/core/scores/tally.ts';

const d = (iso: string) => new Date(iso);

describe('planWindow', () => {
  it('reads whole UTC days from the rollup and the partial days from the items', () => {
    expect(planWindow({ start: d('2026-05-02T08:00:00Z'), end: d('2026-06-01T08:00:00Z') })).toEqual({
      days: { from: '2026-05-03', to: '2026-06-01' },
      edges: [
        { start: d('2026-05-02T08:00:00Z'), end: d('2026-05-03T00:00:00Z') },
        { start: d('2026-06-01T00:00:00Z'), end: d('2026-06-01T08:00:00Z') },
      ],
    });
  });

  it('has no edges on midnights, and no days inside one day or across one midnight', () => {
    expect(planWindow({ start: d('2026-05-01T00:00:00Z'), end: d('2026-05-03T00:00:00Z') })).toEqual({
      days: { from: '2026-05-01', to: '2026-05-03' },
      edges: [],
    });
    const short = { start: d('2026-05-01T22:00:00Z'), end: d('2026-05-02T03:00:00Z') };
    expect(planWindow(short)).toEqual({ days: null, edges: [short] });
    expect(planWindow({ start: short.end, end: short.end })).toEqual({ days: null, edges: [] });
  });
});

describe('tally', () => {
  it('turns counts per kind and score into NPS, CSAT, CES, volume and SLA counts', () => {
    const row = (kind: string, score: number | null, items: number, resolved = 0, resolvedInSla = 0) => ({
      kind,
      score,
      items,
      resolved,
      resolvedInSla,
    });
    expect(
      tally([row('nps', 10, 3, 2, 1), row('nps', 7, 2), row('nps', 6, 1), row('csat', 4, 2), row('csat', 3, 1), row('ces', 5, 2), row('ces', 2, 1), row('comment', null, 4, 4, 4)]),
    ).toEqual({
      volume: 16,
      resolved: 6,
      resolvedInSla: 5,
      nps: { n: 6, promoters: 3, detractors: 1 },
      csat: { n: 3, satisfied: 2 },
      ces: { n: 3, easy: 2, sum: 12 },
    });
  });
});

describe('exact median', () => {
  it('uses the ranks percentile_cont(0.5) interpolates between', () => {
    expect(medianRanks(5)).toEqual({ lo: 2, hi: 2, proportion: 0 });
    expect(medianRanks(4)).toEqual({ lo: 1, hi: 2, proportion: 0.5 });
    expect(medianRanks(1)).toEqual({ lo: 0, hi: 0, proportion: 0 });
  });

  it('interpolates in the same steps as Postgres', () => {
    expect(interpolate(120, 1800, 0.5)).toBe(960);
    expect(interpolate(0.1, 0.7, 0.5)).toBe(0.1 + 0.5 * (0.7 - 0.1));
    expect(interpolate(3, 9, 0)).toBe(3);
  });
});
