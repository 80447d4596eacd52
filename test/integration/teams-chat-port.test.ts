// The Teams ChatPort against a fake Bot Connector: proactive posts from stored references (by
// alias or conversation id), in-place updates, thread replies, 1:1 messages, and every connector
// failure mapped to the delivery worker's error families with exactly one HTTP call (the worker
// owns retries). Also the conversation-reference store (chat_channels).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBotAdapter } from '../../src/adapters/teams/bot-adapter.ts';
import { createCardRenderer } from '../../src/adapters/teams/card-renderer.ts';
import { createTeamsChatPort } from '../../src/adapters/teams/chat-port.ts';
import { TeamsTransientError } from '../../src/adapters/teams/teams-errors.ts';
import type { ChatPort } from '../../src/core/ports.ts';
import type { Message } from '../../src/core/messages/model.ts';
import { createChannelsRepo } from '../../src/db/repos/channels.repo.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import {
  ChannelNotFound,
  isPermanent,
  MessageNotFound,
  NotInChannel,
  PermanentDeliveryError,
  RateLimited,
} from '../../src/delivery/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { type FakeConnector, startFakeConnector } from '../helpers/fake-connector.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const CHANNEL = '19:port-channel@thread.tacv2';
const PERSONAL = 'a:personal-ana';
const message: Message = { text: 'Hello there', blocks: [{ type: 'section', text: 'Hello *there*' }] };

let db: TestDb;
let fake: FakeConnector;
let port: ChatPort;
let workspaceId: string;

const ref = (conversation: Record<string, unknown>, user?: Record<string, unknown>) => ({
  channelId: 'msteams',
  serviceUrl: fake.url,
  bot: { id: '28:bot', name: 'Customer First' },
  conversation,
  ...(user ? { user } : {}),
});

beforeAll(async () => {
  db = await getTestDb();
  fake = await startFakeConnector();
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});
beforeEach(async () => {
  await db.reset();
  fake.clear();
  workspaceId = (await ensureDefaultWorkspace(db.db)).id;
  const channels = createChannelsRepo(db.db);
  await channels.connect(workspaceId, {
    platform: 'teams',
    externalId: CHANNEL,
    alias: 'cx',
    conversationRef: ref({ id: CHANNEL, conversationType: 'channel', isGroup: true }),
  });
  await channels.upsertSeen(workspaceId, {
    platform: 'teams',
    externalId: PERSONAL,
    conversationRef: ref({ id: PERSONAL, conversationType: 'personal' }, { id: '29:ana', aadObjectId: 'aad-ana' }),
  });
  const adapter = createBotAdapter({ NODE_ENV: 'test', MICROSOFT_APP_TYPE: 'MultiTenant', TEAMS_LOCAL: true }, silentLogger);
  const render = createCardRenderer({ workspaceId, rootCauses: async () => ['Bug'], people: async () => [] });
  port = createTeamsChatPort({ adapter, appId: '', workspaceId, channels, render });
});

describe('Teams ChatPort', () => {
  it('posts by alias or conversation id and answers the conversation id and activity id', async () => {
    const byAlias = await port.post('cx', message);
    expect(byAlias).toEqual({ platform: 'teams', channel: CHANNEL, messageId: 'act-1' });
    const byId = await port.post(CHANNEL, message);
    expect(byId.channel).toBe(CHANNEL);
    const [first] = fake.activities();
    expect(first!.method).toBe('POST');
    expect(first!.conversationId).toBe(CHANNEL);
    expect(first!.body).toMatchObject({
      type: 'message',
      summary: 'Hello there',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
    });
    expect((first!.body as any).attachments[0].content.version).toBe('1.5');
  });

  it('refuses an unknown channel as permanent, naming the fix', async () => {
    const error = await port.post('nowhere', message).catch((e) => e);
    expect(error).toBeInstanceOf(ChannelNotFound);
    expect(isPermanent(error)).toBe(true);
    expect(error.message).toContain('connect nowhere');
    expect(fake.calls).toEqual([]);
  });

  it('updates a post in place', async () => {
    const post = await port.post('cx', message);
    await port.update(post, { text: 'Updated', blocks: [{ type: 'section', text: 'Updated' }] });
    const put = fake.activities().at(-1)!;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(`/v3/conversations/${encodeURIComponent(CHANNEL)}/activities/${post.messageId}`);
    expect((put.body as any).id).toBe(post.messageId);
  });

  it('replies in the thread of a channel post, and plainly in a 1:1 chat', async () => {
    const post = await port.post('cx', message);
    const reply = await port.reply(post, message);
    expect(fake.activities().at(-1)!.conversationId).toBe(`${CHANNEL};messageid=${post.messageId}`);
    expect(reply.channel).toBe(CHANNEL);
    await port.reply({ platform: 'teams', channel: PERSONAL, messageId: 'x-1' }, message);
    expect(fake.activities().at(-1)!.conversationId).toBe(PERSONAL);
  });

  it('messages a person 1:1 where a personal conversation exists', async () => {
    const dm = await port.dm('aad-ana', message);
    expect(dm.channel).toBe(PERSONAL);
    expect(fake.activities().at(-1)!.conversationId).toBe(PERSONAL);
    const error = await port.dm('aad-unknown', message).catch((e) => e);
    expect(error).toBeInstanceOf(ChannelNotFound);
  });
});

describe('connector failures → delivery errors, one HTTP call each', () => {
  it('429 → RateLimited with the Retry-After', async () => {
    fake.failNext(429, { retryAfterSeconds: 7 });
    const error = await port.post('cx', message).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterMs).toBe(7000);
    expect(fake.calls).toHaveLength(1);
  });

  it('429 without Retry-After waits a second', async () => {
    fake.failNext(429);
    const error = await port.post('cx', message).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterMs).toBe(1000);
  });

  it.each([412, 502, 504, 500])('%i → retryable', async (status) => {
    fake.failNext(status);
    const error = await port.post('cx', message).catch((e) => e);
    expect(error).toBeInstanceOf(TeamsTransientError);
    expect(isPermanent(error)).toBe(false);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(fake.calls).toHaveLength(1);
  });

  it('404 on update → MessageNotFound; 403 → NotInChannel; 413 → permanent', async () => {
    const post = await port.post('cx', message);
    fake.failNext(404);
    expect(await port.update(post, message).catch((e) => e)).toBeInstanceOf(MessageNotFound);
    fake.failNext(403);
    expect(await port.post('cx', message).catch((e) => e)).toBeInstanceOf(NotInChannel);
    fake.failNext(413);
    expect(await port.post('cx', message).catch((e) => e)).toBeInstanceOf(PermanentDeliveryError);
  });

  it('an unreachable connector is retryable', async () => {
    const channels = createChannelsRepo(db.db);
    await channels.connect(workspaceId, {
      platform: 'teams',
      externalId: '19:gone@thread.tacv2',
      alias: 'gone',
      conversationRef: { ...ref({ id: '19:gone@thread.tacv2', conversationType: 'channel' }), serviceUrl: 'http://127.0.0.1:9/' },
    });
    const error = await port.post('gone', message).catch((e) => e);
    expect(error).toBeInstanceOf(TeamsTransientError);
  });
});

describe('conversation references (chat_channels)', () => {
  it('keeps the alias when a conversation is seen again, and moves an alias to its new channel', async () => {
    const channels = createChannelsRepo(db.db);
    const seen = await channels.upsertSeen(workspaceId, {
      platform: 'teams',
      externalId: CHANNEL,
      name: 'Support › Feedback',
      conversationRef: ref({ id: CHANNEL, conversationType: 'channel' }),
    });
    expect(seen.alias).toBe('cx');
    expect(seen.name).toBe('Support › Feedback');
    await channels.connect(workspaceId, { platform: 'teams', externalId: '19:other@thread.tacv2', alias: 'cx' });
    expect((await channels.findByAlias(workspaceId, 'teams', 'cx'))?.externalId).toBe('19:other@thread.tacv2');
    expect((await channels.findByExternalId(workspaceId, 'teams', CHANNEL))?.alias).toBeNull();
    expect((await channels.listConnected(workspaceId, 'teams')).map((c) => c.alias)).toEqual(['cx']);
  });

  it('finds the personal conversation of a user by AAD object id', async () => {
    const channels = createChannelsRepo(db.db);
    expect((await channels.findPersonalConversation(workspaceId, 'aad-ana'))?.externalId).toBe(PERSONAL);
    expect(await channels.findPersonalConversation(workspaceId, 'aad-nobody')).toBeNull();
  });
});
