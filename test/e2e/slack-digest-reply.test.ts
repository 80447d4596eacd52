// Replies in a digest's thread become learnings by their author, once (Slack retries, or the same
// reply reaching another instance, store nothing more); replies elsewhere are ignored, and the
// channel gets no message about it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';
import { eventCallback, slashCommand } from '../helpers/slack-sign.ts';

const MEETING = 'C0MEETING';
let t: SlackTestApp;
let digestTs: string;

beforeAll(async () => {
  t = await startSlackTestApp();
  await t.send(slashCommand({ command: '/cx', text: 'digest', channel: MEETING, responseUrl: t.fake.responseUrl('digest') }));
  await t.idle();
  await t.deliver();
  const [post] = await t.app.ctx.db.query<{ message_id: string }>(
    `select message_id from chat_posts where purpose = 'digest' and channel = $1`,
    [MEETING],
  );
  digestTs = post!.message_id;
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.fake.clearCalls();
});

const reply = (a: { ts: string; threadTs: string; text: string; user?: string; eventId?: string }) =>
  eventCallback({
    eventId: a.eventId,
    event: {
      type: 'message',
      channel: MEETING,
      channel_type: 'channel',
      user: a.user ?? 'U7',
      text: a.text,
      ts: a.ts,
      thread_ts: a.threadTs,
      event_ts: a.ts,
    },
  });

const learnings = () =>
  t.app.ctx.db.query<{ text: string; source_ref: string; platform: string; slack_user_id: string | null }>(
    `select l.text, l.source_ref, l.platform, p.slack_user_id
       from learnings l left join people p on p.id = l.author_id order by l.created_at, l.id`,
  );

describe('a reply in a digest thread', () => {
  it('is a learning attributed to its author, stored once when Slack retries; nothing is posted', async () => {
    expect(await createChatPostsRepo(t.app.ctx.db.db).findByMessage('slack', MEETING, digestTs)).toMatchObject({ purpose: 'digest' });
    const event = reply({ ts: '1900000001.000100', threadTs: digestTs, text: 'Acme exports every Monday &amp; wants CSV', eventId: 'Ev-r1' });
    expect((await t.send(event)).status).toBe(200);
    await t.idle();
    expect((await t.send(event, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await t.idle();
    // The same reply under another event id (a retry that reached another instance).
    const again = reply({ ts: '1900000001.000100', threadTs: digestTs, text: 'Acme exports every Monday &amp; wants CSV', eventId: 'Ev-r1b' });
    expect((await t.send(again, { retryNum: 2 })).status).toBe(200);
    await t.idle();
    await t.deliver();
    expect(await learnings()).toEqual([
      { text: 'Acme exports every Monday & wants CSV', source_ref: `slack:${MEETING}:1900000001.000100`, platform: 'slack', slack_user_id: 'U7' },
    ]);
    for (const method of ['chat.postMessage', 'chat.postEphemeral', 'reactions.add']) expect(t.fake.callsTo(method)).toEqual([]);
  });

  it('in another thread, as a top-level message or from a bot, is ignored', async () => {
    const before = (await learnings()).length;
    await t.send(reply({ ts: '1900000002.000100', threadTs: '1800000000.000001', text: 'not about the digest' }));
    await t.send(reply({ ts: '1900000003.000100', threadTs: '1900000003.000100', text: 'a new top-level message' }));
    const fromBot = reply({ ts: '1900000004.000100', threadTs: digestTs, text: 'a bot speaking' }) as { json: any };
    fromBot.json.event.bot_id = 'B0OTHER';
    await t.send(fromBot);
    await t.idle();
    expect((await learnings()).length).toBe(before);
  });
});
