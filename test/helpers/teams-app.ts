// The whole app (startApp) with Teams in local mode (no app id: authentication off) and its
// replies going to a local fake Bot Connector (the activities' serviceUrl). Optionally Slack too,
// against a local fake Web API, for cross-platform tests. The delivery worker never polls: tests
// drain it with `deliver()`, moving the test clock past per-conversation pacing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SlackAdapter } from '../../src/adapters/slack/slack.adapter.ts';
import { createSlackComponent } from '../../src/adapters/slack/slack.component.ts';
import { createTeamsComponent } from '../../src/adapters/teams/teams.component.ts';
import type { ComponentFactory } from '../../src/app-context.ts';
import { type RunningApp, startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import type { IntakeInput } from '../../src/core/feedback/intake.service.ts';
import { createOutboxRepo } from '../../src/db/repos/outbox.repo.ts';
import { silentLogger } from '../../src/logger.ts';
import { type FakeConnector, startFakeConnector } from './fake-connector.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { type MovableClock, movableClock, SIGNING_SECRET } from './slack-app.ts';
import { sendSlack } from './slack-sign.ts';
import { getTestDb } from './test-db.ts';

export const TEAMS_CHANNEL = '19:feedback-channel@thread.tacv2';
export const TEAMS_ALIAS = 'cx';
export const TENANT = 'tenant-0001';
export const BOT = { id: '28:customer-first-bot', name: 'Customer First' };

export type TeamsUser = { id: string; name: string; aadObjectId: string; email?: string };

export const ANA: TeamsUser = { id: '29:ana', name: 'Ana Champion', aadObjectId: 'aad-ana', email: 'ana@example.com' };
export const BEN: TeamsUser = { id: '29:ben', name: 'Ben Member', aadObjectId: 'aad-ben', email: 'ben@example.com' };

export type Reply = { status: number; json: any; text: string };

export type TeamsTestApp = {
  app: RunningApp;
  clock: MovableClock;
  connector: FakeConnector;
  slack: FakeSlack | null;
  /** A signed request to /slack/events (with `slack: true`), then waits for its listeners. */
  sendSlack(body: { form: Record<string, string> } | { json: unknown }): ReturnType<typeof sendSlack>;
  workspaceId: string;
  messagesUrl: string;
  /** POSTs a raw body to /api/messages. */
  postRaw(body: string, headers?: Record<string, string>): Promise<Reply>;
  /** POSTs an activity (serviceUrl, channelId, recipient filled in). */
  send(activity: Record<string, unknown>): Promise<Reply>;
  /** A text message from `user`: 1:1 by default, or in the feedback channel with an @mention. */
  message(text: string, opts?: { user?: TeamsUser; channel?: boolean }): Promise<Reply>;
  /** An Action.Execute invoke from `user` on the card `replyToId` in `conversationId`. */
  invoke(
    verb: string,
    data: Record<string, unknown>,
    opts?: { user?: TeamsUser; conversationId?: string; replyToId?: string },
  ): Promise<Reply>;
  /** Adds the bot to the feedback channel and runs `connect cx` there. */
  connectChannel(alias?: string): Promise<void>;
  deliver(): Promise<void>;
  intake(input: Partial<IntakeInput> & { externalId: string }): Promise<string>;
  close(): Promise<void>;
};

let activitySeq = 0;

export function personalConversation(user: TeamsUser): string {
  return `a:personal-${user.id}`;
}

export async function startTeamsTestApp(
  opts: { env?: Record<string, string>; slack?: boolean; clock?: MovableClock } = {},
): Promise<TeamsTestApp> {
  const clock = opts.clock ?? movableClock();
  const connector = await startFakeConnector();
  for (const u of [ANA, BEN]) connector.addMember({ ...u, userPrincipalName: u.email });
  const slack = opts.slack ? await startFakeSlack() : null;
  const testDb = process.env.TEST_DATABASE_URL ? await getTestDb() : null;
  const dataDir = testDb ? null : mkdtempSync(path.join(tmpdir(), 'cf-teams-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'error',
    ...(testDb ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir! }),
    TEAMS_LOCAL: '1',
    TEAMS_DEFAULT_CHANNEL: TEAMS_ALIAS,
    ...(slack
      ? {
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          SLACK_DEFAULT_CHANNEL: 'C0FEEDBACK',
        }
      : {}),
    DELIVERY_START_DELAY_MS: '3600000',
    ...opts.env,
  });
  const components: ComponentFactory[] = [(ctx) => createTeamsComponent(ctx)];
  let slackAdapter: SlackAdapter | null = null;
  if (slack) {
    components.push((ctx) =>
      createSlackComponent(ctx, {
        bolt: { tokenVerification: false, botId: 'BBOT', botUserId: 'UBOT' },
        onAdapter: (a) => {
          slackAdapter = a;
        },
      }),
    );
  }
  const app = await startApp(env, {
    logger: silentLogger,
    print: () => {},
    consoleWrite: () => {},
    host: '127.0.0.1',
    clock,
    components,
  });
  const messagesUrl = `${app.url}/api/messages`;
  const outbox = createOutboxRepo(app.ctx.db.db);

  const postRaw = async (body: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await fetch(messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text };
  };
  const send = (activity: Record<string, unknown>) =>
    postRaw(
      JSON.stringify({
        id: `in-${++activitySeq}`,
        channelId: 'msteams',
        serviceUrl: connector.url,
        recipient: BOT,
        timestamp: new Date().toISOString(),
        locale: 'en-US',
        localTimezone: 'Europe/Paris',
        ...activity,
      }),
    );
  const from = (u: TeamsUser) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId });
  const channelConversation = (id: string) => ({
    id,
    conversationType: 'channel',
    isGroup: true,
    tenantId: TENANT,
  });
  const conversationFor = (user: TeamsUser, conversationId?: string, channel?: boolean) =>
    channel || conversationId?.startsWith('19:')
      ? channelConversation(conversationId ?? TEAMS_CHANNEL)
      : { id: conversationId ?? personalConversation(user), conversationType: 'personal', tenantId: TENANT };

  const message: TeamsTestApp['message'] = (text, o = {}) => {
    const user = o.user ?? ANA;
    if (!o.channel) return send({ type: 'message', text, from: from(user), conversation: conversationFor(user) });
    return send({
      type: 'message',
      text: `<at>${BOT.name}</at> ${text}`,
      from: from(user),
      conversation: conversationFor(user, undefined, true),
      entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
      channelData: { tenant: { id: TENANT }, team: { id: '19:team', name: 'Support' }, channel: { id: TEAMS_CHANNEL, name: 'Feedback' } },
    });
  };

  const deliver = async () => {
    for (let i = 0; i < 300; i++) {
      if ((await app.worker.drainOnce()) > 0) continue;
      if ((await outbox.countByStatus()).pending === 0) return;
      clock.advance(1100);
    }
    throw new Error('delivery did not settle');
  };

  return {
    app,
    clock,
    connector,
    slack,
    async sendSlack(body) {
      const res = await sendSlack(`${app.url}/slack/events`, SIGNING_SECRET, body);
      await (slackAdapter as SlackAdapter | null)?.idle();
      return res;
    },
    workspaceId: app.ctx.workspaceId,
    messagesUrl,
    postRaw,
    send,
    message,
    invoke(verb, data, o = {}) {
      const user = o.user ?? ANA;
      return send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        from: from(user),
        conversation: conversationFor(user, o.conversationId),
        replyToId: o.replyToId,
        value: { action: { type: 'Action.Execute', verb, data } },
      });
    },
    async connectChannel(alias = TEAMS_ALIAS) {
      const added = await send({
        type: 'conversationUpdate',
        from: from(ANA),
        conversation: channelConversation(TEAMS_CHANNEL),
        membersAdded: [BOT],
        channelData: { tenant: { id: TENANT }, team: { id: '19:team', name: 'Support' }, channel: { id: TEAMS_CHANNEL, name: 'Feedback' } },
      });
      if (added.status !== 200) throw new Error(`conversationUpdate answered ${added.status}`);
      const res = await message(`connect ${alias}`, { channel: true });
      if (res.status !== 200) throw new Error(`connect answered ${res.status}: ${res.text}`);
    },
    deliver,
    async intake(input) {
      const { id } = await app.ctx.intake.accept(app.ctx.workspaceId, {
        source: 'survey',
        kind: 'nps',
        score: 3,
        comment: 'The export is slow',
        touchpoint: 'export',
        tags: [],
        customer: { email: 'jo@example.com', name: 'Jo Customer' },
        ...input,
      });
      await deliver();
      return id;
    },
    async close() {
      await app.close();
      await connector.close();
      await slack?.close();
      await testDb?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The Adaptive Card attached to a recorded activity (or an invoke response body), if any. */
export function cardOf(value: any): any | null {
  if (value?.type === 'application/vnd.microsoft.card.adaptive') return value.value;
  const attachment = value?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content ?? null;
}

/** Every TextBlock / fact text of a card, joined: for readable assertions. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text);
    if (node.type === 'FactSet') for (const f of node.facts ?? []) out.push(`${f.title}: ${f.value}`);
    for (const key of ['body', 'items', 'card', 'actions', 'columns']) if (node[key]) walk(node[key]);
  };
  walk(card);
  return out.join('\n');
}

/** Every Action.Execute of a card (top level, ActionSets, ShowCard forms). */
export function executeActions(card: any): any[] {
  const out: any[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.Execute') out.push(node);
    for (const key of ['body', 'items', 'card', 'actions']) if (node[key]) walk(node[key]);
  };
  walk(card);
  return out;
}
