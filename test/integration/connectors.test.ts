// POST /api/v1/connectors/<provider> against a real database (PGlite, or Postgres with TEST_DATABASE_URL).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorProvider } from '../../src/core/connectors/map-kit.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { startConnectors } from './connectors-fixture.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/connectors/${name}`, import.meta.url), 'utf8');
const SECRET = 'whsec_4f9c2b7d1e8a6350c0ffee';

let t: TestDb;
let app: Awaited<ReturnType<typeof startConnectors>>;

beforeAll(async () => {
  t = await getTestDb();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  app = await startConnectors(t);
});
afterEach(async () => {
  await app.close();
  // No request ended in a 500, and no secret reached the log.
  expect(app.logs.filter((l) => JSON.parse(l).level === 'error')).toEqual([]);
  expect(app.logs.join('')).not.toContain(SECRET);
});

const cases: { provider: ConnectorProvider; file: string; expected: Record<string, unknown>; customer: Record<string, unknown> }[] = [
  {
    provider: 'typeform',
    file: 'typeform.form_response.json',
    expected: { source: 'typeform', external_id: 'a3a12ec67a1365927098a606107fac15', kind: 'nps', score: 3, touchpoint: 'Onboarding NPS' },
    customer: { externalId: 'cust-42', email: 'ada@example.com', name: 'Ada Lovelace' },
  },
  {
    provider: 'delighted',
    file: 'delighted.survey_response.json',
    expected: { source: 'delighted', external_id: '5435', kind: 'nps', score: 4, touchpoint: 'Email' },
    customer: { externalId: 'cust-77', email: 'charlie_gravis@example.com', company: 'Globex' },
  },
  {
    provider: 'zendesk',
    file: 'zendesk.satisfaction.json',
    expected: { source: 'zendesk', external_id: '35436:bad', kind: 'csat', score: 1, touchpoint: 'Acme / Billing' },
    customer: { externalId: 'cust-9', email: 'grace@example.com', name: 'Grace Hopper' },
  },
  {
    provider: 'intercom',
    file: 'intercom.conversation_rating.json',
    expected: { source: 'intercom', external_id: '147:2', kind: 'csat', score: 2, touchpoint: 'Billing question' },
    customer: { externalId: 'cust-5', email: 'linus@example.com' },
  },
  {
    provider: 'alchemer',
    file: 'alchemer.response.json',
    expected: { source: 'alchemer', external_id: '7654321:1001', kind: 'nps', score: 2, touchpoint: 'Alchemer survey 7654321' },
    customer: { externalId: 'cust-11', email: 'alan@example.com', name: 'Alan Turing' },
  },
];
const queryOf = (provider: ConnectorProvider) => (provider === 'alchemer' ? '?survey_id=7654321' : '');

describe.each(cases)('$provider', ({ provider, file, expected, customer }) => {
  beforeEach(async () => {
    await app.addConnector(provider, SECRET);
  });

  it('accepts a signed delivery: 202, stored with its customer, touchpoint and metadata', async () => {
    const res = await app.deliver(provider, SECRET, fixture(file), {}, queryOf(provider));
    expect(res).toEqual({ status: 202, body: { id: expect.any(String), status: 'accepted' } });
    const [item] = await app.items();
    expect(item).toMatchObject({ id: res.body.id, ...expected, comment: expect.any(String) });
    expect(Object.keys(item!.metadata)).toEqual([provider]);
    const stored = await app.repos.customers.findById(app.workspaceId, item!.customer_id!);
    expect(stored).toMatchObject(customer);
  });

  it('answers a redelivery with 200 duplicate and stores no second item', async () => {
    const first = await app.deliver(provider, SECRET, fixture(file), {}, queryOf(provider));
    const again = await app.deliver(provider, SECRET, fixture(file), {}, queryOf(provider));
    expect(again).toEqual({ status: 200, body: { id: first.body.id, status: 'accepted', duplicate: true } });
    expect(await app.items()).toHaveLength(1);
    expect(await t.query('select 1 from outbox')).toHaveLength(1);
  });

  it('refuses a bad signature and a missing one with 401 naming the header', async () => {
    const bad = await app.deliver(provider, 'whsec_someone_elses_secret_00', fixture(file), {}, queryOf(provider));
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatch(/(Typeform-Signature|X-Hub-Signature|X-Zendesk-Webhook-Signature|X-Webhook-Secret) header.* does not match/);
    const missing = await app.post(`/api/v1/connectors/${provider}${queryOf(provider)}`, fixture(file), {});
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatch(/^Missing (Typeform-Signature|X-Hub-Signature|X-Zendesk-Webhook-Signature|X-Webhook-Secret) header/);
    expect(await app.items()).toHaveLength(0);
  });

  it('answers 422 for a signed payload it cannot map, and keeps it in connector_rejects', async () => {
    const res = await app.deliver(provider, SECRET, { unexpected: 'shape' }, {}, queryOf(provider));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: expect.stringContaining('Cannot map'), missing: expect.any(Array), reject_id: expect.any(String) });
    expect(await app.rejects()).toEqual([{ provider, reason: res.body.error, payload: { unexpected: 'shape' }, workspace_id: app.workspaceId }]);
    expect(await app.items()).toHaveLength(0);
  });
});

describe('the route', () => {
  it('answers 404 for an unknown provider and for one with no connector', async () => {
    const unknown = await app.post('/api/v1/connectors/surveymonkey', '{}', {});
    expect(unknown).toEqual({ status: 404, body: { error: expect.stringContaining('Unknown connector provider "surveymonkey"') } });
    const none = await app.deliver('typeform', SECRET, fixture('typeform.form_response.json'));
    expect(none.status).toBe(404);
    expect(none.body.error).toMatch(/No typeform connector is configured: add one with: npm run cli -- connector add typeform/);
  });

  it('finds the workspace whose secret signed the request', async () => {
    const [other] = await t.query<{ id: string }>("insert into workspaces (name) values ('Other') returning id");
    await app.addConnector('typeform', SECRET);
    await app.addConnector('typeform', 'whsec_other_workspace_000000', {}, other!.id);
    const res = await app.deliver('typeform', 'whsec_other_workspace_000000', fixture('typeform.form_response.json'));
    expect(res.status).toBe(202);
    expect((await t.query<{ workspace_id: string }>('select workspace_id from feedback_items'))[0]!.workspace_id).toBe(other!.id);
  });

  it('sees a secret replaced by the CLI without a restart (a miss reloads the cache, at most once a second)', async () => {
    await app.addConnector('intercom', SECRET);
    expect((await app.deliver('intercom', SECRET, fixture('intercom.ping.json'))).status).toBe(200);
    await app.addConnector('intercom', 'whsec_rotated_secret_1234567');
    // Within the same second the cached (old) secret still answers: the rotated one waits a tick.
    expect((await app.deliver('intercom', 'whsec_rotated_secret_1234567', fixture('intercom.ping.json'))).status).toBe(401);
    app.advance(1_000);
    expect((await app.deliver('intercom', 'whsec_rotated_secret_1234567', fixture('intercom.ping.json'))).status).toBe(200);
    expect((await app.deliver('intercom', SECRET, fixture('intercom.ping.json'))).status).toBe(401);
  });

  it('takes the shared secret from ?secret= (Delighted and Alchemer URLs)', async () => {
    await app.addConnector('delighted', SECRET);
    const body = fixture('delighted.survey_response.json');
    const res = await app.post(`/api/v1/connectors/delighted?secret=${SECRET}`, body, {});
    expect(res.status).toBe(202);
  });

  it('accepts Alchemer form posts whose "response" field holds the JSON', async () => {
    await app.addConnector('alchemer', SECRET);
    const form = new URLSearchParams({ response: fixture('alchemer.response.json') }).toString();
    const res = await app.deliver('alchemer', SECRET, form, { 'content-type': 'application/x-www-form-urlencoded' }, '?survey_id=55');
    expect(res.status).toBe(202);
    expect((await app.items())[0]).toMatchObject({ external_id: '55:1001', score: 2 });
  });

  it('answers 200 {ignored} for events that are not feedback (Intercom ping, Zendesk rating offered)', async () => {
    await app.addConnector('intercom', SECRET);
    await app.addConnector('zendesk', SECRET);
    const ping = await app.deliver('intercom', SECRET, fixture('intercom.ping.json'));
    expect(ping).toEqual({ status: 200, body: { ignored: expect.stringContaining('ping') } });
    const offered = JSON.parse(fixture('zendesk.satisfaction.json'));
    offered.ticket.satisfaction.rating = 'Offered';
    expect((await app.deliver('zendesk', SECRET, offered)).body).toEqual({ ignored: expect.stringContaining('offered') });
    expect(await app.items()).toHaveLength(0);
    expect(await app.rejects()).toHaveLength(0);
  });

  it('answers 415, 413 and 400 like the intake route (invalid JSON is kept in connector_rejects)', async () => {
    await app.addConnector('typeform', SECRET);
    const form = await app.deliver('typeform', SECRET, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form).toEqual({ status: 415, body: { error: 'Content-Type header must be application/json, got application/x-www-form-urlencoded' } });
    const big = await app.deliver('typeform', SECRET, JSON.stringify({ blob: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/larger than 1MB/);
    const broken = await app.deliver('typeform', SECRET, '{"event_type": "form_response",');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: expect.stringContaining('not valid JSON'), issues: [{ path: 'body' }] });
    expect(await app.rejects()).toEqual([expect.objectContaining({ provider: 'typeform', payload: '{"event_type": "form_response",' })]);
  });

  it('stores a comment with a NUL and a lone surrogate safely', async () => {
    await app.addConnector('zendesk', SECRET);
    const body = fixture('zendesk.satisfaction.json').replace('Three weeks and still no refund.', 'Three\\u0000 weeks \\ud800 no refund');
    const res = await app.deliver('zendesk', SECRET, body);
    expect(res.status).toBe(202);
    expect((await app.items())[0]!.comment).toBe('Three weeks \uFFFD no refund');
    // The same characters in a payload we cannot map reach connector_rejects safely too.
    const reject = await app.deliver('zendesk', SECRET, '{"ticket": {"id": "1", "title": "a\\u0000b\\udc00"}}');
    expect(reject.status).toBe(422);
    expect((await app.rejects())[0]!.payload).toEqual({ ticket: { id: '1', title: 'ab\uFFFD' } });
  });

  it('Delighted: the comment that follows the score amends the item and refreshes its cards', async () => {
    await app.addConnector('delighted', SECRET);
    const updated = JSON.parse(fixture('delighted.survey_response.json'));
    const created = { ...updated, event_type: 'survey_response.created', event_data: { ...updated.event_data, comment: null } };
    const first = await app.deliver('delighted', SECRET, created);
    expect(first.status).toBe(202);
    expect((await app.items())[0]!.comment).toBeNull();

    app.advance(3 * 60_000); // the respondent writes the comment a few minutes later
    const amended = await app.deliver('delighted', SECRET, updated);
    expect(amended).toEqual({ status: 200, body: { id: first.body.id, status: 'accepted', duplicate: true, amended: true } });
    expect(await app.items()).toEqual([expect.objectContaining({ id: first.body.id, comment: 'The app logs me out every day.', score: 4 })]);
    const jobs = await t.query<{ job: { type: string } }>('select job from outbox order by created_at, id');
    expect(jobs.map((j) => j.job.type)).toEqual(['item.post', 'item.refresh']);
    expect((await app.repos.events.timeline(app.workspaceId, first.body.id)).map((e) => [e.type, e.data])).toEqual([
      ['received', expect.objectContaining({ source: 'delighted' })],
      ['amended', { source: 'delighted', comment: true }],
    ]);

    // Redelivered: nothing new. A changed score is recorded, not applied (routing and rollups used it).
    expect((await app.deliver('delighted', SECRET, updated)).body).toEqual({ id: first.body.id, status: 'accepted', duplicate: true });
    app.advance(60_000);
    const rescored = { ...updated, event_data: { ...updated.event_data, score: 9 } };
    expect((await app.deliver('delighted', SECRET, rescored)).body).toMatchObject({ amended: true });
    expect((await app.items())[0]!.score).toBe(4);
    expect((await app.repos.events.timeline(app.workspaceId, first.body.id)).at(-1)!.data).toEqual({
      source: 'delighted',
      score_from: 4,
      score_to: 9,
      score_kept: true,
    });
    expect(await t.query('select 1 from outbox')).toHaveLength(2);
  });

  it('answers 503 (and logs why) when the server has no TOKEN_ENCRYPTION_KEY', async () => {
    await app.close();
    app = await startConnectors(t, { encryptionKey: null });
    const res = await app.deliver('typeform', SECRET, fixture('typeform.form_response.json'));
    expect(res).toEqual({ status: 503, body: { error: expect.stringContaining('TOKEN_ENCRYPTION_KEY') } });
    expect(app.logs.some((l) => l.includes('TOKEN_ENCRYPTION_KEY is not set'))).toBe(true);
    app.logs.length = 0;
  });
});
