// The delivery's Web API client against a local HTTP server: WebClient's wire format, and every
// kind of failure turned into what slack-errors.ts maps (or a plain error the outbox retries).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryClient } from '../../src/adapters/slack/delivery-client.ts';
import { slackErrorCode, toChatError } from '../../src/adapters/slack/slack-errors.ts';
import { RateLimited } from '../../src/delivery/errors.ts';

type Seen = { path: string; auth?: string; type?: string; body: string };
let server: Server;
let apiUrl: string;
let seen: Seen[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, type: req.headers['content-type'], body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  answer = (_req, res) => json(res, 200, { ok: true, channel: 'C1', ts: '1700000000.000100' });
});

/** The error a call failed with (a call that succeeds fails the test). */
const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as Error,
  );

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('Slack delivery client', () => {
  it('posts form-encoded arguments (objects as JSON) with the Bearer token, and answers the body', async () => {
    const client = createDeliveryClient('xoxb-1', { apiUrl });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'a & b <!here>' } }];
    const res = await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks, unfurl_links: false, thread_ts: undefined });
    expect(res).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    const [call] = seen;
    expect(call).toMatchObject({ path: '/api/chat.postMessage', auth: 'Bearer xoxb-1', type: 'application/x-www-form-urlencoded' });
    const form = new URLSearchParams(call!.body);
    expect([...form.keys()]).toEqual(['channel', 'text', 'blocks', 'unfurl_links']);
    expect(form.get('unfurl_links')).toBe('false');
    expect(JSON.parse(form.get('blocks')!)).toEqual(blocks);
  });

  it('reaches every method under an API URL given without its trailing slash', async () => {
    const client = createDeliveryClient('xoxb-1', { apiUrl: apiUrl.replace(/\/$/, '') });
    await client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' });
    await client.conversations.join({ channel: 'C1' });
    await client.conversations.open({ users: 'U1' });
    expect(seen.map((s) => s.path)).toEqual(['/api/chat.update', '/api/conversations.join', '/api/conversations.open']);
  });

  it('HTTP 429 → RateLimited after Retry-After', async () => {
    answer = (_req, res) => json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
    const error = await createDeliveryClient('xoxb-1', { apiUrl })
      .chat.update({ channel: 'C1', ts: '1.2' })
      .catch((e: unknown) => e);
    const mapped = toChatError(error);
    expect(mapped).toBeInstanceOf(RateLimited);
    expect((mapped as RateLimited).retryAfterMs).toBe(7000);
    expect(seen).toHaveLength(1);
  });

  it('ok: false → a platform error that carries Slack\'s code', async () => {
    answer = (_req, res) => json(res, 200, { ok: false, error: 'not_in_channel' });
    const error = await createDeliveryClient('xoxb-1', { apiUrl })
      .chat.postMessage({ channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(slackErrorCode(error)).toBe('not_in_channel');
    expect((error as Error).message).toContain('not_in_channel');
  });

  it('a server error, a body that is not JSON, and no answer in time are plain errors (the outbox retries them)', async () => {
    const client = createDeliveryClient('xoxb-1', { apiUrl, timeoutMs: 200 });
    answer = (_req, res) => json(res, 503, { ok: false });
    const unavailable = await failure(client.chat.update({ channel: 'C1', ts: '1.2' }));
    expect(unavailable.message).toBe('Slack answered chat.update with HTTP 503');

    answer = (_req, res) => res.end('<html>');
    const garbled = await failure(client.chat.update({ channel: 'C1', ts: '1.2' }));
    expect(garbled.message).toContain('not JSON');

    answer = () => {}; // never answers
    const late = await failure(client.chat.update({ channel: 'C1', ts: '1.2' }));
    expect(late.message).toBe('Slack did not answer chat.update within 200 ms');

    for (const error of [unavailable, garbled, late]) {
      expect(slackErrorCode(error)).toBeNull();
      expect(toChatError(error)).toBe(error);
    }
  });
});
