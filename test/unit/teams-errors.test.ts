// Teams start-up refusals, request screening and connector error mapping (pure parts).
import { describe, expect, it } from 'vitest';
import { assertTeamsAuthConfig, TeamsConfigError } from '../../src/adapters/teams/bot-adapter.ts';
import { activityProblem } from '../../src/adapters/teams/messages.route.ts';
import { TeamsTransientError, toChatError } from '../../src/adapters/teams/teams-errors.ts';
import { parseEnv } from '../../src/config/env.ts';
import { ChannelNotFound, MessageNotFound, NotInChannel, RateLimited, TokenRevoked } from '../../src/delivery/errors.ts';

const restError = (statusCode: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error('fake'), {
    name: 'RestError',
    statusCode,
    code: `Fake${statusCode}`,
    response: { status: statusCode, headers: { get: (n: string) => headers[n.toLowerCase()] } },
  });

describe('Teams authentication configuration', () => {
  const base = { MICROSOFT_APP_TYPE: 'MultiTenant' as const };

  it('refuses production without an app id, whatever else is set', () => {
    expect(() => assertTeamsAuthConfig({ ...base, NODE_ENV: 'production', TEAMS_LOCAL: true })).toThrow(TeamsConfigError);
    expect(() => assertTeamsAuthConfig({ ...base, NODE_ENV: 'production', TEAMS_LOCAL: false })).toThrow(/MICROSOFT_APP_ID/);
  });

  it('allows auth off only with TEAMS_LOCAL outside production', () => {
    expect(() => assertTeamsAuthConfig({ ...base, NODE_ENV: 'development', TEAMS_LOCAL: true })).not.toThrow();
    expect(() => assertTeamsAuthConfig({ ...base, NODE_ENV: 'development', TEAMS_LOCAL: false })).toThrow(/TEAMS_LOCAL/);
    expect(() =>
      assertTeamsAuthConfig({ ...base, NODE_ENV: 'production', TEAMS_LOCAL: false, MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw' }),
    ).not.toThrow();
  });

  it('the env schema already rejects TEAMS_LOCAL in production with one line', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', TEAMS_LOCAL: '1' })).toThrow(/TEAMS_LOCAL must not be set in production/);
  });
});

describe('activityProblem', () => {
  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    ['text', /JSON object/],
    [{}, /^type/],
    [{ type: '' }, /^type/],
    [{ type: 'message', serviceUrl: 5 }, /^serviceUrl/],
    [{ type: 'message', conversation: 'x' }, /^conversation/],
    [{ type: 'message', from: null }, /^from/],
  ])('%j → 400', (body, problem) => {
    expect(activityProblem(body)).toMatch(problem);
  });

  it('accepts an activity', () => {
    expect(activityProblem({ type: 'message', text: 'hi', conversation: { id: 'c' }, from: { id: 'u' } })).toBeNull();
  });
});

describe('toChatError', () => {
  it('maps 429 to RateLimited with Retry-After in seconds (or an HTTP date)', () => {
    const e = toChatError(restError(429, { 'retry-after': '3' }), 'post');
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).retryAfterMs).toBe(3000);
    expect((toChatError(restError(429), 'post') as RateLimited).retryAfterMs).toBe(1000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const dated = toChatError(restError(429, { 'retry-after': date }), 'post') as RateLimited;
    expect(dated.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('maps the rest by family', () => {
    expect(toChatError(restError(412), 'post')).toBeInstanceOf(TeamsTransientError);
    expect(toChatError(restError(502), 'update')).toBeInstanceOf(TeamsTransientError);
    expect(toChatError(restError(504), 'reply')).toBeInstanceOf(TeamsTransientError);
    expect(toChatError(new Error('ECONNRESET'), 'post')).toBeInstanceOf(TeamsTransientError);
    expect(toChatError(restError(401), 'post')).toBeInstanceOf(TokenRevoked);
    expect(toChatError(restError(403), 'post')).toBeInstanceOf(NotInChannel);
    expect(toChatError(restError(404), 'post')).toBeInstanceOf(ChannelNotFound);
    expect(toChatError(restError(404), 'update')).toBeInstanceOf(MessageNotFound);
  });

  it('keeps the cause and says what failed', () => {
    const cause = restError(502);
    const e = toChatError(cause, 'update');
    expect(e.cause).toBe(cause);
    expect(e.message).toMatch(/^Teams update failed \(HTTP 502\): Fake502: fake/);
  });
});
