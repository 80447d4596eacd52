// The SLA sweeper on a real database with an injected clock: each notice kind, once per cycle;
// snooze, release and reopen; business hours; and three sweepers at once → each notice once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/core/feedback/action-result.ts';
import { createItemActions, type ItemActions } from '../../src/core/feedback/item-actions.ts';
import { defaultTable, type RoutingTable, slaTermsOf } from '../../src/core/routing/match-route.ts';
import { parseRoutes } from '../../src/config/routes-file.ts';
import { type DbHandle, openDb } from '../../src/db/client.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { createTransactor } from '../../src/db/transactor.ts';
import { silentLogger } from '../../src/logger.ts';
import { type ChampionChannel, createSlaSweeper, type SlaSweeper } from '../../src/sla/sla-sweeper.service.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { addItem, H, type OutboxJob, outboxJobs, seedWorld, T0, testClock, type World } from './actions-fixtures.ts';

let t: TestDb;
let w: World;
const clock = testClock();
const routing: { table: RoutingTable; champions: ChampionChannel[] } = {
  table: defaultTable([{ platform: 'slack', channel: 'C0DEF' }], { slaHours: 24, escalationHours: 2 }),
  champions: [{ platform: 'slack', channel: 'C0CHAMP' }],
};
let actions: ItemActions;
let sweeper: SlaSweeper;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  clock.set(T0);
  routing.champions = [{ platform: 'slack', channel: 'C0CHAMP' }];
  routing.table = defaultTable([{ platform: 'slack', channel: 'C0DEF' }], { slaHours: 24, escalationHours: 2 });
  w = await seedWorld(t);
  const terms = (route: string | null) => slaTermsOf(routing.table, route);
  actions = createItemActions({ transactor: createTransactor(t.db), repos: createRepos(t.db), clock, slaTerms: terms });
  sweeper = createSlaSweeper({ db: t.db, clock, routing, notify: () => {}, logger: silentLogger });
});

const as = (actor: World['ana'], itemId = w.itemId): ActionContext => ({ workspaceId: w.ws, itemId, actor, platform: 'slack' });
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const sweepAt = async (hours: number) => {
  clock.set(at(hours));
  return sweeper.sweep(at(hours));
};
/** Jobs enqueued since the last call. */
let seen = 0;
async function newJobs(): Promise<OutboxJob[]> {
  const all = await outboxJobs(t, w.ws);
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}
beforeEach(() => {
  seen = 0;
});
const summary = (jobs: OutboxJob[]) =>
  jobs.map((j) => {
    const job = j as OutboxJob & { channel?: string; lead?: string };
    return job.type === 'item.post' ? `post ${job.channel}` : job.type === 'person.dm' ? `dm ${job.personId === w.ana.id ? 'ana' : job.personId}` : job.type;
  });

describe('notices, each once per cycle', () => {
  it('unclaimed at the escalation time: the card goes to the champion channel with Claim', async () => {
    expect(await sweepAt(1.9)).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
    expect(await sweepAt(2)).toEqual({ unclaimed: 1, reminder: 0, overdue: 0 });
    const jobs = await newJobs();
    expect(summary(jobs)).toEqual(['post C0CHAMP', 'item.changed']);
    const post = jobs[0] as OutboxJob & { lead: string };
    expect(post.lead).toContain('Needs an owner');
    expect(post.lead).toContain('unclaimed for 2 h');
    expect(jobs[1]!.message!.text).toContain('Unclaimed: NPS 3 · Detractor from Jane Doe · Acme');
    expect(await sweepAt(2.5)).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
    expect(await newJobs()).toEqual([]);
  });

  it('claimed before 75%: the claimer is reminded at 75%, then told at the due time', async () => {
    clock.set(at(1));
    expect((await actions.claim(as(w.ana))).ok).toBe(true);
    await newJobs();
    expect(await sweepAt(17.9)).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
    expect(await sweepAt(18)).toEqual({ unclaimed: 0, reminder: 1, overdue: 0 });
    const reminder = await newJobs();
    expect(summary(reminder)).toEqual(['dm ana', 'item.changed']);
    expect(reminder[0]!.message!.text).toBe('Reminder: NPS 3 · Detractor from Jane Doe · Acme, received 18 h ago is due in 6 h');
    expect(await sweepAt(20)).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
    expect(await sweepAt(24)).toEqual({ unclaimed: 0, reminder: 0, overdue: 1 });
    const overdue = await newJobs();
    // Never escalated before: the card goes to the champions, the thread says so, Ana hears.
    expect(summary(overdue)).toEqual(['post C0CHAMP', 'item.changed', 'dm ana']);
    expect((overdue[0] as OutboxJob & { lead: string }).lead).toContain('claimed by *');
    expect(await sweepAt(30)).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
    const notices = await t.query<{ kind: string; cycle: number }>('select kind, cycle from sla_notices order by sent_at');
    expect(notices).toEqual([
      { kind: 'reminder', cycle: 0 },
      { kind: 'overdue', cycle: 0 },
    ]);
    const events = await t.query<{ type: string }>("select type from feedback_events where type like 'sla.%' order by at");
    expect(events.map((e) => e.type)).toEqual(['sla.reminder', 'sla.overdue']);
  });

  it('claimed after the 75% mark: no reminder (they just took it), but overdue still comes', async () => {
    clock.set(at(19));
    await actions.claim(as(w.ana));
    expect(await sweepAt(19.5)).toMatchObject({ reminder: 0, unclaimed: 0 });
    expect((await sweepAt(24)).overdue).toBe(1);
  });

  it('an escalated item that goes overdue is not posted to the champions twice', async () => {
    await sweepAt(2);
    await newJobs();
    expect((await sweepAt(24)).overdue).toBe(1);
    expect(summary(await newJobs())).toEqual(['item.changed']);
  });

  it('without a champion channel, the escalation pings the route mention in the card thread', async () => {
    routing.champions = [];
    routing.table = {
      ...routing.table,
      rules: parseRoutes('routes:\n  - name: acct\n    mention: { slack: [S0ACCT] }', 'r.yaml'),
    };
    await t.query("update feedback_items set route = 'acct'");
    await sweepAt(2);
    const [line] = await newJobs();
    expect(line!.type).toBe('item.changed');
    expect((line as unknown as { message: { blocks: { type: string; slack?: string[] }[] } }).message.blocks[0]).toMatchObject({ type: 'mention', slack: ['S0ACCT'] });
  });

  it('a resolved item gets no notice', async () => {
    clock.set(at(1));
    await actions.claim(as(w.ana));
    await actions.resolve(as(w.ana), { summary: 'Fixed the export', rootCause: 'Product bug', customerContacted: true });
    expect(await sweepAt(48)).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
  });
});

describe('snooze, release, reopen', () => {
  it('a snooze pauses the clock: the escalation moves with it', async () => {
    clock.set(at(1));
    expect(await actions.snooze(as(w.chloe), { option: '4h' })).toMatchObject({ ok: true });
    expect(await sweepAt(2)).toMatchObject({ unclaimed: 0 });
    expect(await sweepAt(5.9)).toMatchObject({ unclaimed: 0 });
    expect(await sweepAt(6)).toMatchObject({ unclaimed: 1 });
  });

  it('a released item is escalated if nobody takes it within the escalation time', async () => {
    clock.set(at(1));
    await actions.claim(as(w.ana));
    clock.set(at(10));
    await actions.release(as(w.ana));
    expect(await sweepAt(11.9)).toMatchObject({ unclaimed: 0 });
    expect(await sweepAt(12)).toMatchObject({ unclaimed: 1 });
  });

  it('a reopened item starts a new cycle with its own notices', async () => {
    clock.set(at(1));
    await actions.claim(as(w.ana));
    expect((await sweepAt(24)).overdue).toBe(1);
    clock.set(at(25));
    await actions.resolve(as(w.ana), { summary: 'Called her back', rootCause: 'Product bug', customerContacted: true });
    clock.set(at(30));
    expect((await actions.reopen(as(w.ana), { note: 'Still broken' })).ok).toBe(true);
    const item = await w.repos.feedback.findById(w.ws, w.itemId);
    expect(item).toMatchObject({ slaCycle: 1, dueAt: at(54), remindAt: at(48), escalateAt: at(32) });
    expect(await sweepAt(32)).toMatchObject({ unclaimed: 1 });
    expect(await sweepAt(54)).toMatchObject({ overdue: 1 });
    const rows = await t.query<{ kind: string; cycle: number }>('select kind, cycle from sla_notices order by sent_at');
    expect(rows).toEqual([
      { kind: 'overdue', cycle: 0 },
      { kind: 'unclaimed', cycle: 1 },
      { kind: 'overdue', cycle: 1 },
    ]);
  });
});

describe('business hours', () => {
  it('a business-hours route sends no reminder at night: it waits for the opening', async () => {
    routing.table = {
      ...routing.table,
      rules: parseRoutes(
        'routes:\n  - name: emea\n    sla_hours: 8\n    business_hours: { timezone: Europe/Paris, days: mon-fri, hours: "09:00-17:00" }',
        'r.yaml',
      ),
    };
    // Wed 5 Mar 2025, 10:00 UTC = 11:00 Paris. 8 business hours: due Thu 11:00 Paris; reminder
    // (6 h) Thu 09:00; escalation (2 h) Wed 13:00 Paris.
    const id = await addItem(w.repos, w.ws, 'bh-1', {
      route: 'emea',
      dueAt: new Date('2025-03-06T10:00:00Z'),
      remindAt: new Date('2025-03-06T08:00:00Z'),
      escalateAt: new Date('2025-03-05T12:00:00Z'),
    });
    await t.query('delete from feedback_items where id <> $1', [id]);
    clock.set(at(1));
    await actions.claim(as(w.ana, id));
    // 2025-03-06T07:00Z is 08:00 in Paris: closed. The reminder is due from 09:00 Paris.
    const night = new Date('2025-03-06T07:00:00Z');
    expect(await sweeper.sweep(night)).toMatchObject({ reminder: 0 });
    expect(await sweeper.sweep(new Date('2025-03-06T08:00:00Z'))).toMatchObject({ reminder: 1 });
  });
});

describe('several instances', () => {
  it('three sweepers at once send each notice exactly once', async () => {
    const ids = [w.itemId];
    for (let i = 0; i < 29; i++) ids.push(await addItem(w.repos, w.ws, `many-${i}`));
    clock.set(at(1));
    for (const id of ids.slice(0, 15)) await actions.claim(as(w.ana, id));
    // On the server each sweeper has its own connections, as separate instances would.
    const extra: DbHandle[] = t.url ? [await openDb({ url: t.url }), await openDb({ url: t.url })] : [];
    const dbs = [t.db, ...extra.map((h) => h.db)];
    const sweepers = [0, 1, 2].map((i) => createSlaSweeper({ db: dbs[i % dbs.length]!, clock, routing, notify: () => {}, logger: silentLogger }));
    try {
      for (const hours of [2, 18, 24, 30]) {
        clock.set(at(hours));
        await Promise.all(sweepers.map((s) => s.sweep(at(hours))));
      }
    } finally {
      for (const h of extra) await h.close();
    }
    const counts = await t.query<{ kind: string; n: number }>('select kind, count(*)::int as n from sla_notices group by kind order by kind');
    expect(counts).toEqual([
      { kind: 'overdue', n: 30 },
      { kind: 'reminder', n: 15 },
      { kind: 'unclaimed', n: 15 },
    ]);
    const jobs = await outboxJobs(t, w.ws);
    const dms = jobs.filter((j) => j.type === 'person.dm');
    expect(dms).toHaveLength(15 + 15); // a reminder and an overdue DM per claimed item
    const champion = jobs.filter((j) => j.type === 'item.post' && (j as { channel?: string }).channel === 'C0CHAMP');
    expect(new Set(champion.map((j) => j.itemId)).size).toBe(30);
    expect(champion).toHaveLength(30);
  });
});
