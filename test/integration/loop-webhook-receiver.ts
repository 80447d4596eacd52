// A local close-the-loop receiver (node:http on 127.0.0.1, port 0) that records every request and
// answers from a script, and a signature verifier written from the README alone (node:crypto),
// independent of the app's signing code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };
export type Answer = { status: number; headers?: Record<string, string>; body?: string; hang?: boolean };

export async function startReceiver() {
  const received: Received[] = [];
  /** Answers for the next requests, in order; then `fallback`. */
  const answers: Answer[] = [];
  const state = { fallback: { status: 204 } as Answer };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const a = answers.shift() ?? state.fallback;
      if (a.hang) return; // never answers: the sender's timeout must end it
      res.writeHead(a.status, a.headers);
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    /** With a path and a token in the query, as real receivers often have: neither may leak. */
    url: `${origin}/hooks/customer-first?token=receiver-token-123`,
    received,
    answers,
    state,
    reset() {
      received.length = 0;
      answers.length = 0;
      state.fallback = { status: 204 };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * How a receiver verifies `X-CustomerFirst-Signature: t=<unix s>,v1=<hex>` (README): HMAC-SHA256
 * of "<t>." + the raw body bytes, constant-time compared with every v1, and t within the tolerance.
 */
export function verifySignature(secret: string, header: string | string[] | undefined, rawBody: Buffer, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (typeof header !== 'string') return false;
  const pairs = header.split(',').map((part) => {
    const i = part.indexOf('=');
    return [part.slice(0, i).trim(), part.slice(i + 1).trim()] as const;
  });
  const t = pairs.find(([k]) => k === 't')?.[1];
  if (!t || !/^\d+$/.test(t) || Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${t}.`, 'utf8'), rawBody])).digest();
  return pairs
    .filter(([k]) => k === 'v1')
    .some(([, hex]) => {
      const given = Buffer.from(hex, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
