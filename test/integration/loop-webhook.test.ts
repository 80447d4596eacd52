// The close-the-loop webhook end to end on a real database: resolve/reopen enqueue the event in
// their transaction, the delivery worker POSTs it signed to a local receiver, retries, backs off,
// dead-letters, and records every attempt on the item's timeline.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLoopWebhookPort } from '../../src/adapters/loop-webhook/loop-webhook.port.ts';
import { createItemActions, type ActionContext, type ItemActions } from '../../src/core/feedback/item-actions.ts';
import { buildItemStatus } from '../../src/core/messages/item-status.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { createTransactor } from '../../src/db/transactor.ts';
import type { DeliveryWorkerDeps } from '../../src/delivery/worker.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';
import { addItem, outboxJobs, seedWorld, T0, type World } from './actions-fixtures.ts';
import { attemptEvents, fakePort, outboxRows, testClock, worker } from './delivery-fixtures.ts';
import { type Receiver, startReceiver, verifySignature } from './loop-webhook-receiver.ts';

const SECRET = 'test-loop-secret-0123456789abcdef0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestDb;
let rx: Receiver;
let w: World;
let clock: ReturnType<typeof testClock>;
let actions: ItemActions;

beforeAll(async () => {
  [t, rx] = await Promise.all([getTestDb(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), rx?.close()]);
});
beforeEach(async () => {
  await t.reset();
  rx.reset();
  w = await seedWorld(t);
  // After the database's now(), so rows enqueued with its default are due.
  clock = testClock();
  actions = createItemActions({ transactor: createTransactor(t.db), repos: createRepos(t.db), clock, closeTheLoop: { eventId: randomUUID } });
});

const ctx = (actor: World['ana'], itemId = w.itemId): ActionContext => ({ workspaceId: w.ws, itemId, actor, platform: 'slack' });
const form = () => ({
  summary: 'Fixed the export job and called Jane.',
  rootCause: 'product bug',
  preventionAction: 'Add an export smoke test',
  preventionOwnerId: w.bob.id,
  preventionDueOn: '2031-01-20',
  customerContacted: true,
});

function webhookWorker(over: Partial<DeliveryWorkerDeps> = {}, url = rx.url, timeoutMs = 5000) {
  return worker(t, {
    ports: {},
    clock,
    webhook: createLoopWebhookPort({ url, secret: SECRET, timeoutMs, clock }),
    maxAttempts: 3,
    // Jitter pinned to its ceiling: retry n waits 1 s · 2^(n−1) of the test clock, never real time.
    backoff: { baseMs: 1000, random: () => 1 },
    ...over,
  });
}

async function resolveItem(itemId = w.itemId) {
  expect((await actions.claim(ctx(w.ana, itemId))).ok).toBe(true);
  const result = await actions.resolve(ctx(w.ana, itemId), form());
  expect(result.ok).toBe(true);
}

const loopRows = async () => (await outboxRows(t)).filter((r) => r.job.type === 'loop.webhook');
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
const json = (i: number) => JSON.parse(rx.received[i]!.body.toString('utf8'));

describe('close-the-loop webhook: delivery', () => {
  it('resolve → exactly one signed POST with the documented payload, recorded on the timeline', async () => {
    await resolveItem();
    const resolvedAt = clock.now().toISOString();
    const delivery = webhookWorker();
    await delivery.drainOnce();
    clock.advance(60_000);
    await delivery.drainOnce(); // nothing is sent twice

    expect(rx.received).toHaveLength(1);
    const req = rx.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hooks/customer-first?token=receiver-token-123');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-customerfirst-event']).toBe('item.resolved');
    expect(verifySignature(SECRET, req.headers['x-customerfirst-signature'], req.body, nowSeconds())).toBe(true);
    // The verifier means it: another secret, a changed byte or a stale timestamp fail.
    expect(verifySignature(`${SECRET}x`, req.headers['x-customerfirst-signature'], req.body, nowSeconds())).toBe(false);
    expect(verifySignature(SECRET, req.headers['x-customerfirst-signature'], Buffer.concat([req.body, Buffer.from(' ')]), nowSeconds())).toBe(false);
    expect(verifySignature(SECRET, req.headers['x-customerfirst-signature'], req.body, nowSeconds() + 301)).toBe(false);

    const event = json(0);
    expect(event).toEqual({
      id: expect.stringMatching(UUID),
      type: 'item.resolved',
      occurred_at: resolvedAt,
      workspace_id: w.ws,
      item: {
        id: w.itemId,
        source: 'typeform',
        external_id: 'r-1',
        kind: 'nps',
        score: 3,
        comment: 'Export keeps failing <!channel>',
        touchpoint: 'export',
        tags: [],
        route: null,
        priority: 'normal',
        status: 'resolved',
        received_at: T0.toISOString(),
      },
      customer: { external_id: 'c-1', email: null, name: 'Jane Doe', company: 'Acme', segment: null, tier: null },
      resolution: {
        summary: 'Fixed the export job and called Jane.',
        root_cause: 'Product bug', // as the taxonomy spells it
        prevention: { action: 'Add an export smoke test', owner: { name: 'Bob', email: 'bob@x.test' }, due: '2031-01-20' },
        customer_contacted: true,
        resolved_by: { name: 'Ana', email: 'ana@x.test' },
        resolved_at: resolvedAt,
      },
    });
    expect(req.headers['x-customerfirst-delivery']).toBe(event.id);

    expect(await loopRows()).toMatchObject([{ status: 'done', attempts: 1, last_error: null, destination: 'webhook:loop' }]);
    // The receiver's origin only: its path and token stay out of the timeline.
    expect(await attemptEvents(t, w.itemId)).toEqual([
      { platform: 'webhook', channel: rx.origin, ok: true, error: null, attempt: 1, httpStatus: 204 },
    ]);
  });

  it('reopen → item.reopened with the withdrawn resolution, a new event id, and why', async () => {
    await resolveItem();
    const delivery = webhookWorker();
    await delivery.drainOnce();
    clock.advance(3_600_000);
    expect((await actions.reopen(ctx(w.chloe), { note: 'Jane says it still fails' })).ok).toBe(true);
    await delivery.drainOnce();

    expect(rx.received.map((r) => r.headers['x-customerfirst-event'])).toEqual(['item.resolved', 'item.reopened']);
    const [resolved, reopened] = [json(0), json(1)];
    expect(verifySignature(SECRET, rx.received[1]!.headers['x-customerfirst-signature'], rx.received[1]!.body, nowSeconds())).toBe(true);
    expect(reopened.id).toMatch(UUID);
    expect(reopened.id).not.toBe(resolved.id);
    expect(rx.received[1]!.headers['x-customerfirst-delivery']).toBe(reopened.id);
    expect(reopened).toMatchObject({
      type: 'item.reopened',
      occurred_at: clock.now().toISOString(),
      item: { id: w.itemId, status: 'open' },
      customer: { name: 'Jane Doe' },
      resolution: resolved.resolution,
      reopen: { reopened_by: { name: 'Chloe', email: 'chloe@x.test' }, note: 'Jane says it still fails', due_at: expect.any(String) },
    });
  });

  it('sends the snapshot taken at resolve time, not what the item or customer became', async () => {
    await resolveItem();
    await t.query("update customers set name = 'Renamed Customer', company = 'Other Inc' where workspace_id = $1", [w.ws]);
    await t.query("update feedback_items set comment = 'edited later' where id = $1", [w.itemId]);
    await webhookWorker().drainOnce();
    expect(json(0).customer).toMatchObject({ name: 'Jane Doe', company: 'Acme' });
    expect(json(0).item.comment).toBe('Export keeps failing <!channel>');
  });

  it('a receiver answering 500 is retried after the backoff with the same event and bytes, then succeeds', async () => {
    rx.answers.push({ status: 500, body: 'database is down' });
    await resolveItem();
    const delivery = webhookWorker();

    await delivery.drainOnce();
    const [row] = await loopRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: `WebhookServerError: HTTP 500 from ${rx.origin}: database is down` });
    expect(new Date(row!.next_attempt_at).getTime()).toBe(clock.now().getTime() + 1000);
    clock.advance(999);
    await delivery.drainOnce();
    expect(rx.received).toHaveLength(1); // not before its backoff
    clock.advance(1);
    await delivery.drainOnce();

    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.body.equals(rx.received[0]!.body)).toBe(true);
    expect(rx.received[1]!.headers['x-customerfirst-delivery']).toBe(rx.received[0]!.headers['x-customerfirst-delivery']);
    for (const r of rx.received) expect(verifySignature(SECRET, r.headers['x-customerfirst-signature'], r.body, nowSeconds())).toBe(true);
    expect(await loopRows()).toMatchObject([{ status: 'done', attempts: 2 }]);
    expect(await attemptEvents(t, w.itemId)).toEqual([
      { platform: 'webhook', channel: rx.origin, ok: false, error: `WebhookServerError: HTTP 500 from ${rx.origin}: database is down`, attempt: 1, httpStatus: 500 },
      { platform: 'webhook', channel: rx.origin, ok: true, error: null, attempt: 2, httpStatus: 204 },
    ]);
  });

  it('a receiver that always fails is dead-lettered after the maximum attempts', async () => {
    rx.state.fallback = { status: 503 };
    await resolveItem();
    const delivery = webhookWorker();
    for (let i = 0; i < 6; i++) {
      await delivery.drainOnce();
      clock.advance(3_600_000);
    }
    expect(rx.received).toHaveLength(3);
    expect(await loopRows()).toMatchObject([{ status: 'dead', attempts: 3, last_error: `WebhookServerError: HTTP 503 from ${rx.origin}` }]);
    const attempts = await attemptEvents(t, w.itemId);
    expect(attempts.map((a) => [a.attempt, a.ok, a.httpStatus, a.deadLettered])).toEqual([
      [1, false, 503, undefined],
      [2, false, 503, undefined],
      [3, false, 503, true],
    ]);
  });

  it('a 400 from the receiver is dead-lettered at once (its permanent refusal)', async () => {
    rx.answers.push({ status: 400, body: '{"error":"unknown item"}' });
    await resolveItem();
    const delivery = webhookWorker();
    await delivery.drainOnce();
    clock.advance(3_600_000);
    await delivery.drainOnce();

    expect(rx.received).toHaveLength(1);
    const [row] = await loopRows();
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row!.last_error).toBe(`WebhookRejected: HTTP 400 from ${rx.origin} (the receiver refused the event; not retried): {"error":"unknown item"}`);
    expect(await attemptEvents(t, w.itemId)).toMatchObject([{ ok: false, attempt: 1, httpStatus: 400, deadLettered: true }]);
  });

  it('a redirect is not followed: the signed event goes nowhere else, and is dead-lettered', async () => {
    rx.answers.push({ status: 307, headers: { location: `${rx.origin}/elsewhere?token=other` } });
    await resolveItem();
    await webhookWorker().drainOnce();
    expect(rx.received.map((r) => r.path)).toEqual(['/hooks/customer-first?token=receiver-token-123']);
    expect(await loopRows()).toMatchObject([
      {
        status: 'dead',
        last_error: `WebhookRejected: HTTP 307 from ${rx.origin}: redirected to ${rx.origin}; set LOOP_WEBHOOK_URL to the final URL`,
      },
    ]);
  });

  it('a 429 waits exactly its Retry-After without charging an attempt, and does not hold back chat', async () => {
    rx.answers.push({ status: 429, headers: { 'retry-after': '30' } });
    await resolveItem();
    const other = await addItem(w.repos, w.ws, 'r-2');
    await w.repos.outbox.enqueue(w.ws, [{ type: 'item.post', itemId: other, platform: 'slack', channel: 'C1' }]);
    const slack = fakePort('slack', clock);
    const delivery = webhookWorker({ ports: { slack } });

    await delivery.drainOnce();
    expect(slack.calls.map((c) => c.op)).toEqual(['post']);
    const [row] = await loopRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(row!.next_attempt_at).getTime()).toBe(clock.now().getTime() + 30_000);
    clock.advance(29_999);
    await delivery.drainOnce();
    expect(rx.received).toHaveLength(1);
    clock.advance(1);
    await delivery.drainOnce();
    expect(rx.received).toHaveLength(2);
    expect(await loopRows()).toMatchObject([{ status: 'done', attempts: 1 }]);
  });

  it('an unreachable receiver is retried; so is one that does not answer in time', async () => {
    const gone = await startReceiver();
    const closedUrl = gone.url;
    await gone.close();
    await resolveItem();
    await webhookWorker({}, closedUrl).drainOnce();
    let [row] = await loopRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(new RegExp(`^WebhookUnreachable: could not reach ${gone.origin}: ECONNREFUSED`));
    expect(row!.last_error).not.toContain('receiver-token');

    rx.answers.push({ status: 200, hang: true });
    clock.advance(3_600_000);
    await webhookWorker({}, rx.url, 200).drainOnce();
    [row] = await loopRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: `WebhookUnreachable: no answer from ${rx.origin} within 200 ms` });
  });

  it('/cx status reads the attempts as the close-the-loop webhook', async () => {
    rx.answers.push({ status: 502 });
    await resolveItem();
    const delivery = webhookWorker();
    await delivery.drainOnce();
    clock.advance(3_600_000);
    await delivery.drainOnce();
    const view = (await w.repos.feedback.view(w.ws, w.itemId))!;
    const timeline = await w.repos.events.timeline(w.ws, w.itemId);
    const status = buildItemStatus(view, { text: 'card', blocks: [] }, timeline, [], new Map([[w.ana.id, 'Ana']]), { timezone: 'UTC' });
    const text = status.blocks.map((b) => (b.type === 'section' ? b.text : '')).join('\n').replaceAll(/[\uE000\uE001]/g, '');
    expect(text).toContain(`delivery to the close-the-loop webhook ${rx.origin} failed (attempt 1): WebhookServerError: HTTP 502 from ${rx.origin}`);
    expect(text).toContain(`delivered to the close-the-loop webhook ${rx.origin} (HTTP 204)`);
  });

  it('a queued event run where the webhook is not configured is dead-lettered, saying why', async () => {
    await resolveItem();
    await worker(t, { ports: {}, clock }).drainOnce();
    expect(await loopRows()).toMatchObject([
      { status: 'dead', attempts: 1, last_error: 'PermanentDeliveryError: LOOP_WEBHOOK_URL is not set in the process running delivery' },
    ]);
    expect(rx.received).toHaveLength(0);
  });
});

describe('close-the-loop webhook: enqueue', () => {
  it('enqueues the event in the resolve transaction, only when configured', async () => {
    await resolveItem();
    expect((await outboxJobs(t, w.ws)).map((j) => j.type)).toEqual(['item.changed', 'item.changed', 'loop.webhook']);

    const plain = createItemActions({ transactor: createTransactor(t.db), repos: createRepos(t.db), clock });
    const other = await addItem(w.repos, w.ws, 'r-2');
    expect((await plain.claim(ctx(w.ana, other))).ok).toBe(true);
    expect((await plain.resolve(ctx(w.ana, other), form())).ok).toBe(true);
    expect((await plain.reopen(ctx(w.chloe, other))).ok).toBe(true);
    const jobs = (await outboxJobs(t, w.ws)).filter((j) => j.itemId === other);
    expect(jobs.map((j) => j.type)).toEqual(['item.changed', 'item.changed', 'item.changed']);
  });

  it('a resolve that fails (bad form) enqueues nothing', async () => {
    expect((await actions.claim(ctx(w.ana))).ok).toBe(true);
    expect((await actions.resolve(ctx(w.ana), { ...form(), rootCause: 'not in the list' })).ok).toBe(false);
    expect((await outboxJobs(t, w.ws)).map((j) => j.type)).toEqual(['item.changed']);
  });
});
