// Exactly-once digests: three scheduler instances share one database and tick interleaved (and
// concurrently) through 30 simulated days that include DST transitions.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryJob } from '../../src/core/ports.ts';
import { localDate, shortLocalDay, zonedTimeToUtc } from '../../src/core/time/zoned-time.ts';
import { type DbHandle, openDb } from '../../src/db/client.ts';
import { digestRuns, outbox } from '../../src/db/schema/index.ts';
import { createDigestService } from '../../src/digest/digest.service.ts';
import { createScheduleService, type ScheduleService } from '../../src/digest/schedule.service.ts';
import { makeWorkspace } from '../helpers/scores-fixtures.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let tdb: TestDb;
let handles: DbHandle[];
let ws: string;
const sim = { now: new Date(0) };
const clock = { now: () => sim.now };

function instance(handle: DbHandle, graceMinutes = 120): ScheduleService {
  return createScheduleService({
    db: handle.db,
    clock,
    digests: createDigestService({ db: handle.db, clock }),
    graceMinutes,
  });
}

beforeAll(async () => {
  tdb = await getTestDb();
  // Real Postgres: three connection pools, as three processes would have. PGlite: one database.
  handles = tdb.url ? [tdb, await openDb({ url: tdb.url, max: 3 }), await openDb({ url: tdb.url, max: 3 })] : [tdb, tdb, tdb];
});
afterAll(async () => {
  for (const h of handles.slice(1)) if (h !== tdb) await h.close();
  await tdb.close();
});
beforeEach(async () => {
  await tdb.reset();
  ws = await makeWorkspace(tdb.db);
});

/** Runs the three instances from `from` to `to`: each ticks every `step`, offset from the others. */
// (A real tick is every minute; sparser ticks keep 30 days fast and still cross every fire time.)
const TICKS = [0, 41, 83]; // minutes into each 2-hour step
const LAST_TICK = 83 * MIN;
const MAX_DELAY = 42 * MIN; // the longest gap between two ticks

async function simulate(instances: ScheduleService[], from: Date, to: Date) {
  for (let t = from.getTime(); t <= to.getTime(); t += 120 * MIN) {
    const at = (m: number) => new Date(t + m * MIN);
    sim.now = at(0);
    // Two instances tick at the same instant (a race), the others interleave.
    await Promise.all([instances[0]!.runDue(at(TICKS[0]!)), instances[1]!.runDue(at(TICKS[0]!))]);
    await instances[2]!.runDue(at(TICKS[1]!));
    await Promise.all([instances[0]!.runDue(at(TICKS[2]!)), instances[2]!.runDue(at(TICKS[2]!))]);
  }
}

async function digestJobs(channel: string) {
  const rows = await tdb.db.select().from(outbox).where(eq(outbox.destination, `slack:${channel}`));
  return rows.map((r) => r.job as unknown as Extract<DeliveryJob, { type: 'channel.message' }>);
}

type Spec = { channel: string; cron: string; timezone: string; at: [number, number]; weekdays?: boolean };

/** The local dates a schedule should fire on, computed without cron-parser. */
function expectedDates(spec: Spec, from: Date, to: Date): string[] {
  const dates: string[] = [];
  for (let t = from.getTime() - DAY; t <= to.getTime() + DAY; t += DAY) {
    const [y, m, d] = localDate(new Date(t), spec.timezone).split('-').map(Number) as [number, number, number];
    const fire = zonedTimeToUtc({ year: y, month: m, day: d, hour: spec.at[0], minute: spec.at[1] }, spec.timezone);
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (spec.weekdays && (weekday === 0 || weekday === 6)) continue;
    if (fire >= from && fire <= to) dates.push(localDate(fire, spec.timezone));
  }
  return [...new Set(dates)];
}

const SPECS: Spec[] = [
  { channel: 'berlin-0900', cron: '0 9 * * *', timezone: 'Europe/Berlin', at: [9, 0] },
  { channel: 'berlin-0330', cron: '30 3 * * *', timezone: 'Europe/Berlin', at: [3, 30] },
  { channel: 'berlin-0045', cron: '45 0 * * *', timezone: 'Europe/Berlin', at: [0, 45] },
  { channel: 'sydney-0000', cron: '0 0 * * *', timezone: 'Australia/Sydney', at: [0, 0] },
  { channel: 'ny-weekdays', cron: '0 8 * * 1-5', timezone: 'America/New_York', at: [8, 0], weekdays: true },
  { channel: 'ny-2359', cron: '59 23 * * *', timezone: 'America/New_York', at: [23, 59] },
];

describe('runDue across 30 days with three instances', () => {
  it.each([
    // Berlin springs forward 29 Mar; Sydney falls back 5 Apr.
    ['spring', '2026-03-15T00:00:00Z'],
    // Berlin falls back 25 Oct; New York falls back 1 Nov.
    ['autumn', '2026-10-10T00:00:00Z'],
  ])('posts exactly one digest per schedule and local day (%s)', async (_name, start) => {
    const from = new Date(start);
    const to = new Date(from.getTime() + 30 * DAY);
    sim.now = from;
    const instances = handles.map((h) => instance(h));
    for (const spec of SPECS) {
      const r = await instances[0]!.schedule(ws, { platform: 'slack', channel: spec.channel, cron: spec.cron, timezone: spec.timezone });
      expect(r.ok).toBe(true);
    }
    await simulate(instances, from, to);

    for (const spec of SPECS) {
      const expected = expectedDates(spec, from, new Date(to.getTime() + LAST_TICK));
      expect(expected.length).toBeGreaterThanOrEqual(spec.weekdays ? 20 : 29);
      const schedule = (await instances[1]!.listSchedules(ws)).find((s) => s.channel === spec.channel)!;
      const runs = await tdb.db.select().from(digestRuns).where(eq(digestRuns.scheduleId, schedule.id));
      expect(runs.map((r) => r.localDate).sort(), spec.channel).toEqual(expected);
      const jobs = await digestJobs(spec.channel);
      expect(jobs, spec.channel).toHaveLength(expected.length);
      // Each digest is titled with its own local day, once.
      const titles = jobs.map((j) => j.message.blocks[0]);
      const days = expected.map((d) => shortLocalDay(new Date(`${d}T12:00:00Z`), 'UTC'));
      expect(titles.map((b) => (b as { text: string }).text).sort(), spec.channel).toEqual(
        days.map((d) => `Customer first — ${d}`).sort(),
      );
      // Posted promptly: at the first tick after the fire time.
      for (const run of runs) {
        const [y, m, d] = run.localDate.split('-').map(Number) as [number, number, number];
        const fire = zonedTimeToUtc({ year: y, month: m, day: d, hour: spec.at[0], minute: spec.at[1] }, spec.timezone);
        const delay = run.startedAt.getTime() - fire.getTime();
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(MAX_DELAY);
      }
    }
  }, 180_000); // ~2,000 ticks and ~180 digests: tens of seconds on PGlite
});

describe('catch-up after downtime', () => {
  const from = new Date('2026-06-01T00:00:00Z'); // Berlin CEST: 09:00 = 07:00 UTC

  it('posts a missed digest within the grace window, never after it, never twice', async () => {
    sim.now = from;
    const [a, b, c] = handles.map((h) => instance(h, 120)) as [ScheduleService, ScheduleService, ScheduleService];
    await a.schedule(ws, { platform: 'slack', channel: 'C1', cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    const at = (iso: string) => new Date(iso);

    // Day 1: everything is down from 08:00 to 10:30 local; at 10:30 all three come back.
    await a.runDue(at('2026-06-01T06:00:00Z'));
    const back = at('2026-06-01T08:30:00Z');
    const [ra, rb, rc] = await Promise.all([a.runDue(back), b.runDue(back), c.runDue(back)]);
    expect([...ra, ...rb, ...rc]).toHaveLength(1);
    await a.runDue(at('2026-06-01T08:31:00Z'));
    // Day 2: down from 08:00 until 11:30 local: 150 min after the fire time, past the 120 min grace.
    await a.runDue(at('2026-06-02T06:00:00Z'));
    expect(await b.runDue(at('2026-06-02T09:30:00Z'))).toEqual([]);
    expect(await c.runDue(at('2026-06-02T20:00:00Z'))).toEqual([]);
    // Day 3: on time.
    const day3 = await a.runDue(at('2026-06-03T07:00:00Z'));
    expect(day3.map((r) => r.localDate)).toEqual(['2026-06-03']);

    const runs = await tdb.db.select().from(digestRuns).orderBy(digestRuns.localDate);
    expect(runs.map((r) => [r.localDate, r.coveredUntil.toISOString()])).toEqual([
      ['2026-06-01', '2026-06-01T08:30:00.000Z'],
      ['2026-06-03', '2026-06-03T07:00:00.000Z'],
    ]);
    expect(await digestJobs('C1')).toHaveLength(2);
  });

  it('does not post a time that had already passed when the schedule was made', async () => {
    sim.now = new Date('2026-06-01T07:30:00Z'); // 09:30 Berlin
    const a = instance(handles[0]!);
    await a.schedule(ws, { platform: 'slack', channel: 'C1', cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    expect(await a.runDue(new Date('2026-06-01T07:31:00Z'))).toEqual([]);
    expect((await a.runDue(new Date('2026-06-02T07:00:00Z'))).map((r) => r.localDate)).toEqual(['2026-06-02']);
  });

  it('retries on the next tick when composing fails (the run row rolls back)', async () => {
    sim.now = from;
    let failures = 1;
    const real = createDigestService({ db: tdb.db, clock });
    const flaky = createScheduleService({
      db: tdb.db,
      clock,
      digests: {
        compose: async (...args) => {
          if (failures-- > 0) throw new Error('database hiccup');
          return real.compose(...args);
        },
      },
    });
    await flaky.schedule(ws, { platform: 'teams', channel: '19:abc', cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    expect(await flaky.runDue(new Date('2026-06-01T07:00:00Z'))).toEqual([]);
    expect(await tdb.db.select().from(digestRuns)).toHaveLength(0);
    expect(await flaky.runDue(new Date('2026-06-01T07:01:00Z'))).toHaveLength(1);
    expect(await tdb.db.select().from(outbox)).toHaveLength(1);
  });
});

describe('schedules', () => {
  it('refuses 01:00–03:00 local times and bad input with a clear message', async () => {
    sim.now = new Date('2026-06-01T00:00:00Z');
    const s = instance(handles[0]!);
    const base = { platform: 'slack' as const, channel: 'C1', timezone: 'Europe/Berlin' };
    const refused = await s.schedule(ws, { ...base, cron: '30 2 * * *' });
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/02:30 is between 01:00 and 03:00/) });
    expect(await s.schedule(ws, { ...base, cron: '0 1 * * 1-5' })).toMatchObject({ ok: false });
    expect(await s.schedule(ws, { ...base, cron: '0 9 * * *', timezone: 'Nowhere/Land' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/time zone/),
    });
    expect(await s.listSchedules(ws)).toEqual([]);
  });

  it('schedules, lists, reschedules and turns off one digest per channel', async () => {
    sim.now = new Date('2026-06-01T00:00:00Z');
    const s = instance(handles[0]!);
    const ok = await s.schedule(ws, { platform: 'slack', channel: 'C1', cron: 'weekdays 09:00', timezone: 'Europe/Berlin' });
    expect(ok).toMatchObject({ ok: true, schedule: { cron: '0 9 * * 1-5' }, next: new Date('2026-06-01T07:00:00Z') });
    await s.schedule(ws, { platform: 'slack', channel: 'C1', cron: '08:30', timezone: 'Europe/Berlin' });
    await s.schedule(ws, { platform: 'teams', channel: '19:abc', cron: '0 10 * * *', timezone: 'UTC' });
    const rows = await s.listSchedules(ws);
    expect(rows.map((r) => [r.platform, r.channel, r.cron])).toEqual([
      ['slack', 'C1', '30 8 * * *'],
      ['teams', '19:abc', '0 10 * * *'],
    ]);
    expect(JSON.stringify(await s.list(ws))).toContain('next Mon 1 Jun, 08:30');
    expect(await s.off(ws, { platform: 'slack', channel: 'C1' })).toEqual({ removed: true });
    expect(await s.off(ws, { platform: 'slack', channel: 'C1' })).toEqual({ removed: false });
    expect((await s.listSchedules(ws)).map((r) => r.channel)).toEqual(['19:abc']);
    // A schedule that is off never runs.
    expect(await s.runDue(new Date('2026-06-01T06:30:00Z'))).toEqual([]);
  });
});
