// Every secret the app handles stays out of its logs. The whole app runs with Slack (OAuth, a
// local fake Web API) and Teams (local mode, a fake Bot Connector) and a logger capturing every
// line at debug level; a full flow runs through it — Slack OAuth token exchange, intake with an
// API key, a signed Slack button click, a Teams invoke, a signed connector webhook — and then all
// the captured text is searched for each secret. Also: request ids are echoed (or generated) and
// stamped on the lines written while a request is handled.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/adapters/slack/slack.adapter.ts';
import { createSlackComponent } from '../../src/adapters/slack/slack.component.ts';
import { createTeamsComponent } from '../../src/adapters/teams/teams.component.ts';
import { type RunningApp, startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { secretAad } from '../../src/connectors/connector-secrets.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { createConnectorsRepo } from '../../src/db/repos/connectors.repo.ts';
import { createOutboxRepo } from '../../src/db/repos/outbox.repo.ts';
import { createHttpApp, listen } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';
import { signedHeaders } from '../helpers/connector-sign.ts';
import { type FakeConnector, startFakeConnector } from '../helpers/fake-connector.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buttonIn, movableClock, SIGNING_SECRET } from '../helpers/slack-app.ts';
import { blockAction, eventCallback, signSlackRequest } from '../helpers/slack-sign.ts';
import { ANA, BOT, TENANT } from '../helpers/teams-app.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const SECRETS = {
  signingSecret: SIGNING_SECRET,
  clientSecret: 'slack-client-secret-5f2a9c77',
  stateSecret: 'slack-state-secret-8e1d4b22',
  encryptionKey: randomBytes(32).toString('hex'),
  installedToken: 'xoxb-2-installed-bot-token-77aa',
  refreshToken: 'xoxe-1-refresh-token-99bb',
  teamsPassword: 'teams-app-password-3c7e~Q',
  oauthCode: 'oauth-code-4411aa',
  connectorSecret: 'whsec_log_test_1f2e3d4c5b6a',
};
const CARD_CHANNEL = 'C0FEEDBACK';
const TEAMS_CHANNEL = '19:log-channel@thread.tacv2';
const TEAM = 'T2';

const lines: string[] = [];
/** Dynamic secrets met during the flow (the API key, cookies, signatures). */
const seen: string[] = [];
const clock = movableClock();
let app: RunningApp;
let fake: FakeSlack;
let connector: FakeConnector;
let slack: SlackAdapter;
let testDb: TestDb | null = null;
let dataDir: string | null = null;
let apiKey: string;

const logged = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
const withRequestId = (id: string) => logged().filter((l) => l.requestId === id);

beforeAll(async () => {
  fake = await startFakeSlack();
  fake.answer('oauth.v2.access', () => ({
    app_id: 'A0FAKE',
    authed_user: { id: 'UINSTALLER' },
    scope: 'commands,chat:write',
    token_type: 'bot',
    access_token: SECRETS.installedToken,
    refresh_token: SECRETS.refreshToken,
    expires_in: 43_200,
    bot_user_id: 'UB2',
    team: { id: TEAM, name: 'Acme' },
    enterprise: null,
    is_enterprise_install: false,
  }));
  fake.answer('auth.test', () => ({ team_id: TEAM, user_id: 'UB2', bot_id: 'B2' }));
  connector = await startFakeConnector();
  connector.addMember({ ...ANA, userPrincipalName: ANA.email });
  testDb = process.env.TEST_DATABASE_URL ? await getTestDb() : null;
  dataDir = testDb ? null : mkdtempSync(path.join(tmpdir(), 'cf-logs-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...(testDb ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir! }),
    SLACK_SIGNING_SECRET: SECRETS.signingSecret,
    SLACK_CLIENT_ID: '111.222',
    SLACK_CLIENT_SECRET: SECRETS.clientSecret,
    SLACK_STATE_SECRET: SECRETS.stateSecret,
    TOKEN_ENCRYPTION_KEY: SECRETS.encryptionKey,
    SLACK_API_URL: fake.apiUrl,
    SLACK_DEFAULT_CHANNEL: CARD_CHANNEL,
    // Local mode (the fake connector cannot issue Bot Framework tokens); the password is still
    // configured and handed to botbuilder, so it must not surface anywhere either.
    TEAMS_LOCAL: '1',
    MICROSOFT_APP_PASSWORD: SECRETS.teamsPassword,
    TEAMS_DEFAULT_CHANNEL: 'cx',
    DELIVERY_START_DELAY_MS: '3600000',
  });
  app = await startApp(env, {
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
    print: () => {},
    consoleWrite: () => {},
    host: '127.0.0.1',
    clock,
    components: [
      (ctx) => createTeamsComponent(ctx),
      (ctx) =>
        createSlackComponent(ctx, {
          bolt: { tokenVerification: false, botId: 'BBOT', botUserId: 'UBOT' },
          onAdapter: (a) => {
            slack = a;
          },
        }),
    ],
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await fake?.close();
  await connector?.close();
  await testDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const outbox = () => createOutboxRepo(app.ctx.db.db);
async function deliver() {
  for (let i = 0; i < 300; i++) {
    if ((await app.worker.drainOnce()) > 0) continue;
    if ((await outbox().countByStatus()).pending === 0) return;
    clock.advance(1100);
  }
  throw new Error('delivery did not settle');
}

let activitySeq = 0;
async function teams(activity: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      id: `in-${++activitySeq}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      recipient: BOT,
      timestamp: new Date().toISOString(),
      from: { id: ANA.id, name: ANA.name, aadObjectId: ANA.aadObjectId },
      conversation: { id: TEAMS_CHANNEL, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, team: { id: '19:team', name: 'Support' }, channel: { id: TEAMS_CHANNEL, name: 'Feedback' } },
      ...activity,
    }),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

async function postFeedback(externalId: string, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api/v1/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ source: 'e2e', external_id: externalId, kind: 'nps', score: 2, comment: `Logged ${externalId}`, customer: { email: 'jo@example.com' } }),
  });
}

/** A signed request to /slack/events with extra headers. */
async function sendSlack(body: Parameters<typeof signSlackRequest>[1], headers: Record<string, string> = {}) {
  const signed = signSlackRequest(SECRETS.signingSecret, body);
  seen.push(signed.headers['x-slack-signature']!.slice(3));
  const res = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { ...signed.headers, ...headers }, body: signed.body });
  await res.text();
  await slack.idle();
  return res;
}

describe('logs during a full flow', () => {
  it('installs Slack through OAuth (the token exchange)', async () => {
    const install = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const state = new URL(install.headers.get('location')!).searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;
    seen.push(cookie.split('=').slice(1).join('='));
    const done = await fetch(`${app.url}/slack/oauth_redirect?code=${SECRETS.oauthCode}&state=${state}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(done.status).toBe(200);
    expect(fake.callsTo('oauth.v2.access')[0]!.args).toMatchObject({ code: SECRETS.oauthCode, client_secret: SECRETS.clientSecret });
  });

  it('connects a Teams channel', async () => {
    expect((await teams({ type: 'conversationUpdate', membersAdded: [BOT] })).status).toBe(200);
    const connect = await teams({
      type: 'message',
      text: `<at>${BOT.name}</at> connect cx`,
      entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
    });
    expect(connect.status).toBe(200);
  });

  it('accepts an item with an API key, echoing X-Request-Id, and posts it to Slack and Teams', async () => {
    apiKey = (await app.ctx.apiKeys.create(app.ctx.workspaceId, 'log-test')).key;
    seen.push(apiKey);
    // SDK errors are where tokens hide (request configs, headers): make both platforms fail once.
    fake.fail('chat.postMessage', { error: 'ratelimited', retryAfterSec: 1 });
    connector.failNext(502);
    const res = await postFeedback('log-1', { 'x-request-id': 'intake-req-1' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('intake-req-1');
    await deliver();
    const card = fake.callsTo('chat.postMessage').find((c) => c.args.channel === CARD_CHANNEL);
    expect(card?.token).toBe(SECRETS.installedToken);
    expect(connector.activities().some((c) => c.conversationId === TEAMS_CHANNEL && JSON.stringify(c.body).includes('Logged log-1'))).toBe(true);
    const retries = logged().filter((l) => l.msg === 'delivery will retry');
    expect(retries.map((l) => l.destination).sort()).toEqual([`slack:${CARD_CHANNEL}`, 'teams:cx']);
    expect(withRequestId('intake-req-1')).toContainEqual(
      expect.objectContaining({ level: 'debug', msg: 'POST /api/v1/feedback 202', method: 'POST', path: '/api/v1/feedback', status: 202 }),
    );
  });

  it('claims it with a signed Slack button click', async () => {
    const card = fake.callsTo('chat.postMessage').find((c) => c.args.channel === CARD_CHANNEL)!;
    const claim = buttonIn(card.args.blocks, ActionIds.claim)!;
    expect(claim).not.toBeNull();
    // The clicker is new: the app asks users.info, which fails (the app logs and goes on).
    fake.fail('users.info', { error: 'invalid_auth', times: 10 });
    const res = await sendSlack(
      blockAction({ team: TEAM, user: 'U1', actionId: claim.action_id, value: claim.value, channel: CARD_CHANNEL, messageTs: card.args.ts ?? '1.1' }),
      { 'x-request-id': 'slack-click-1' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('slack-click-1');
    await deliver();
    const [row] = await app.ctx.db.query<{ status: string }>("select status from feedback_items where external_id = 'log-1'");
    expect(row!.status).toBe('claimed');
    expect(withRequestId('slack-click-1')).toContainEqual(expect.objectContaining({ msg: 'users.info failed; using the name from the payload' }));
  });

  it('claims another item with a Teams invoke', async () => {
    expect((await postFeedback('log-2')).status).toBe(202);
    await deliver();
    const [item] = await app.ctx.db.query<{ id: string }>("select id from feedback_items where external_id = 'log-2'");
    const post = connector.activities().find((c) => c.conversationId === TEAMS_CHANNEL && JSON.stringify(c.body).includes(item!.id))!;
    const res = await teams(
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: post.answeredId,
        value: { action: { type: 'Action.Execute', verb: ActionIds.claim, data: { v: 1, item: item!.id, action: ActionIds.claim } } },
      },
      { 'x-request-id': 'teams-invoke-1' },
    );
    expect(res.status).toBe(200);
    expect(res.json?.type).toBe('application/vnd.microsoft.card.adaptive');
    const [row] = await app.ctx.db.query<{ status: string }>("select status from feedback_items where external_id = 'log-2'");
    expect(row!.status).toBe('claimed');
    expect(withRequestId('teams-invoke-1').map((l) => l.msg)).toContain('POST /api/messages 200');
  });

  it('accepts a signed connector webhook, its handler lines carrying the request id', async () => {
    const cipher = createTokenCipher(SECRETS.encryptionKey);
    await createConnectorsRepo(app.ctx.db.db).upsert(app.ctx.workspaceId, 'typeform', {}, (id) => cipher.encrypt(SECRETS.connectorSecret, secretAad(id, 'typeform')), clock.now());
    const body = readFileSync(new URL('../fixtures/connectors/typeform.form_response.json', import.meta.url), 'utf8');
    const headers = signedHeaders('typeform', SECRETS.connectorSecret, body, clock.now());
    seen.push(headers['typeform-signature']!.slice('sha256='.length));
    const res = await fetch(`${app.url}/api/v1/connectors/typeform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'connector-1', ...headers },
      body,
    });
    expect(res.status).toBe(202);
    // Written by the route's own code (a raw node:http route), not by the server.
    expect(withRequestId('connector-1')).toContainEqual(expect.objectContaining({ msg: 'connector webhook accepted', component: 'connectors' }));
  });

  it('stamps the request id on lines written inside Bolt (an express route)', async () => {
    const event = eventCallback({ team: TEAM, eventId: 'EvLogDup1', event: { type: 'reaction_added', user: 'U1', reaction: 'tada' } });
    expect((await sendSlack(event)).status).toBe(200);
    expect((await sendSlack(event, { 'x-request-id': 'slack-dup-1' })).status).toBe(200);
    expect(withRequestId('slack-dup-1')).toContainEqual(
      expect.objectContaining({ msg: 'dropped repeated Slack event', component: 'slack', eventId: 'EvLogDup1' }),
    );
  });

  it('generates a request id when none or an invalid one is given', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const none = await fetch(`${app.url}/healthz`);
    const bad = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'not valid!' } });
    const long = await fetch(`${app.url}/nope`, { headers: { 'x-request-id': 'x'.repeat(129) } });
    const ids = [none, bad, long].map((r) => r.headers.get('x-request-id')!);
    for (const id of ids) expect(id).toMatch(uuid);
    expect(new Set(ids).size).toBe(3);
    expect(long.status).toBe(404);
    // The 404 went through express's error handling: its line has the generated id too.
    expect(withRequestId(ids[2]!).map((l) => l.msg)).toContain('GET /nope 404');
  });

  it('wrote no secret to any line, and lines outside requests carry no request id', async () => {
    await app.close();
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    const secrets = { ...SECRETS, apiKey, ...Object.fromEntries(seen.map((s, i) => [`seen${i}`, s])) };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(text.includes(secret), `${name} is in the logs`).toBe(false);
    }
    // The flow really ran and logged: requests, deliveries, and no error line.
    const all = logged();
    expect(all.some((l) => l.msg === 'POST /slack/events 200')).toBe(true);
    expect(all.some((l) => l.component === 'delivery')).toBe(true);
    expect(all.filter((l) => l.level === 'error')).toEqual([]);
    // The test drained the outbox itself, outside any request.
    expect(all.filter((l) => l.component === 'delivery' && l.requestId)).toEqual([]);
  });
});

describe('the HTTP server around every request', () => {
  it('calls observe first (raw and express routes), logs one line per request, info for a 5xx', async () => {
    const out: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => out.push(l) });
    const observed: string[] = [];
    let failObserve = false;
    const http = createHttpApp({
      logger,
      readiness: async () => ({ ready: true }),
      observe: (req, res) => {
        if (failObserve) throw new Error('metrics broke');
        observed.push(`${req.method} ${req.url} ${res.getHeader('x-request-id')}`);
      },
      rawRoutes: [{ method: 'POST', path: '/raw', handler: (_req, res) => res.end('raw') }],
      routes: [
        {
          path: '/boom',
          handler: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    const server = await listen(http, { port: 0, host: '127.0.0.1' });
    try {
      expect(await (await fetch(`${server.url}/raw?x=1`, { method: 'POST', headers: { 'x-request-id': 'raw-1' } })).text()).toBe('raw');
      const boom = await fetch(`${server.url}/boom`, { headers: { 'x-request-id': 'boom-1' } });
      expect(boom.status).toBe(500);
      expect(boom.headers.get('x-request-id')).toBe('boom-1');
      expect(observed).toEqual(['POST /raw?x=1 raw-1', 'GET /boom boom-1']);
      failObserve = true;
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close(100);
    }
    const lines = out.map((l) => JSON.parse(l));
    // At info: the debug line of the raw request is dropped; the 5xx is kept, next to its error.
    expect(lines.filter((l) => l.requestId === 'boom-1').map((l) => [l.level, l.msg])).toEqual([
      ['error', 'request failed'],
      ['info', 'GET /boom 500'],
    ]);
    expect(lines.find((l) => l.msg === 'GET /boom 500')).toMatchObject({ method: 'GET', path: '/boom', status: 500, durationMs: expect.any(Number) });
    expect(lines.some((l) => l.requestId === 'raw-1')).toBe(false);
    expect(lines.find((l) => l.msg === 'http observe hook failed')).toMatchObject({ level: 'error', error: { message: 'metrics broke' } });
  });
});
