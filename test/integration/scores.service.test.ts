import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemSeed } from '../helpers/scores-fixtures.ts';
import { makeCustomer, makeItems, makeWorkspace } from '../helpers/scores-fixtures.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { createScoresService } from '../../src/scores/scores.service.ts';

const NOW = new Date('2026-03-31T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// 30d: current = [2026-03-01T12:00Z, NOW), previous = [2026-01-30T12:00Z, 2026-03-01T12:00Z)
const inCurrent = (i: number) => new Date(NOW.getTime() - DAY - i * HOUR);
const inPrevious = (i: number) => new Date(NOW.getTime() - 40 * DAY - i * HOUR);

/*
 * The fixed dataset, checked by hand:
 *
 * NPS, current: 20 responses = 10 promoters (web), 6 passives + 4 detractors (app).
 *   p = 10/20 = .5, d = 4/20 = .2 → NPS = 50 − 20 = +30
 *   MoE = 1.96 × 100 × √((.5 + .2 − (.5 − .2)²) / 20) = 196 × √(.61 / 20) = 196 × √.0305
 *       = 196 × .174642 = 34.23
 * NPS, previous: 10 = 4 promoters, 2 passives, 4 detractors → p = d = .4 → NPS 0
 *   MoE = 196 × √((.8 − 0) / 10) = 196 × .282843 = 55.44; change = +30
 * CSAT, current: [5,5,4,4,4,3,2,1] → 5 of 8 satisfied = 62.5 %
 *   MoE = 196 × √(.625 × .375 / 8) = 196 × √.029296875 = 196 × .171163 = 33.55; no previous → change null
 * CES, current: [7,6,5,3,1] → 3 of 5 easy = 60 %, mean 22 / 5 = 4.4
 *   MoE = 196 × √(.6 × .4 / 5) = 196 × √.048 = 196 × .219089 = 42.94
 * Volume: current 20 + 8 + 5 + 2 comments + 3 (A, B, C below) = 38; previous 10 + 1 ("D") = 11
 * SLA (items received in the current window):
 *   A claimed after 30 min, resolved after 2 h (due 24 h) → within SLA
 *   B claimed after 90 min, resolved after 30 h → late
 *   C claimed after 60 min, not resolved
 *   median claim = median(30, 90, 60) = 60 min; median resolve = (120 + 1800) / 2 = 960 min
 *   resolved 2, within SLA 1 → 50 %
 * Root causes (resolved in the current window): Billing ×2 (A, B), Onboarding ×1 (D, received earlier)
 */
async function seed(db: TestDb['db'], ws: string) {
  const enterprise = await makeCustomer(db, ws, { name: 'Ada', segment: 'Enterprise' });
  const smb = await makeCustomer(db, ws, { name: 'Bob', segment: 'SMB' });
  const seeds: ItemSeed[] = [];
  const nps = (score: number, i: number, touchpoint: string, customerId: string): ItemSeed => ({
    kind: 'nps',
    score,
    receivedAt: inCurrent(i),
    touchpoint,
    customerId,
  });
  seeds.push(...[9, 10, 9, 10, 9, 10, 9, 10, 9, 10].map((s, i) => nps(s, i, 'web', enterprise)));
  seeds.push(...[7, 8, 7, 8, 7, 8, 0, 3, 5, 6].map((s, i) => nps(s, i + 10, 'app', smb)));
  seeds.push(
    ...[5, 5, 4, 4, 4, 3, 2, 1].map(
      (s, i): ItemSeed => ({ kind: 'csat', score: s, receivedAt: inCurrent(i), touchpoint: 'support', customerId: smb }),
    ),
  );
  seeds.push(
    ...[7, 6, 5, 3, 1].map(
      (s, i): ItemSeed => ({ kind: 'ces', score: s, receivedAt: inCurrent(i), touchpoint: 'support', customerId: smb }),
    ),
  );
  seeds.push({ kind: 'comment', comment: 'hello', receivedAt: inCurrent(1) });
  seeds.push({ kind: 'comment', comment: 'again', receivedAt: inCurrent(2) });
  seeds.push(...[9, 10, 9, 10, 7, 8, 1, 2, 3, 4].map((s, i): ItemSeed => ({ kind: 'nps', score: s, receivedAt: inPrevious(i) })));
  // Outside both windows: ignored.
  seeds.push({ kind: 'nps', score: 0, receivedAt: new Date(NOW.getTime() - 80 * DAY) });
  seeds.push({ kind: 'nps', score: 0, receivedAt: new Date(NOW.getTime() + HOUR) });
  await makeItems(db, ws, seeds);

  const t0 = inCurrent(30);
  await makeItems(db, ws, [
    {
      kind: 'comment',
      receivedAt: t0,
      claimedAt: new Date(t0.getTime() + 30 * MIN),
      resolvedAt: new Date(t0.getTime() + 2 * HOUR),
      rootCause: 'Billing',
    },
    {
      kind: 'comment',
      receivedAt: t0,
      claimedAt: new Date(t0.getTime() + 90 * MIN),
      resolvedAt: new Date(t0.getTime() + 30 * HOUR),
      rootCause: 'Billing',
    },
    { kind: 'comment', receivedAt: t0, claimedAt: new Date(t0.getTime() + 60 * MIN) },
    { kind: 'comment', receivedAt: inPrevious(1), resolvedAt: inCurrent(1), rootCause: 'Onboarding' },
  ]);
}

describe('scores service', () => {
  let tdb: TestDb;
  let ws: string;
  const service = () => createScoresService({ db: tdb.db, clock: { now: () => NOW } });

  beforeAll(async () => {
    tdb = await getTestDb();
  });
  beforeEach(async () => {
    await tdb.reset();
    ws = await makeWorkspace(tdb.db);
    await seed(tdb.db, ws);
  });
  afterAll(async () => {
    await tdb.close();
  });

  it('computes NPS, CSAT and CES with n, margins and change', async () => {
    const r = await service().getScores(ws, { period: '30d' });
    expect(r.nps.current).toMatchObject({ n: 20, value: 30, lowSample: true });
    expect(r.nps.current!.moe).toBeCloseTo(34.23, 2);
    expect(r.nps.previous).toMatchObject({ n: 10, value: 0 });
    expect(r.nps.previous!.moe).toBeCloseTo(55.44, 2);
    expect(r.nps.change).toBe(30);
    expect(r.csat.current).toMatchObject({ n: 8, value: 62.5 });
    expect(r.csat.current!.moe).toBeCloseTo(33.55, 2);
    expect(r.csat.previous).toBeNull();
    expect(r.csat.change).toBeNull();
    expect(r.ces.current).toMatchObject({ n: 5, value: 60, mean: 4.4 });
    expect(r.ces.current!.moe).toBeCloseTo(42.94, 2);
  });

  it('counts volume, SLA figures and top root causes', async () => {
    const r = await service().getScores(ws, { period: '30d' });
    expect(r.volume.current).toBe(38);
    expect(r.volume.previous).toBe(11);
    expect(r.sla).toEqual({
      items: 38,
      medianClaimMinutes: 60,
      medianResolveMinutes: 960,
      resolved: 2,
      resolvedWithinSla: 1,
      withinSlaShare: 50,
    });
    expect(r.rootCauses).toEqual([
      { rootCause: 'Billing', count: 2 },
      { rootCause: 'Onboarding', count: 1 },
    ]);
  });

  it('breaks down by touchpoint and by segment', async () => {
    const byTouchpoint = await service().getScores(ws, { period: '30d', by: 'touchpoint' });
    const rows = byTouchpoint.breakdown!.rows;
    // Biggest first, ties by name; items without a touchpoint are a group of their own.
    expect(rows.map((r) => [r.key, r.volume])).toEqual([
      ['support', 13],
      ['app', 10],
      ['web', 10],
      [null, 5],
    ]);
    const web = rows.find((r) => r.key === 'web')!;
    expect(web.nps).toMatchObject({ n: 10, value: 100, moe: 0 });
    const app = rows.find((r) => r.key === 'app')!;
    // p = 0, d = .4: 196 × √((.4 − .16) / 10) = 196 × .154919 = 30.36
    expect(app.nps!.value).toBe(-40);
    expect(app.nps!.moe).toBeCloseTo(30.36, 2);
    expect(rows.find((r) => r.key === 'support')!.csat).toMatchObject({ n: 8, value: 62.5 });

    const bySegment = await service().getScores(ws, { period: '30d', by: 'segment' });
    const seg = Object.fromEntries(bySegment.breakdown!.rows.map((r) => [r.key ?? 'none', r.volume]));
    expect(seg).toEqual({ Enterprise: 10, SMB: 23, none: 5 });
    expect(bySegment.breakdown!.more).toBe(0);
  });

  it('uses the requester time zone for quarter and year to date', async () => {
    const r = await service().getScores(ws, { period: 'qtd', timeZone: 'America/New_York' });
    // Q1 2026 starts 2026-01-01 00:00 in New York = 05:00 UTC
    expect(r.windows.current.start.toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(r.windows.previous.end.toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(r.nps.current!.n).toBe(31);
    await expect(service().getScores(ws, { period: '7d', timeZone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
  });

  it('returns an empty result for a workspace without feedback', async () => {
    const other = await makeWorkspace(tdb.db, 'Empty');
    const r = await service().getScores(other, { period: '7d', by: 'route' });
    expect(r.nps).toEqual({ current: null, previous: null, change: null });
    expect(r.volume).toEqual({ current: 0, previous: 0, changePercent: null });
    expect(r.sla.medianClaimMinutes).toBeNull();
    expect(r.breakdown).toEqual({ by: 'route', rows: [], more: 0 });
  });

  it('builds a 12-week NPS trend with empty weeks', async () => {
    const weeks = await service().npsTrend(ws, { timeZone: 'Europe/Berlin' });
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)!.weekStart).toBe('2026-03-30');
    // The first week starts Mon 12 Jan: the response of 10 Jan is older.
    expect(weeks[0]!.weekStart).toBe('2026-01-12');
    expect(weeks.reduce((s, w) => s + w.n, 0)).toBe(30);
    expect(weeks.some((w) => w.nps === null && w.n === 0)).toBe(true);
  });
});
