// The `loop.webhook` job: one signed POST of the stored event body to the close-the-loop receiver.
// One target ("webhook"), so the outcome rules are the chat ones: 2xx done; RateLimited (429)
// waits exactly Retry-After; RetryLater (5xx) and network errors back off; a permanent refusal
// (other 4xx) dead-letters at once. Its own lane (and destination, so its rows run one at a time
// beside the chat channels): a 429 or a receiver that is down holds back webhook sends only.
import type { DeliveryJob } from '../core/ports.ts';
import { PermanentDeliveryError, RateLimited } from './errors.ts';
import type { JobRun, RunContext, Target, TargetResult } from './jobs.ts';
import { withTimeout } from './timeout.ts';

type LoopWebhookJob = Extract<DeliveryJob, { type: 'loop.webhook' }>;

/** The pacing lane of every webhook send (a 429 holds back this lane only). */
export const WEBHOOK_LANE = 'webhook:loop';
/**
 * After a timeout or a refused connection, the other queued events wait this long instead of each
 * waiting out its own timeout in the same batch (they are not charged an attempt for waiting).
 */
export const UNREACHABLE_HOLD_MS = 5_000;

/** An error that carries the receiver's HTTP status (the adapter's), for the timeline. */
const statusOf = (error: unknown): number | undefined => {
  const status = (error as { httpStatus?: unknown } | null)?.httpStatus;
  return typeof status === 'number' ? status : undefined;
};

export async function runLoopWebhook(ctx: RunContext, job: LoopWebhookJob): Promise<JobRun> {
  const port = ctx.webhook;
  const target: Target = { key: 'webhook', platform: 'webhook', channel: port?.target ?? 'LOOP_WEBHOOK_URL' };
  const done = (result: TargetResult): JobRun => ({ kind: 'results', results: [result], posts: [] });
  if (!port) {
    // Queued while the webhook was configured, run by a process where it is not.
    const error = new PermanentDeliveryError('LOOP_WEBHOOK_URL is not set in the process running delivery');
    return done({ target, status: 'failed', error });
  }
  const now = ctx.now.getTime();
  // No interval: the lane books nothing, it only says whether it is held back (so a row that
  // waited is checked again, not sent on a reservation).
  const slot = ctx.pacer.takeSlot(WEBHOOK_LANE, now, 0);
  if (slot > now) return done({ target, status: 'deferred', until: slot });
  try {
    const send = port.send({ eventId: job.eventId, eventType: job.eventType, body: job.body });
    const { status } = await withTimeout(send, ctx.sendTimeoutMs, port.target);
    return done({ target, status: 'ok', httpStatus: status });
  } catch (error) {
    const httpStatus = statusOf(error);
    if (error instanceof RateLimited) ctx.pacer.block(WEBHOOK_LANE, now + error.retryAfterMs);
    else if (httpStatus === undefined && !(error instanceof PermanentDeliveryError)) {
      // `now` is when the send began: the failure came at most sendTimeoutMs later.
      ctx.pacer.block(WEBHOOK_LANE, now + ctx.sendTimeoutMs + UNREACHABLE_HOLD_MS);
    }
    return done({ target, status: 'failed', error, ...(httpStatus !== undefined ? { httpStatus } : {}) });
  }
}
