// The Slack ChatPort the delivery worker uses, against the fake Web API: what it sends, and how
// each Slack failure becomes a typed error (and a revoked token deactivates the installation).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthPorts, createSingleTokenPort } from '../../src/adapters/slack/delivery-ports.ts';
import { createSlackInstallationStore } from '../../src/adapters/slack/installation-store.ts';
import type { Message } from '../../src/core/messages/model.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { createInstallationsRepo } from '../../src/db/repos/installations.repo.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { ChannelNotFound, NotInChannel, RateLimited, TokenRevoked } from '../../src/delivery/errors.ts';
import { silentLogger } from '../../src/logger.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

let fake: FakeSlack;
let db: TestDb;
beforeAll(async () => {
  [fake, db] = await Promise.all([startFakeSlack(), getTestDb()]);
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
});
beforeEach(async () => {
  fake.reset();
  await db.reset();
});

const message: Message = {
  text: 'NPS 2 from <!channel>',
  blocks: [{ type: 'quote', text: 'Ping <!here> & <@U1>' }],
};
const port = () => createSingleTokenPort('xoxb-single', { apiUrl: fake.apiUrl }, silentLogger);

describe('Slack ChatPort (single workspace)', () => {
  it('posts, updates, replies in the thread and DMs, rendered and escaped', async () => {
    const p = port();
    const ref = await p.post('C1', message);
    expect(ref).toEqual({ platform: 'slack', channel: 'C1', messageId: '1700000000.000001' });
    await p.update(ref, message);
    const reply = await p.reply(ref, message);
    await p.dm('U7', message);
    await p.dm('U7', message);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'chat.update',
      'chat.postMessage',
      'conversations.open', // once: the DM channel is remembered
      'chat.postMessage',
      'chat.postMessage',
    ]);
    const [post, update, thread] = fake.calls;
    expect(post!.token).toBe('xoxb-single');
    expect(post!.args).toMatchObject({ channel: 'C1', unfurl_links: 'false', unfurl_media: 'false' });
    expect(post!.args.text).toBe('NPS 2 from &lt;!channel&gt;');
    expect(JSON.stringify(post!.args.blocks)).toContain('&lt;!here&gt; &amp; &lt;@U1&gt;');
    expect(update!.args).toMatchObject({ channel: 'C1', ts: ref.messageId });
    expect(thread!.args.thread_ts).toBe(ref.messageId);
    expect(reply.messageId).not.toBe(ref.messageId);
    expect(fake.calls[4]!.args.channel).toBe('DU7');
  });

  it('ratelimited (HTTP 429) → RateLimited with Retry-After in ms, without retrying itself', async () => {
    fake.fail('chat.postMessage', { error: 'ratelimited', retryAfterSec: 3 });
    const error = await port().post('C1', message).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterMs).toBe(3000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('not_in_channel: joins the public channel once and posts', async () => {
    fake.fail('chat.postMessage', { error: 'not_in_channel' });
    const ref = await port().post('C2', message);
    expect(ref.channel).toBe('C2');
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'conversations.join', 'chat.postMessage']);
  });

  it('not_in_channel where joining is impossible → NotInChannel saying how to invite the bot', async () => {
    fake.fail('chat.postMessage', { error: 'not_in_channel' });
    fake.fail('conversations.join', { error: 'method_not_supported_for_channel_type' });
    const error = await port().post('G3', message).catch((e) => e);
    expect(error).toBeInstanceOf(NotInChannel);
    expect(error.message).toContain('/invite @customer-first');
  });

  it('channel_not_found → ChannelNotFound', async () => {
    fake.fail('chat.postMessage', { error: 'channel_not_found' });
    await expect(port().post('CNOPE', message)).rejects.toBeInstanceOf(ChannelNotFound);
  });

  it('token_revoked → TokenRevoked, and later sends fail fast without calling Slack', async () => {
    const p = port();
    fake.fail('chat.update', { error: 'token_revoked' });
    await expect(p.update({ platform: 'slack', channel: 'C1', messageId: '1.2' }, message)).rejects.toBeInstanceOf(TokenRevoked);
    fake.clearCalls();
    await expect(p.post('C1', message)).rejects.toBeInstanceOf(TokenRevoked);
    expect(fake.calls).toEqual([]);
  });
});

describe('Slack ChatPort (OAuth, one token per installation)', () => {
  it('uses the token of the installation that owns the channel, and deactivates it when revoked', async () => {
    const installations = createInstallationsRepo(db.db, createTokenCipher('c'.repeat(64)));
    const { id: workspaceId } = await ensureDefaultWorkspace(db.db);
    await installations.save({
      workspaceId,
      platform: 'slack',
      externalId: 'T1',
      botUserId: 'UB',
      installation: { team: { id: 'T1' }, bot: { token: 'xoxb-team-1', userId: 'UB', id: 'B', scopes: [] } },
    });
    const store = createSlackInstallationStore({ db: db.db, installations });
    const { chatPort } = createOAuthPorts({ db: db.db, installations, store, clientOpts: { apiUrl: fake.apiUrl }, logger: silentLogger });

    // The only installation: any channel goes through it.
    const ref = await chatPort.post('C1', message);
    expect(fake.calls[0]!.token).toBe('xoxb-team-1');
    await createChatPostsRepo(db.db).insert(workspaceId, { itemId: null, ...ref });

    fake.fail('chat.update', { error: 'account_inactive' });
    await expect(chatPort.update(ref, message)).rejects.toBeInstanceOf(TokenRevoked);
    expect((await installations.find('slack', 'T1'))!.active).toBe(false);
    fake.clearCalls();
    await expect(chatPort.update(ref, message)).rejects.toBeInstanceOf(TokenRevoked);
    expect(fake.calls).toEqual([]);
  });

  it('a channel no installation knows → ChannelNotFound', async () => {
    const installations = createInstallationsRepo(db.db, createTokenCipher('c'.repeat(64)));
    const store = createSlackInstallationStore({ db: db.db, installations });
    const { chatPort } = createOAuthPorts({ db: db.db, installations, store, clientOpts: { apiUrl: fake.apiUrl }, logger: silentLogger });
    await expect(chatPort.post('C404', message)).rejects.toBeInstanceOf(ChannelNotFound);
  });
});
