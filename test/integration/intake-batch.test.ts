import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { nps, startIntake } from './intake-fixture.ts';

let t: TestDb;
let app: Awaited<ReturnType<typeof startIntake>> | undefined;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => nps({ external_id: `r${from + i}` }));

describe('POST /api/v1/feedback with an array', () => {
  it('accepts new items with 202 and marks replays, in input order', async () => {
    app = await startIntake(t);
    await app.post(nps({ external_id: 'r1' }));
    const res = await app.post(many(3));
    expect(res.status).toBe(202);
    expect(res.body.items).toEqual([
      { index: 0, id: expect.any(String), status: 'accepted' },
      { index: 1, id: expect.any(String), status: 'accepted', duplicate: true },
      { index: 2, id: expect.any(String), status: 'accepted' },
    ]);
    const again = await app.post(many(3));
    expect(again.status).toBe(200);
    expect(again.body.items.map((i: { id: string }) => i.id)).toEqual(res.body.items.map((i: { id: string }) => i.id));
    expect(again.body.items.every((i: { duplicate?: boolean }) => i.duplicate)).toBe(true);
  });

  it('rejects the whole batch when one item is invalid, naming its index', async () => {
    app = await startIntake(t);
    const items = many(5);
    items[3] = nps({ external_id: 'r3', score: 42 });
    items[4] = nps({ external_id: 'r4', customer: { email: 'nope' } });
    const res = await app.post(items);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['items[3].score', 'items[4].customer.email']);
    expect(res.body.error).toMatch(/items\[3\]\.score/);
    expect((await app.counts()).items).toBe(0);
  });

  it('rejects an empty batch and one over 500 items', async () => {
    app = await startIntake(t);
    for (const body of [[], many(501)]) {
      const res = await app.post(body);
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([{ path: 'items', message: expect.stringContaining('1 to 500') }]);
    }
  });

  it('accepts a batch of 500 in one go', async () => {
    app = await startIntake(t);
    const res = await app.post(many(500));
    expect(res.status).toBe(202);
    expect(res.body.items).toHaveLength(500);
    expect(new Set(res.body.items.map((i: { id: string }) => i.id)).size).toBe(500);
    expect(await app.counts()).toMatchObject({ items: 500, jobs: 1000, events: 500, customers: 1 });
  });
});

describe('outbox atomicity', () => {
  it('leaves no customer, item, event or outbox row when the outbox write fails', async () => {
    // The failure comes from the database itself, inside the one statement that stores it all.
    await t.query(`create or replace function fail_outbox() returns trigger language plpgsql as $$
      begin raise exception 'crash after enqueue'; end $$`);
    await t.query('create trigger fail_outbox before insert on outbox for each row execute function fail_outbox()');
    try {
      app = await startIntake(t);
      const res = await app.post(nps());
      expect(res.status).toBe(500);
      expect(res.body.error).toMatch(/retry/);
      expect(app.errors).toHaveLength(1);
      expect(await app.counts()).toEqual({ items: 0, jobs: 0, events: 0, customers: 0 });
      const batch = await app.post(many(3));
      expect(batch.status).toBe(500);
      expect(await app.counts()).toEqual({ items: 0, jobs: 0, events: 0, customers: 0 });
    } finally {
      await t.query('drop trigger fail_outbox on outbox');
      await t.query('drop function fail_outbox()');
    }
  });
});
