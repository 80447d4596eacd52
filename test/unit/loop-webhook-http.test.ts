// The receiver's answer → the delivery worker's error families, and what the outbox does with them.
import { describe, expect, it } from 'vitest';
import {
  checkAnswer,
  DEFAULT_RATE_LIMIT_MS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  WebhookRateLimited,
  WebhookRejected,
  WebhookServerError,
} from '../../src/adapters/loop-webhook/http-outcome.ts';
import { isPermanent, RateLimited } from '../../src/delivery/errors.ts';
import type { StoredJob } from '../../src/delivery/jobs.ts';
import { decideOutcome } from '../../src/delivery/outcome.ts';

const NOW = new Date('2031-01-06T09:00:00Z');
const TARGET = 'https://hooks.example.com';
const answer = (status: number, over: Partial<Parameters<typeof checkAnswer>[0]> = {}) =>
  ({ status, retryAfter: null, location: null, snippet: '', ...over });
const thrown = (a: Parameters<typeof checkAnswer>[0]) => {
  try {
    checkAnswer(a, TARGET, NOW);
  } catch (error) {
    return error as Error & { httpStatus?: number };
  }
  return null;
};

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, caps far-off values, ignores junk', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW.getTime() + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(parseRetryAfter(new Date(NOW.getTime() - 5_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-3', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('checkAnswer', () => {
  it('accepts every 2xx', () => {
    for (const s of [200, 201, 202, 204, 299]) expect(thrown(answer(s))).toBeNull();
  });

  it('429: rate limited for exactly Retry-After (a minute without one)', () => {
    const e = thrown(answer(429, { retryAfter: '7' }));
    expect(e).toBeInstanceOf(WebhookRateLimited);
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).retryAfterMs).toBe(7000);
    expect(e!.httpStatus).toBe(429);
    expect((thrown(answer(429)) as RateLimited).retryAfterMs).toBe(DEFAULT_RATE_LIMIT_MS);
  });

  it('5xx: retryable, keeping Retry-After and the start of the answer', () => {
    const e = thrown(answer(503, { retryAfter: '120', snippet: 'maintenance' }));
    expect(e).toBeInstanceOf(WebhookServerError);
    expect(isPermanent(e)).toBe(false);
    expect((e as WebhookServerError).retryAfterMs).toBe(120_000);
    expect(e!.message).toBe('HTTP 503 from https://hooks.example.com: maintenance');
    expect(e!.httpStatus).toBe(503);
  });

  it('other 4xx and redirects: permanent (the receiver refused; a redirect is not followed)', () => {
    for (const s of [400, 401, 403, 404, 410, 422]) {
      const e = thrown(answer(s, { snippet: 'bad signature' }));
      expect(e).toBeInstanceOf(WebhookRejected);
      expect(isPermanent(e)).toBe(true);
      expect(e!.httpStatus).toBe(s);
      expect(e!.message).toContain(`HTTP ${s} from https://hooks.example.com`);
    }
    const moved = thrown(answer(301, { location: 'https://other.example.com/secret-path?token=abc' }));
    expect(isPermanent(moved)).toBe(true);
    expect(moved!.message).toBe(
      'HTTP 301 from https://hooks.example.com: redirected to https://other.example.com; set LOOP_WEBHOOK_URL to the final URL',
    );
  });
});

describe('outbox outcome of a 5xx with Retry-After', () => {
  const job = { type: 'loop.webhook', itemId: 'i1', eventId: 'e1', eventType: 'item.resolved', body: '{}' } as StoredJob;
  const target = { key: 'webhook', platform: 'webhook' as const, channel: TARGET };
  const policy = { now: NOW, maxAttempts: 5, maxRateLimits: 10, backoffMs: () => 1000 };

  it('counts an attempt and waits the longer of its backoff and Retry-After', () => {
    const error = new WebhookServerError(503, 'HTTP 503', 60_000);
    const patch = decideOutcome({ attempts: 0 }, job, { kind: 'results', results: [{ target, status: 'failed', error }], posts: [] }, policy);
    expect(patch).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(NOW.getTime() + 60_000) });
    const quick = new WebhookServerError(500, 'HTTP 500', null);
    const patch2 = decideOutcome({ attempts: 0 }, job, { kind: 'results', results: [{ target, status: 'failed', error: quick }], posts: [] }, policy);
    expect(patch2).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(NOW.getTime() + 1000) });
  });
});
