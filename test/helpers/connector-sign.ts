// Signs a body the way each provider does (test side of src/connectors/signatures.ts).
import { createHmac } from 'node:crypto';
import type { ConnectorProvider } from '../../src/core/connectors/map-kit.ts';

/** Headers (and a query string for shared-secret providers) a real delivery would carry. */
export function signedHeaders(provider: ConnectorProvider, secret: string, body: string, now: Date): Record<string, string> {
  switch (provider) {
    case 'typeform':
      return { 'typeform-signature': `sha256=${createHmac('sha256', secret).update(body).digest('base64')}` };
    case 'intercom':
      return { 'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` };
    case 'zendesk': {
      const ts = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
      return {
        'x-zendesk-webhook-signature': createHmac('sha256', secret).update(ts + body).digest('base64'),
        'x-zendesk-webhook-signature-timestamp': ts,
      };
    }
    case 'alchemer':
    case 'delighted':
      return { 'x-webhook-secret': secret };
  }
}
