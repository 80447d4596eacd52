// The close-the-loop webhook sender: one signed JSON POST per attempt to LOOP_WEBHOOK_URL, with
// its own timeout (the request is aborted, not abandoned). Redirects are not followed. The secret
// stays in this closure: no error, log line or timeline entry contains it, nor the URL's path.
import type { Clock, WebhookPort } from '../../core/ports.ts';
import { checkAnswer, safeOrigin, WebhookUnreachable } from './http-outcome.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

export const EVENT_HEADER = 'X-CustomerFirst-Event';
/** The event id: the same on every retry of one event, so receivers deduplicate on it. */
export const DELIVERY_HEADER = 'X-CustomerFirst-Delivery';

export type LoopWebhookOptions = { url: string; secret: string; timeoutMs: number; clock: Clock };

const SNIPPET_BYTES = 512;

export function createLoopWebhookPort(opts: LoopWebhookOptions): WebhookPort {
  const target = safeOrigin(opts.url);
  return {
    target,
    async send({ eventId, eventType, body }) {
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'CustomerFirst-Webhook/1',
            [EVENT_HEADER]: eventType,
            [DELIVERY_HEADER]: eventId,
            // Signed per attempt: the timestamp says when this request was sent.
            [SIGNATURE_HEADER]: signatureHeader(opts.secret, opts.clock.now(), body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch (error) {
        throw unreachable(error, opts, target);
      }
      let snippet = '';
      if (res.status >= 200 && res.status < 300) await res.body?.cancel().catch(() => {});
      else snippet = await readSnippet(res);
      checkAnswer(
        { status: res.status, retryAfter: res.headers.get('retry-after'), location: res.headers.get('location'), snippet },
        target,
        opts.clock.now(),
      );
      return { status: res.status };
    },
  };
}

/** The start of an error answer's body, on one line (the rest is not read). */
async function readSnippet(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short (or timed out) still leaves the status to go by.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function unreachable(error: unknown, opts: LoopWebhookOptions, target: string): WebhookUnreachable {
  const e = error as { name?: string; message?: string; cause?: { code?: unknown; message?: unknown } };
  if (e?.name === 'TimeoutError') {
    return new WebhookUnreachable(`no answer from ${target} within ${opts.timeoutMs} ms`);
  }
  const cause = e?.cause;
  const why = typeof cause?.code === 'string' ? `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}` : (e?.message ?? String(error));
  // A driver message may quote the URL: keep its path (possibly a token) out of the record.
  return new WebhookUnreachable(`could not reach ${target}: ${why.split(opts.url).join(target)}`);
}
