// The close-the-loop webhook signature, Stripe-style, so receivers can use what they know:
//   X-CustomerFirst-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The timestamp is signed with the body, so a captured request cannot be replayed later than the
// receiver's tolerance (README: 5 minutes). Pure: the time is passed in.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-CustomerFirst-Signature';

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`. */
export function loopSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The X-CustomerFirst-Signature value for `body` sent at `at`. */
export function signatureHeader(secret: string, at: Date, body: string): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${loopSignature(secret, t, body)}`;
}
