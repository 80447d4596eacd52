// The `loop.webhook` job on its own lane: what one send returns, and what it holds back.
import { describe, expect, it } from 'vitest';
import { WebhookRateLimited, WebhookServerError, WebhookUnreachable } from '../../src/adapters/loop-webhook/http-outcome.ts';
import type { DeliveryJob, WebhookPort } from '../../src/core/ports.ts';
import { PermanentDeliveryError } from '../../src/delivery/errors.ts';
import type { RunContext } from '../../src/delivery/jobs.ts';
import { runLoopWebhook, UNREACHABLE_HOLD_MS } from '../../src/delivery/loop-webhook.job.ts';
import { createPacer } from '../../src/delivery/pacing.ts';
import { settleBatchOf } from '../../src/delivery/settle-batch.ts';
import type { OutboxRow } from '../../src/db/repos/outbox.repo.ts';

const NOW = Date.parse('2031-01-06T09:00:00Z');
const job: Extract<DeliveryJob, { type: 'loop.webhook' }> = {
  type: 'loop.webhook',
  itemId: 'i1',
  eventId: 'e1',
  eventType: 'item.resolved',
  body: '{"id":"e1"}',
};

function port(...outcomes: (number | Error)[]): WebhookPort & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    target: 'https://hooks.example.com',
    sent,
    async send(delivery) {
      sent.push(delivery);
      const next = outcomes.shift() ?? 204;
      if (next instanceof Error) throw next;
      return { status: next };
    },
  };
}

const context = (webhook: WebhookPort | undefined, pacer = createPacer(), at = NOW) =>
  ({ now: new Date(at), webhook, pacer, sendTimeoutMs: 20_000 }) as unknown as RunContext;

describe('runLoopWebhook', () => {
  it('sends the stored body and reports the HTTP status', async () => {
    const p = port(202);
    const run = await runLoopWebhook(context(p), job);
    expect(p.sent).toEqual([{ eventId: 'e1', eventType: 'item.resolved', body: '{"id":"e1"}' }]);
    expect(run).toEqual({
      kind: 'results',
      results: [{ target: { key: 'webhook', platform: 'webhook', channel: 'https://hooks.example.com' }, status: 'ok', httpStatus: 202 }],
      posts: [],
    });
  });

  it('a 429 holds the lane for Retry-After: the next event waits without sending', async () => {
    const pacer = createPacer();
    const p = port(new WebhookRateLimited(30_000));
    const first = await runLoopWebhook(context(p, pacer), job);
    expect(first.kind === 'results' && first.results[0]).toMatchObject({ status: 'failed', httpStatus: 429 });
    const second = await runLoopWebhook(context(p, pacer, NOW + 1000), { ...job, eventId: 'e2' });
    expect(second.kind === 'results' && second.results[0]).toMatchObject({ status: 'deferred', until: NOW + 30_000 });
    expect(p.sent).toHaveLength(1);
    expect(await runLoopWebhook(context(p, pacer, NOW + 30_000), job)).toMatchObject({ results: [{ status: 'ok' }] });
  });

  it('an unreachable receiver holds the lane a while; a 5xx answer does not', async () => {
    const pacer = createPacer();
    const p = port(new WebhookServerError(500, 'HTTP 500', null), new WebhookUnreachable('could not reach'));
    await runLoopWebhook(context(p, pacer), job);
    expect(await runLoopWebhook(context(p, pacer), job)).toMatchObject({ results: [{ status: 'failed' }] });
    const held = await runLoopWebhook(context(p, pacer, NOW + 1), job);
    expect(held).toMatchObject({ results: [{ status: 'deferred', until: NOW + 20_000 + UNREACHABLE_HOLD_MS }] });
    expect(p.sent).toHaveLength(2);
  });

  it('without a configured webhook: a permanent failure that says why', async () => {
    const run = await runLoopWebhook(context(undefined), job);
    const result = run.kind === 'results' ? run.results[0] : null;
    expect(result).toMatchObject({ status: 'failed', target: { platform: 'webhook', channel: 'LOOP_WEBHOOK_URL' } });
    expect(result?.status === 'failed' && result.error).toBeInstanceOf(PermanentDeliveryError);
  });
});

describe('settling a webhook attempt', () => {
  it('records platform "webhook", the HTTP status, and a dead letter, under the system platform', () => {
    const row = { id: 'r1', workspaceId: 'w1', job, attempts: 2, lockedUntil: null } as unknown as OutboxRow;
    const target = { key: 'webhook', platform: 'webhook' as const, channel: 'https://hooks.example.com' };
    const batch = settleBatchOf([
      {
        row,
        patch: { status: 'dead', attempts: 3, lastError: 'x' },
        run: { kind: 'results', results: [{ target, status: 'failed', error: new WebhookServerError(503, 'HTTP 503', null), httpStatus: 503 }], posts: [] },
      },
    ]);
    expect(batch.events).toEqual([
      {
        workspaceId: 'w1',
        itemId: 'i1',
        type: 'delivery.attempt',
        platform: 'system',
        data: {
          platform: 'webhook',
          channel: 'https://hooks.example.com',
          ok: false,
          error: 'WebhookServerError: HTTP 503',
          attempt: 3,
          httpStatus: 503,
          deadLettered: true,
        },
      },
    ]);
  });
});
