// The Slack adapter's small parts: token encryption, SLACK_CHAMPIONS, error mapping, event
// dedupe, the in-flight counter, client settings, and the OAuth scopes matching the manifest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseChampions } from '../../src/adapters/slack/champions.ts';
import { createEventDedupe } from '../../src/adapters/slack/event-dedupe.ts';
import { createInFlight } from '../../src/adapters/slack/in-flight.ts';
import { BOT_SCOPES } from '../../src/adapters/slack/scopes.ts';
import { toChatError } from '../../src/adapters/slack/slack-errors.ts';
import { handlerFor } from '../../src/adapters/slack/listeners/route.ts';
import { createWorkQueue } from '../../src/adapters/slack/work-queue.ts';
import { SLACK_TIMEOUT_MS, slackClientOptions } from '../../src/adapters/slack/web-client.ts';
import { createTokenCipher, TokenCipherError } from '../../src/crypto/token-cipher.ts';
import {
  ChannelNotFound,
  MessageNotFound,
  NotInChannel,
  PermanentDeliveryError,
  RateLimited,
  TokenRevoked,
} from '../../src/delivery/errors.ts';

const HEX_KEY = 'a'.repeat(64);
const platformError = (error: string, retryAfter?: number) =>
  new WebAPIPlatformError({ ok: false, error, response_metadata: retryAfter ? { retryAfter } : {} });

describe('token cipher (AES-256-GCM)', () => {
  const cipher = createTokenCipher(HEX_KEY);

  it('round-trips, and never repeats a ciphertext', () => {
    const a = cipher.encrypt('xoxb-secret', 'slack:T1');
    const b = cipher.encrypt('xoxb-secret', 'slack:T1');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\./);
    expect(a).not.toContain('xoxb');
    expect(cipher.decrypt(a, 'slack:T1')).toBe('xoxb-secret');
  });

  it('refuses a tampered ciphertext, another row (aad) and another key', () => {
    const c = cipher.encrypt('xoxb-secret', 'slack:T1');
    const parts = c.split('.');
    parts[3] = Buffer.from('xoxb-other').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'slack:T1')).toThrow(TokenCipherError);
    expect(() => cipher.decrypt(c, 'slack:T2')).toThrow(TokenCipherError);
    expect(() => createTokenCipher('b'.repeat(64)).decrypt(c, 'slack:T1')).toThrow(TokenCipherError);
  });

  it('takes the key as 64 hex characters or base64, and nothing else', () => {
    const base64 = Buffer.from(HEX_KEY, 'hex').toString('base64');
    expect(createTokenCipher(base64).decrypt(cipher.encrypt('x'), undefined)).toBe('x');
    expect(() => createTokenCipher('too-short')).toThrow(/32 bytes/);
  });
});

describe('SLACK_CHAMPIONS', () => {
  it('splits user ids and user group ids, tolerating spaces and Slack mention syntax', () => {
    const spec = parseChampions(' U1, W2 <@U3> <!subteam^S0GROUP|@champs>,S9 ');
    expect([...spec.users].sort()).toEqual(['U1', 'U3', 'W2']);
    expect(spec.groups).toEqual(['S0GROUP', 'S9']);
    expect(parseChampions(undefined)).toEqual({ users: new Set(), groups: [] });
  });
});

describe('Slack errors → typed chat errors', () => {
  it.each([
    [new WebAPIRateLimitedError(7), RateLimited],
    [platformError('ratelimited', 3), RateLimited],
    [platformError('not_in_channel'), NotInChannel],
    [platformError('channel_not_found'), ChannelNotFound],
    [platformError('is_archived'), ChannelNotFound],
    [platformError('token_revoked'), TokenRevoked],
    [platformError('account_inactive'), TokenRevoked],
    [platformError('invalid_auth'), TokenRevoked],
    [platformError('message_not_found'), MessageNotFound],
    [platformError('invalid_blocks'), PermanentDeliveryError],
  ])('%s', (error, type) => {
    expect(toChatError(error, { channel: 'C1' })).toBeInstanceOf(type);
  });

  it('keeps Retry-After in milliseconds and says how to invite the bot', () => {
    expect((toChatError(new WebAPIRateLimitedError(7)) as RateLimited).retryAfterMs).toBe(7000);
    expect((toChatError(platformError('ratelimited', 3)) as RateLimited).retryAfterMs).toBe(3000);
    expect((toChatError(platformError('not_in_channel'), { channel: 'C9' }) as Error).message).toContain(
      '/invite @customer-first',
    );
  });

  it('leaves transient and unknown errors alone (the worker retries them)', () => {
    const network = new Error('socket hang up');
    expect(toChatError(network)).toBe(network);
    const odd = platformError('fatal_error');
    expect(toChatError(odd)).toBe(odd);
  });
});

describe('event dedupe and in-flight work', () => {
  it('lets an event id through once per window', () => {
    const dedupe = createEventDedupe({ windowMs: 1000 });
    expect(dedupe.firstTime('Ev1', 0)).toBe(true);
    expect(dedupe.firstTime('Ev1', 500)).toBe(false);
    expect(dedupe.firstTime('Ev2', 500)).toBe(true);
    expect(dedupe.firstTime('Ev1', 2000)).toBe(true);
  });

  it('idle() waits for tracked work', async () => {
    const inFlight = createInFlight();
    await inFlight.idle();
    let release!: () => void;
    const work = inFlight.track(new Promise<void>((r) => (release = r)));
    let idle = false;
    const waiting = inFlight.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    expect(inFlight.size).toBe(1);
    release();
    await work;
    await waiting;
    expect(idle).toBe(true);
  });
});

describe('after-ack work queue', () => {
  it('runs at most `concurrency` tasks at once, in order, and passes results and errors through', async () => {
    const queue = createWorkQueue(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      order.push(i);
      running -= 1;
      if (i === 3) throw new Error('boom');
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => queue.run(task(i))));
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, 'boom', 40]);
    expect(queue.waiting).toBe(0);
  });
});

describe('Web API client settings', () => {
  it('always sets a timeout and one quick retry, and points at SLACK_API_URL when set', () => {
    const custom = slackClientOptions({ apiUrl: 'http://127.0.0.1:1/api/' });
    expect(custom).toMatchObject({ slackApiUrl: 'http://127.0.0.1:1/api/', timeout: SLACK_TIMEOUT_MS });
    expect(custom.retryConfig?.retries).toBe(1);
    expect(slackClientOptions({}).slackApiUrl).toBeUndefined();
  });

  it('asks OAuth installs for exactly the manifest bot scopes', () => {
    const manifest = parse(readFileSync(path.resolve('manifests/slack/manifest.yaml'), 'utf8'));
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});

describe('request routing', () => {
  const h = (name: string) => Object.assign(async () => {}, { route: name });
  const routes = {
    actions: { 'feedback.claim': h('claim') },
    views: { 'feedback.resolve.submit': h('resolve') },
    commands: { '/cx': h('cx') },
    shortcuts: { 'feedback.log_from_message': h('log') },
    events: { app_home_opened: h('home'), message: h('message') },
  };
  const route = (body: object) => (handlerFor(routes, body) as { route?: string } | undefined)?.route;

  it('finds the handler by kind and id; a repeated button keeps its base id', () => {
    expect(route({ type: 'block_actions', actions: [{ action_id: 'feedback.claim' }] })).toBe('claim');
    expect(route({ type: 'block_actions', actions: [{ action_id: 'feedback.claim:2' }] })).toBe('claim');
    expect(route({ type: 'view_submission', view: { callback_id: 'feedback.resolve.submit' } })).toBe('resolve');
    expect(route({ command: '/cx', text: 'help' })).toBe('cx');
    expect(route({ type: 'message_action', callback_id: 'feedback.log_from_message' })).toBe('log');
    expect(route({ type: 'event_callback', event: { type: 'app_home_opened' } })).toBe('home');
    expect(route({ type: 'event_callback', event: { type: 'message' } })).toBe('message');
  });

  it('leaves anything else to Bolt, including ids that only look like keys', () => {
    expect(route({ type: 'block_actions', actions: [{ action_id: 'feedback.release' }] })).toBeUndefined();
    expect(route({ type: 'block_actions', actions: [{ action_id: 'toString' }] })).toBeUndefined();
    expect(route({ type: 'view_closed', view: { callback_id: 'feedback.resolve.submit' } })).toBeUndefined();
    expect(route({ type: 'event_callback', event: { type: '__proto__' } })).toBeUndefined();
    expect(route({ command: '/scores' })).toBeUndefined();
    expect(route({ type: 'shortcut', callback_id: 'feedback.log_from_message' })).toBeUndefined();
  });
});
