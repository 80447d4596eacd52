// How each provider authenticates its webhooks, checked over the raw body bytes with
// crypto.timingSafeEqual on equal-length values:
// - Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, body)>`.
// - Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(app client secret, body)>`.
// - Zendesk: `X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256(secret, timestamp + body)>` with
//   `X-Zendesk-Webhook-Signature-Timestamp`.
// - Alchemer and Delighted sign nothing: the webhook URL carries a shared secret, as
//   `X-Webhook-Secret` (Alchemer's account webhooks can add headers) or `?secret=` (all that
//   Delighted's and Alchemer's URL fields allow). Both sides are hashed first so the comparison
//   is constant-time whatever the lengths.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ConnectorProvider } from '../core/connectors/map-kit.ts';

export type SignedRequest = { headers: Record<string, string | string[] | undefined>; query: URLSearchParams; body: Buffer; now: Date };

/**
 * Zendesk signs the time it sends: a timestamp this far from our clock is a replay (or a clock
 * far off), refused. 5 minutes, as Slack: wide enough for clock skew and slow networks, narrow
 * enough that a captured request cannot be replayed later.
 */
export const ZENDESK_TOLERANCE_MS = 5 * 60_000;

/** The credential a request carries, or a 401 message naming the header when it is missing/malformed. */
export type Presented = { ok: true; check(secret: string): boolean } | { ok: false; error: string };

export const SIGNATURE_HEADERS: Record<ConnectorProvider, string> = {
  typeform: 'Typeform-Signature',
  intercom: 'X-Hub-Signature',
  zendesk: 'X-Zendesk-Webhook-Signature',
  alchemer: 'X-Webhook-Secret',
  delighted: 'X-Webhook-Secret',
};

export function presented(provider: ConnectorProvider, req: SignedRequest): Presented {
  switch (provider) {
    case 'typeform':
      return prefixed(req, 'Typeform-Signature', 'sha256=', (s) => hmac('sha256', s, req.body).toString('base64'));
    case 'intercom':
      return prefixed(req, 'X-Hub-Signature', 'sha1=', (s) => hmac('sha1', s, req.body).toString('hex'), true);
    case 'zendesk':
      return zendesk(req);
    case 'alchemer':
    case 'delighted':
      return sharedSecret(req);
  }
}

function header(req: SignedRequest, name: string): string | null {
  const v = req.headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() ? s.trim() : null;
}

function hmac(algorithm: 'sha1' | 'sha256', secret: string, ...parts: Buffer[]): Buffer {
  const h = createHmac(algorithm, secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function prefixed(req: SignedRequest, name: string, prefix: string, expected: (secret: string) => string, lowercase = false): Presented {
  const value = header(req, name);
  if (!value) return { ok: false, error: `Missing ${name} header: the request is not signed by ${name === 'X-Hub-Signature' ? 'Intercom' : 'Typeform'} (set the webhook's secret to the connector's)` };
  if (!value.startsWith(prefix)) return { ok: false, error: `${name} header must be "${prefix}<signature>"` };
  const given = value.slice(prefix.length);
  return { ok: true, check: (secret) => equal(lowercase ? given.toLowerCase() : given, expected(secret)) };
}

function zendesk(req: SignedRequest): Presented {
  const signature = header(req, 'X-Zendesk-Webhook-Signature');
  const timestamp = header(req, 'X-Zendesk-Webhook-Signature-Timestamp');
  if (!signature) return { ok: false, error: 'Missing X-Zendesk-Webhook-Signature header: the request is not signed by Zendesk' };
  if (!timestamp) return { ok: false, error: 'Missing X-Zendesk-Webhook-Signature-Timestamp header: Zendesk sends it with the signature' };
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return { ok: false, error: 'X-Zendesk-Webhook-Signature-Timestamp header must be an ISO 8601 time' };
  if (Math.abs(req.now.getTime() - at) > ZENDESK_TOLERANCE_MS) {
    return { ok: false, error: `X-Zendesk-Webhook-Signature-Timestamp header is more than ${ZENDESK_TOLERANCE_MS / 60_000} minutes from our clock: refused as a replay` };
  }
  const ts = Buffer.from(timestamp, 'utf8');
  return { ok: true, check: (secret) => equal(signature, hmac('sha256', secret, ts, req.body).toString('base64')) };
}

function sharedSecret(req: SignedRequest): Presented {
  const given = header(req, 'X-Webhook-Secret') ?? req.query.get('secret');
  if (!given) return { ok: false, error: 'Missing X-Webhook-Secret header (or ?secret= in the webhook URL): send the connector\'s secret' };
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  const g = digest(given);
  return { ok: true, check: (secret) => timingSafeEqual(g, digest(secret)) };
}
