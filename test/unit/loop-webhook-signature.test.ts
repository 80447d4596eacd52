// The close-the-loop signature: Stripe-style `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`.
import { describe, expect, it } from 'vitest';
import { loopSignature, signatureHeader } from '../../src/adapters/loop-webhook/signature.ts';

const SECRET = 'whsec_test_0123456789abcdef0123456789';
const BODY = '{"id":"evt_1"}';

describe('close-the-loop signature', () => {
  it('is the hex HMAC-SHA256 of "<t>.<body>" (known answer, computed with openssl)', () => {
    // printf '%s' '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac "$SECRET"
    expect(loopSignature(SECRET, 1_700_000_000, BODY)).toBe('ce6d659a091e1ae44c8146a3ad8762e0c2c48a34a8ffa89e9bd103b35b296660');
  });

  it('puts the unix time in seconds (rounded down) and the signature in the header', () => {
    const header = signatureHeader(SECRET, new Date(1_700_000_000_999), BODY);
    expect(header).toBe('t=1700000000,v1=ce6d659a091e1ae44c8146a3ad8762e0c2c48a34a8ffa89e9bd103b35b296660');
  });

  it('changes with the body, the time and the secret', () => {
    const base = loopSignature(SECRET, 1_700_000_000, BODY);
    expect(loopSignature(SECRET, 1_700_000_000, '{"id":"evt_2"}')).not.toBe(base);
    expect(loopSignature(SECRET, 1_700_000_001, BODY)).not.toBe(base);
    expect(loopSignature(`${SECRET}x`, 1_700_000_000, BODY)).not.toBe(base);
  });

  it('signs the UTF-8 bytes of the body', () => {
    const body = '{"comment":"Ça ne marche pas — 😞"}';
    expect(loopSignature(SECRET, 1, body)).toMatch(/^[0-9a-f]{64}$/);
    expect(loopSignature(SECRET, 1, body)).not.toBe(loopSignature(SECRET, 1, body.normalize('NFD')));
  });
});
