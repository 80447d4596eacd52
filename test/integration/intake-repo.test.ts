// The one-statement intake (intake.repo.ts) against the reference: the same records accepted one
// by one, in order, through the plain repositories (look up, upsert the customer, insert, event,
// outbox). Random batches with replays, repeats, shared and conflicting customer identities must
// leave the same rows and give the same answers.
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IntakeEvent, IntakeRecord, NewCustomer } from '../../src/core/ports.ts';
import { createIntakeRepo } from '../../src/db/repos/intake.repo.ts';
import { createTransactor } from '../../src/db/transactor.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
let ws: string;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  ws = (await ensureDefaultWorkspace(t.db)).id;
});

const AT = new Date('2025-03-01T10:00:00.000Z');
const event: IntakeEvent = { type: 'received', actorId: null, platform: 'api', at: AT };
type Result = { id: string; created: boolean };

/** The reference: what intake did before it was one statement. */
async function acceptOneByOne(records: IntakeRecord[]): Promise<Result[]> {
  return createTransactor(t.db).run(async (repos) => {
    const results: Result[] = [];
    for (const r of records) {
      const existing = await repos.feedback.findByExternalId(ws, r.item.source, r.item.externalId);
      if (existing) {
        results.push({ id: existing.id, created: false });
        continue;
      }
      const customer = r.customer ? await repos.customers.upsert(ws, r.customer) : null;
      const { item } = await repos.feedback.insert(ws, { ...r.item, customerId: customer?.id ?? null });
      await repos.events.add(ws, { itemId: item.id, type: event.type, actorId: null, platform: 'api', data: r.eventData, at: AT });
      await repos.outbox.enqueue(ws, r.jobs.map((j) => ({ ...j, itemId: item.id })));
      results.push({ id: item.id, created: true });
    }
    return results;
  });
}

const acceptInOneStatement = (records: IntakeRecord[]) => createIntakeRepo(t.db).acceptMany(ws, records, event);

/** Everything intake writes, without generated ids: items with their customer, event and posts. */
async function snapshot() {
  const items = await t.query(`
    select f.source, f.external_id, f.kind, f.score, f.comment, f.tags, f.metadata, f.received_at, f.due_at, f.status,
      c.external_id as c_ext, c.email as c_email, c.name as c_name, c.company, c.segment, c.tier, c.attributes,
      (select json_agg(json_build_object('type', e.type, 'platform', e.platform, 'data', e.data, 'at', e.at))
        from feedback_events e where e.item_id = f.id) as events,
      (select json_agg(json_build_object('destination', o.destination, 'job', o.job - 'itemId', 'item', o.job->>'itemId' = f.id::text)
        order by o.destination) from outbox o where o.item_id = f.id) as jobs
    from feedback_items f left join customers c on c.id = f.customer_id
    order by f.source, f.external_id`);
  const customers = await t.query(`select external_id, email, name, company, segment, tier, attributes from customers`);
  // Which items share a customer (ids differ between runs, the grouping must not).
  const groups = await t.query<{ items: string }>(`
    select string_agg(source || '/' || external_id, ',' order by source, external_id) as items
    from feedback_items where customer_id is not null group by customer_id order by 1`);
  const sorted = customers.map((c) => JSON.stringify(c)).sort();
  return { items, customers: sorted, groups: groups.map((g) => g.items) };
}

/** Result ids as the (source, external id) they name: comparable across runs. */
async function named(results: Result[]) {
  const rows = await t.query<{ id: string; key: string }>(`select id, source || '/' || external_id as key from feedback_items`);
  const keyOf = new Map(rows.map((r) => [r.id, r.key]));
  return results.map((r) => ({ item: keyOf.get(r.id), created: r.created }));
}

/**
 * The calls through one intake repository (as one process makes them: it remembers customers
 * from call to call) against the reference. Returns the kind of statement each call ran.
 */
async function compare(calls: IntakeRecord[][]): Promise<string[]> {
  const expected = [];
  for (const records of calls) expected.push(await named(await acceptOneByOne(records)));
  const want = await snapshot();
  await t.reset();
  ws = (await ensureDefaultWorkspace(t.db)).id;
  const kinds: string[] = [];
  const repo = createIntakeRepo(t.db, { onStatement: (kind) => kinds.push(kind) });
  const actual = [];
  for (const records of calls) actual.push(await named(await repo.acceptMany(ws, records, event)));
  expect(actual).toEqual(expected);
  expect(await snapshot()).toEqual(want);
  return kinds;
}

const record = (source: string, externalId: string, customer: NewCustomer | null, extra: Partial<IntakeRecord['item']> = {}): IntakeRecord => ({
  item: {
    source,
    externalId,
    kind: 'nps',
    score: 7,
    comment: `about ${externalId}`,
    touchpoint: 'support',
    tags: ['t'],
    route: null,
    receivedAt: new Date('2025-02-01T00:00:00.000Z'),
    dueAt: new Date('2025-03-02T10:00:00.000Z'),
    remindAt: new Date('2025-03-02T10:00:00.000Z'),
    escalateAt: new Date('2025-03-02T10:00:00.000Z'),
    priority: 'normal',
    metadata: { n: externalId },
    ...extra,
  },
  customer,
  eventData: { source },
  jobs: [
    { type: 'item.post', platform: 'slack', channel: 'C1' },
    { type: 'item.post', platform: 'teams', channel: '19:x' },
  ],
});

describe('intake in one statement', () => {
  it('links one customer by external id, then by email, and fills in what was empty', async () => {
    await compare([
      [record('s', 'r1', { externalId: 'cust-9', attributes: { plan: 'pro' } })],
      [record('s', 'r2', { externalId: 'cust-9', email: 'Zoe@Example.com', name: 'Zoe', attributes: { plan: 'free', seats: 3 } })],
      [record('s', 'r3', { email: 'zoe@example.com', company: 'Acme' }), record('s', 'r4', null)],
    ]);
  });

  it('replays change nothing, repeats in one batch are replays of the first', async () => {
    await compare([
      [record('s', 'r1', { externalId: 'a', name: 'First' })],
      [
        record('s', 'r1', { externalId: 'a', company: 'Replay Inc', segment: 'x' }),
        record('s', 'r2', { externalId: 'b' }),
        record('s', 'r2', { externalId: 'c', name: 'Repeat' }),
        record('t', 'r2', { externalId: 'b', tier: 'gold' }),
      ],
    ]);
  });

  it('settles identities that share keys in input order (the batch is cut in statements)', async () => {
    await compare([
      [
        record('s', 'r1', { externalId: 'x' }),
        record('s', 'r2', { email: 'e@example.com', name: 'E' }),
        record('s', 'r3', { externalId: 'x', email: 'E@example.com' }),
        record('s', 'r4', { externalId: 'y', email: 'e@example.com' }),
        record('s', 'r5', { externalId: 'y' }),
      ],
    ]);
  });

  it('gives a customer without external id or email one of its own per item', async () => {
    await compare([[record('s', 'r1', { name: 'Anon' }), record('s', 'r2', { name: 'Anon' }), record('s', 'r3', { externalId: '  ', email: '' })]]);
  });

  it('writes nothing to a customer stored with the same details before (the short statement)', async () => {
    const kinds = await compare([
      [record('s', 'r1', { externalId: 'a', name: 'Ann', attributes: { plan: 'pro' } })],
      [record('s', 'r2', { externalId: 'a', name: 'Ann', attributes: { plan: 'pro' } }), record('s', 'r3', null)],
      // New details (a company, an attribute) are written in full, and then known too.
      [record('s', 'r4', { externalId: 'a', name: 'Ann', company: 'Acme', attributes: { plan: 'pro' } })],
      [record('s', 'r5', { externalId: 'a', name: 'Ann', attributes: { plan: 'pro', seats: 2 } })],
      [record('s', 'r6', { externalId: 'a', name: 'Ann', company: 'Acme', attributes: { plan: 'pro' } })],
      // A replay stays a replay; the customer is not touched.
      [record('s', 'r1', { externalId: 'a', name: 'Ann', attributes: { plan: 'pro' } })],
    ]);
    expect(kinds).toEqual(['full', 'known', 'full', 'full', 'known', 'known']);
  });

  it('never takes the short statement for anonymous customers, nor for one found by email whose external id is nobody\'s', async () => {
    const kinds = await compare([
      [record('s', 'r1', { name: 'Anon' })],
      [record('s', 'r2', { name: 'Anon' })],
      [record('s', 'r3', { email: 'e@example.com' })],
      // Found by email; its external id is filled in now, so from then on it is found by it.
      [record('s', 'r4', { externalId: 'x', email: 'e@example.com' })],
      [record('s', 'r5', { externalId: 'x', email: 'e@example.com' })],
      [record('s', 'r6', { externalId: 'x', email: 'e@example.com' })],
    ]);
    expect(kinds).toEqual(['full', 'full', 'full', 'full', 'full', 'known']);
  });

  it('writes in full when a known customer was deleted meanwhile', async () => {
    const repo = createIntakeRepo(t.db);
    const details = { externalId: 'gone', name: 'Gone' };
    const [first] = await repo.acceptMany(ws, [record('s', 'r1', details)], event);
    await repo.acceptMany(ws, [record('s', 'r2', details)], event);
    await t.query(`delete from customers where external_id = 'gone'`);
    const [after] = await repo.acceptMany(ws, [record('s', 'r3', details)], event);
    expect(after!.created).toBe(true);
    const rows = await t.query<{ external_id: string; customer: string | null }>(
      `select f.external_id, c.external_id as customer from feedback_items f left join customers c on c.id = f.customer_id order by 1`,
    );
    expect(rows).toEqual([
      { external_id: 'r1', customer: null },
      { external_id: 'r2', customer: null },
      { external_id: 'r3', customer: 'gone' },
    ]);
    expect(first!.id).not.toBe(after!.id);
  });

  it('stores text with quotes and dollar signs verbatim', async () => {
    const text = `it's $a$ broken $$; drop table customers; -- \\ $aa$`;
    const [r] = await acceptInOneStatement([record('s', 'r1', { externalId: text, name: text }, { comment: text, tags: [text] })]);
    const [row] = await t.query<{ comment: string; tags: string[]; name: string }>(
      'select f.comment, f.tags, c.name from feedback_items f join customers c on c.id = f.customer_id where f.id = $1',
      [r!.id],
    );
    expect(row).toEqual({ comment: text, tags: [text], name: text });
  });

  it('matches the reference on random batches', { timeout: 120_000 }, async () => {
    const kinds: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const calls = randomCalls(mulberry32(seed));
      try {
        kinds.push(...(await compare(calls)));
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`);
      }
      await t.reset();
      ws = (await ensureDefaultWorkspace(t.db)).id;
    }
    // Both statements were compared with the reference.
    expect(kinds.filter((k) => k === 'known').length).toBeGreaterThan(5);
    expect(kinds.filter((k) => k === 'full').length).toBeGreaterThan(5);
  });

  it('accepts concurrent batches about the same new customers', async () => {
    const batch = (n: number) =>
      Array.from({ length: 20 }, (_, i) => record('s', `b${n}-${i}`, { externalId: `c${i % 4}`, email: `c${i % 4}@example.com` }));
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => acceptInOneStatement(batch(n))));
    expect(results.flat().every((r) => r.created)).toBe(true);
    const [counts] = await t.query<{ customers: number; items: number; jobs: number }>(
      `select (select count(*)::int from customers) as customers, (select count(*)::int from feedback_items) as items,
              (select count(*)::int from outbox) as jobs`,
    );
    expect(counts).toEqual({ customers: 4, items: 120, jobs: 240 });
  });

  it('groups concurrent requests: each keeps its own answers, a repeat across requests is a duplicate', async () => {
    const repo = createIntakeRepo(t.db, { maxInFlight: 1 });
    const at = (i: number) => ({ ...event, at: new Date(AT.getTime() + i * 1000) });
    // All 20 arrive in one turn of the event loop: they are written by one statement.
    const requests = Array.from({ length: 20 }, (_, i) =>
      repo.acceptMany(ws, i === 19 ? [record('s', 'r3', { externalId: 'c3' })] : [record('s', `r${i}`, { externalId: `c${i % 3}` })], at(i)),
    );
    const results = await Promise.all(requests);
    expect(results.slice(0, 19).every(([r]) => r!.created)).toBe(true);
    expect(results[19]).toEqual([{ id: results[3]![0]!.id, created: false }]);
    const rows = await t.query<{ external_id: string; at: Date }>(
      `select f.external_id, e.at from feedback_items f join feedback_events e on e.item_id = f.id order by f.external_id`,
    );
    expect(rows).toHaveLength(19);
    const [tx] = await t.query<{ n: number }>('select count(distinct xmin::text)::int as n from feedback_items');
    expect(tx!.n).toBe(1);
    // Each item's "received" event has its own request's time, not its group's.
    for (const row of rows) expect(new Date(row.at).getTime()).toBe(at(Number(row.external_id.slice(1))).at.getTime());
    const [counts] = await t.query<{ customers: number }>('select count(*)::int as customers from customers');
    expect(counts!.customers).toBe(3);
  });

  it('a request that fails the shared statement fails alone; the others of its group are written', async () => {
    const repo = createIntakeRepo(t.db, { maxInFlight: 1 });
    const first = repo.acceptMany(ws, [record('s', 'first', null)], event);
    // Sent in the same turn, so written as one group: one score is out of the column's range.
    const good = repo.acceptMany(ws, [record('s', 'good', null)], event);
    const bad = repo.acceptMany(ws, [record('s', 'bad', null, { score: 2 ** 40 })], event);
    const batch = repo.acceptMany(ws, [record('s', 'b1', null), record('s', 'b2', null)], event);
    await expect(bad).rejects.toThrow(/out of range/);
    expect((await Promise.all([first, good, batch])).flat().map((r) => r.created)).toEqual([true, true, true, true]);
    const stored = await t.query<{ external_id: string }>('select external_id from feedback_items order by external_id');
    expect(stored.map((r) => r.external_id)).toEqual(['b1', 'b2', 'first', 'good']);
  });

  // PGlite has a single connection: no other writer can hold a row while the statement runs.
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'runs again when another transaction inserts the same new customer first (Postgres only)',
    async () => {
      const other = postgres(t.url!, { max: 1, onnotice: () => {} });
      let ours: Promise<Result[]> | undefined;
      try {
        await other.begin(async (sql) => {
          await sql`insert into customers (workspace_id, external_id, email, name) values (${ws}, 'race', 'race@example.com', 'Theirs')`;
          ours = acceptInOneStatement([record('s', 'r1', { externalId: 'race', email: 'Race@example.com', company: 'Ours' })]);
          ours.catch(() => {}); // awaited below; a failure must not surface as unhandled first
          // Commit only once our statement waits on their uncommitted row.
          for (let i = 0; i < 500; i++) {
            const [waiting] = await t.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
            );
            if (waiting!.n > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        });
      } finally {
        await other.end();
      }
      expect(await ours).toEqual([{ id: expect.any(String), created: true }]);
      const customers = await t.query(`select external_id, email, name, company from customers`);
      expect(customers).toEqual([{ external_id: 'race', email: 'race@example.com', name: 'Theirs', company: 'Ours' }]);
      const [linked] = await t.query<{ n: number }>(`select count(*)::int as n from feedback_items where customer_id is not null`);
      expect(linked!.n).toBe(1);
    },
  );
});

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCalls(random: () => number): IntakeRecord[][] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  // Senders repeat a customer's details as they sent them before: half the time, one seen already.
  const sent: NewCustomer[] = [];
  const customer = (): NewCustomer | null => {
    if (random() < 0.15) return null;
    if (sent.length > 0 && random() < 0.5) return pick(sent);
    const attributes: Record<string, unknown> = {};
    if (random() < 0.4) attributes.plan = pick(['pro', 'free']);
    if (random() < 0.3) attributes.seats = pick([1, 5]);
    const details: NewCustomer = {
      externalId: pick([null, null, 'x0', 'x1', 'x2', 'x3']),
      email: pick([null, 'a@example.com', 'A@Example.com', 'b@example.com', 'c@example.com']),
      name: pick([null, 'Ada', 'Bob']),
      company: pick([null, 'Acme']),
      segment: pick([null, 'smb', 'ent']),
      tier: pick([null, 'gold']),
      attributes,
    };
    sent.push(details);
    return details;
  };
  const item = () => record(pick(['s1', 's2']), `e${Math.floor(random() * 16)}`, customer(), { score: Math.floor(random() * 11) });
  // Some calls of one item, some batches: a call takes the short statement when all its customers are known.
  return Array.from({ length: 8 }, () => Array.from({ length: 1 + Math.floor(random() * (random() < 0.5 ? 1 : 10)) }, item));
}
