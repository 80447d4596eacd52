// The receiver's HTTP answer → the delivery worker's error families (src/delivery/errors.ts):
// 2xx delivered; 429 rate limited (wait Retry-After); 5xx retry later (not before Retry-After);
// any other status (a 4xx, a redirect) is the receiver's permanent refusal: dead-lettered at once.
// Pure: `now` is passed in. Errors carry `httpStatus` for the item's timeline.
import { ChatError, PermanentDeliveryError, RateLimited, RetryLater } from '../../delivery/errors.ts';

/** A 429 without Retry-After waits this long. */
export const DEFAULT_RATE_LIMIT_MS = 60_000;
/** A Retry-After further out than this is cut to it (a typo must not park an event for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export class WebhookRateLimited extends RateLimited {
  readonly httpStatus = 429;
}
export class WebhookServerError extends RetryLater {
  constructor(
    readonly httpStatus: number,
    message: string,
    retryAfterMs: number | null,
  ) {
    super(message, retryAfterMs);
  }
}
export class WebhookRejected extends PermanentDeliveryError {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}
/** No HTTP answer: connection refused or reset, DNS, TLS, timeout. Retried with backoff. */
export class WebhookUnreachable extends ChatError {}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`; null if absent or bad. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value?.trim()) return null;
  const raw = value.trim();
  let ms: number;
  if (/^\d+$/.test(raw)) ms = Number(raw) * 1000;
  else {
    // An HTTP-date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); "-3" is no date.
    if (!/[a-z]{3}/i.test(raw)) return null;
    const at = Date.parse(raw);
    if (!Number.isFinite(at)) return null;
    ms = Math.max(0, at - now.getTime());
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * Throws the error for a non-2xx answer; returns for a 2xx. `snippet`: the start of the answer's
 * body, so the dead letter says what the receiver objected to.
 */
export function checkAnswer(
  answer: { status: number; retryAfter: string | null; location: string | null; snippet: string },
  target: string,
  now: Date,
): void {
  const { status } = answer;
  if (status >= 200 && status < 300) return;
  const said = answer.snippet ? `: ${answer.snippet}` : '';
  const from = `HTTP ${status} from ${target}`;
  if (status === 429) {
    const wait = parseRetryAfter(answer.retryAfter, now) ?? DEFAULT_RATE_LIMIT_MS;
    throw new WebhookRateLimited(wait, `${from}, retry after ${wait} ms${said}`);
  }
  if (status >= 500) throw new WebhookServerError(status, `${from}${said}`, parseRetryAfter(answer.retryAfter, now));
  if (status >= 300 && status < 400) {
    // Following it would send the signed event somewhere nobody configured.
    const to = answer.location ? ` to ${safeOrigin(answer.location, target)}` : '';
    throw new WebhookRejected(status, `${from}: redirected${to}; set LOOP_WEBHOOK_URL to the final URL`);
  }
  throw new WebhookRejected(status, `${from} (the receiver refused the event; not retried)${said}`);
}

/** Scheme, host and port of a URL: never its path or query, which may hold a token. */
export function safeOrigin(url: string, base?: string): string {
  try {
    return new URL(url, base).origin;
  } catch {
    return 'an invalid URL';
  }
}
