import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { DESTINATIONS, NOW, nps, startIntake } from './intake-fixture.ts';

let t: TestDb;
let app: Awaited<ReturnType<typeof startIntake>>;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  app = await startIntake(t);
});
afterEach(async () => {
  await app.close();
  expect(app.errors).toEqual([]); // no request ended in a 500
});

describe('POST /api/v1/feedback', () => {
  it('accepts an item: 202, stored with its customer, event and one post per destination', async () => {
    const res = await app.post(nps());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'accepted' });
    const item = await app.repos.feedback.view(app.workspaceId, res.body.id);
    expect(item).toMatchObject({
      kind: 'nps',
      score: 4,
      status: 'open',
      receivedAt: new Date('2025-01-15T08:00:00Z'),
      // The SLA counts from arrival, not from the survey's received_at.
      dueAt: new Date(NOW.getTime() + 24 * 3_600_000),
      customer: { externalId: 'cust-1', email: 'ada@example.com', company: 'Acme' },
    });
    const jobs = await t.query<{ job: unknown; destination: string }>('select job, destination from outbox order by destination');
    expect(jobs.map((j) => j.job)).toEqual(
      DESTINATIONS.map((d) => ({ type: 'item.post', itemId: res.body.id, platform: d.platform, channel: d.channel })),
    );
    expect((await app.repos.events.timeline(app.workspaceId, res.body.id)).map((e) => [e.type, e.platform, e.data])).toEqual([
      ['received', 'api', { source: 'survey', route: 'default', rules: [] }],
    ]);
  });

  it('answers a replay with 200, the same id, and changes nothing', async () => {
    const first = await app.post(nps());
    const before = await app.counts();
    const again = await app.post(nps({ score: 10, comment: 'edited', customer: { external_id: 'someone-else', email: 'bob@example.com' } }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, status: 'accepted', duplicate: true });
    expect(await app.counts()).toEqual(before);
    expect(await app.repos.feedback.findById(app.workspaceId, first.body.id)).toMatchObject({ score: 4 });
  });

  it('keeps one customer together by external id and by email', async () => {
    const a = await app.post(nps({ external_id: 'r1', customer: { external_id: 'cust-9' } }));
    const b = await app.post(nps({ external_id: 'r2', customer: { external_id: 'cust-9', email: 'Zoe@Example.com' } }));
    const c = await app.post(nps({ external_id: 'r3', customer: { email: 'zoe@example.com', name: 'Zoe' } }));
    const d = await app.post(nps({ external_id: 'r4', kind: 'comment', score: null, comment: 'hi', customer: null }));
    const customers = await Promise.all([a, b, c, d].map(async (r) => (await app.repos.feedback.findById(app.workspaceId, r.body.id))?.customerId));
    expect(customers[0]).toBeTruthy();
    expect(customers.slice(0, 3)).toEqual([customers[0], customers[0], customers[0]]);
    expect(customers[3]).toBeNull();
    const all = await app.repos.feedback.list(app.workspaceId, { customerId: customers[0]! });
    expect(all).toHaveLength(3);
  });

  it('accepts concurrent items about the same new customer without errors', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => app.post(nps({ external_id: `c${i}`, customer: { external_id: 'new', email: 'new@example.com' } }))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(202));
    expect((await app.counts()).customers).toBe(1);
  });

  it.each([
    [{ score: 11 }, 'score'],
    [{ score: 7.5 }, 'score'],
    [{ score: undefined }, 'score'],
    [{ kind: 'csat', score: 0 }, 'score'],
    [{ kind: 'ces', score: 8 }, 'score'],
    [{ kind: 'smile' }, 'kind'],
    [{ comment: 'x'.repeat(10_001) }, 'comment'],
    [{ source: undefined }, 'source'],
    [{ received_at: 'yesterday' }, 'received_at'],
    [{ tags: ['ok', 3] }, 'tags[1]'],
    [{ customer: { name: 'No id' } }, 'customer'],
    [{ customer: { email: 'not-an-email' } }, 'customer.email'],
    [{ extrenal_id: 'typo' }, 'extrenal_id'],
  ])('rejects %j with 400 naming %s', async (over, path) => {
    const res = await app.post(nps(over));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.any(String));
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect((await app.counts()).items).toBe(0);
  });

  it('rejects invalid JSON and non-object bodies with 400', async () => {
    const bad = await app.post('{"source": "survey",');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: expect.stringContaining('not valid JSON'), issues: [{ path: 'body' }] });
    const str = await app.post('"just a string"');
    expect(str.status).toBe(400);
    expect(str.body.issues[0].path).toBe('body');
  });

  it('answers 401 with WWW-Authenticate for a missing, malformed, unknown or revoked key', async () => {
    const cases: Record<string, string>[] = [
      { authorization: '' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer not-a-key' },
      { authorization: `Bearer cf_${'A'.repeat(43)}` },
    ];
    for (const headers of cases) {
      const res = await app.post(nps(), headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body.error).toMatch(/Authorization header/);
    }
    await app.apiKeys.revoke(app.workspaceId, 'survey');
    const revoked = await app.post(nps());
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatch(/revoked/);
    expect((await app.counts()).items).toBe(0);
  });

  it('answers 415 when the body is not JSON', async () => {
    const res = await app.post('source=survey', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body.error).toMatch(/Content-Type/);
  });

  it('answers 413 over 1 MB', async () => {
    const res = await app.post(nps({ metadata: { blob: 'x'.repeat(1_100_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/larger than 1MB/);
    expect((await app.counts()).items).toBe(0);
  });

  it('stores text with NUL characters instead of failing', async () => {
    const res = await app.post(nps({ comment: 'a\u0000b', metadata: { 'k\u0000': 'v\u0000' } }));
    expect(res.status).toBe(202);
    expect((await app.repos.feedback.findById(app.workspaceId, res.body.id))?.comment).toBe('ab');
  });
});

describe('GET /api/v1/feedback/:id', () => {
  it('returns the item with its customer and timeline', async () => {
    const { body: created } = await app.post(nps());
    const res = await app.get(created.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      source: 'survey',
      external_id: 'resp-1',
      kind: 'nps',
      score: 4,
      status: 'open',
      received_at: '2025-01-15T08:00:00.000Z',
      due_at: '2025-03-02T10:00:00.000Z',
      customer: { external_id: 'cust-1', email: 'ada@example.com', name: 'Ada' },
      timeline: [{ type: 'received', platform: 'api', data: { source: 'survey' } }],
    });
  });

  it('answers 400 for a non-uuid id, 404 for another workspace, 401 without a key', async () => {
    expect(await app.get('123')).toMatchObject({ status: 400, body: { issues: [{ path: 'id' }] } });
    expect((await app.get('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const { body: created } = await app.post(nps());
    const [otherWs] = await t.query<{ id: string }>(`insert into workspaces (name) values ('Other') returning id`);
    const { key } = await app.apiKeys.create(otherWs!.id, 'other');
    expect((await app.get(created.id, { authorization: `Bearer ${key}` })).status).toBe(404);
    expect((await app.get(created.id, {})).status).toBe(401);
  });
});
