// Replies in a digest's thread (the bot @mentioned, words that are no command) become learnings by
// their author, once (the same activity sent again stores nothing more), without an answer in the
// thread; replies in other threads still get the usual command handling.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANA, BEN, BOT, startTeamsTestApp, TEAMS_CHANNEL, type TeamsTestApp, type TeamsUser } from '../helpers/teams-app.ts';

let t: TeamsTestApp;
let digestId: string;

beforeAll(async () => {
  t = await startTeamsTestApp();
  await t.connectChannel();
  await t.message('digest', { channel: true });
  await t.deliver();
  const [post] = await t.app.ctx.db.query<{ message_id: string }>(
    `select message_id from chat_posts where purpose = 'digest' and platform = 'teams' and channel = $1`,
    [TEAMS_CHANNEL],
  );
  digestId = post!.message_id;
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.connector.clear();
});

const threadReply = (a: { id: string; rootId: string; text: string; user?: TeamsUser }) => {
  const user = a.user ?? BEN;
  return t.send({
    id: a.id,
    type: 'message',
    text: `<at>${BOT.name}</at> ${a.text}`,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { id: `${TEAMS_CHANNEL};messageid=${a.rootId}`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-0001' },
    entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
    channelData: { tenant: { id: 'tenant-0001' }, team: { id: '19:team', name: 'Support' }, channel: { id: TEAMS_CHANNEL, name: 'Feedback' } },
  });
};

const learnings = () =>
  t.app.ctx.db.query<{ text: string; source_ref: string; platform: string; teams_aad_id: string | null }>(
    `select l.text, l.source_ref, l.platform, p.teams_aad_id
       from learnings l left join people p on p.id = l.author_id order by l.created_at, l.id`,
  );

/** Activities the bot sent into a thread of the channel (replies, not the proactive posts). */
const threadWrites = () => t.connector.activities().filter((c) => c.method === 'POST' && c.path.includes('messageid'));

describe('a reply in a digest thread', () => {
  it('is a learning attributed to its author, stored once when the activity comes again; no answer', async () => {
    expect((await threadReply({ id: 'reply-1', rootId: digestId, text: 'Acme &amp; Co export every Monday' })).status).toBe(200);
    expect((await threadReply({ id: 'reply-1', rootId: digestId, text: 'Acme &amp; Co export every Monday' })).status).toBe(200);
    expect(await learnings()).toEqual([
      { text: 'Acme & Co export every Monday', source_ref: 'teams:reply-1', platform: 'teams', teams_aad_id: BEN.aadObjectId },
    ]);
    expect(threadWrites()).toEqual([]);
    expect(t.connector.activities().filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('in another thread is not a learning (the usual "I don\'t know" answer)', async () => {
    const before = (await learnings()).length;
    expect((await threadReply({ id: 'reply-2', rootId: '1700000000999', text: 'Acme exports on Fridays', user: ANA })).status).toBe(200);
    expect((await learnings()).length).toBe(before);
    expect(t.connector.activities().filter((c) => c.method === 'POST').length).toBeGreaterThan(0);
  });

  it('that is a command runs the command instead', async () => {
    const before = (await learnings()).length;
    await threadReply({ id: 'reply-3', rootId: digestId, text: 'help' });
    expect((await learnings()).length).toBe(before);
    expect(t.connector.activities().filter((c) => c.method === 'POST').length).toBeGreaterThan(0);
  });
});
