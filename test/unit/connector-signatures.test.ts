// Each provider's signature scheme: a correct one passes, anything else fails, missing headers are named.
import { describe, expect, it } from 'vitest';
import { presented, ZENDESK_TOLERANCE_MS } from '../../src/connectors/signatures.ts';
import { connectorProviders } from '../../src/core/connectors/map-kit.ts';
import { signedHeaders } from '../helpers/connector-sign.ts';

const NOW = new Date('2025-03-01T10:00:00Z');
const SECRET = 'wh_secret_0123456789abcdef';
const BODY = '{"hello":"wörld"}';
const req = (headers: Record<string, string>, query = '', body = BODY, now = NOW) => ({ headers, query: new URLSearchParams(query), body: Buffer.from(body), now });

describe.each(connectorProviders)('%s', (provider) => {
  const headers = signedHeaders(provider, SECRET, BODY, NOW);

  it('accepts the right secret over the raw body and refuses another secret or body', () => {
    const p = presented(provider, req(headers));
    expect(p.ok && p.check(SECRET)).toBe(true);
    expect(p.ok && p.check(`${SECRET}x`)).toBe(false);
    const tampered = presented(provider, req(headers, '', '{"hello":"world"}'));
    // Shared secrets do not cover the body; signatures do.
    expect(tampered.ok && tampered.check(SECRET)).toBe(provider === 'alchemer' || provider === 'delighted');
  });

  it('names the header when it is missing', () => {
    const p = presented(provider, req({}));
    expect(p.ok).toBe(false);
    expect(!p.ok && p.error).toMatch(/^Missing (Typeform-Signature|X-Hub-Signature|X-Zendesk-Webhook-Signature|X-Webhook-Secret) header/);
  });
});

describe('details', () => {
  it('takes the shared secret from ?secret= too', () => {
    const p = presented('delighted', req({}, `secret=${SECRET}`));
    expect(p.ok && p.check(SECRET)).toBe(true);
  });

  it('refuses a signature without its sha256= / sha1= prefix', () => {
    const tf = signedHeaders('typeform', SECRET, BODY, NOW)['typeform-signature']!.slice('sha256='.length);
    expect(presented('typeform', req({ 'typeform-signature': tf }))).toMatchObject({ ok: false, error: expect.stringContaining('sha256=') });
  });

  it('Zendesk: needs the timestamp header and refuses one outside the tolerance', () => {
    const headers = signedHeaders('zendesk', SECRET, BODY, NOW);
    expect(presented('zendesk', req({ 'x-zendesk-webhook-signature': headers['x-zendesk-webhook-signature']! }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('X-Zendesk-Webhook-Signature-Timestamp'),
    });
    const late = new Date(NOW.getTime() + ZENDESK_TOLERANCE_MS + 1000);
    expect(presented('zendesk', req(headers, '', BODY, late))).toMatchObject({ ok: false, error: expect.stringContaining('replay') });
    const early = new Date(NOW.getTime() - ZENDESK_TOLERANCE_MS + 1000);
    const p = presented('zendesk', req(headers, '', BODY, early));
    expect(p.ok && p.check(SECRET)).toBe(true);
  });
});
