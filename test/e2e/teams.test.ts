// The running app with Teams in local mode and a fake Bot Connector: bad requests, commands by
// message, the card's life (posted to the connected channel, claimed by invoke, resolved through
// the inline form; every post updated, the thread records it), 50 concurrent claims, and every
// card the bot sends validated against the Adaptive Cards 1.5 schema.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createChannelsRepo } from '../../src/db/repos/channels.repo.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';
import {
  ANA,
  BEN,
  cardOf,
  cardText,
  executeActions,
  personalConversation,
  startTeamsTestApp,
  TEAMS_CHANNEL,
  type TeamsTestApp,
  type TeamsUser,
} from '../helpers/teams-app.ts';

let t: TeamsTestApp;
/** Every card the bot produced in this file: validated against the schema at the end. */
const seenCards: unknown[] = [];

beforeAll(async () => {
  t = await startTeamsTestApp();
  await t.connectChannel();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  for (const call of t.connector.activities()) {
    const card = cardOf(call.body);
    if (card) seenCards.push(card);
  }
  t.connector.clear();
});

const flat = (card: unknown) => cardText(card).replace(/[*_\\]/g, '');

function lastCard(): any {
  const card = t.connector
    .activities()
    .map((c) => cardOf(c.body))
    .filter(Boolean)
    .at(-1);
  if (!card) throw new Error('the bot sent no card');
  return card;
}

function invokeCard(res: { status: number; json: any }): any {
  expect(res.status).toBe(200);
  expect(res.json?.type).toBe('application/vnd.microsoft.card.adaptive');
  seenCards.push(res.json.value);
  return res.json.value;
}

let seq = 0;
/** An item delivered to the connected channel: its card post and the post's activity id. */
async function postedItem(comment = 'The export is slow') {
  const id = await t.intake({ externalId: `teams-${++seq}`, comment });
  const post = t.connector
    .activities()
    .find((c) => c.method === 'POST' && c.conversationId === TEAMS_CHANNEL && JSON.stringify(c.body).includes(id));
  if (!post) throw new Error(`no card posted for ${id}`);
  return { id, post, messageId: post.answeredId! };
}

const claim = (itemId: string, user: TeamsUser, replyToId?: string) =>
  t.invoke(ActionIds.claim, { v: 1, item: itemId, action: ActionIds.claim }, { user, conversationId: TEAMS_CHANNEL, replyToId });

describe('POST /api/messages rejects what is not an activity', () => {
  it('answers 400 to malformed JSON, a body without type, and a non-object; 405 to GET', async () => {
    expect((await t.postRaw('{"type": "message", ')).status).toBe(400);
    const noType = await t.postRaw(JSON.stringify({ text: 'open', serviceUrl: t.connector.url }));
    expect(noType.status).toBe(400);
    expect(noType.json.message).toMatch(/type/);
    expect((await t.postRaw('[1,2,3]')).status).toBe(400);
    expect((await t.postRaw('"hello"')).status).toBe(400);
    expect((await fetch(t.messagesUrl)).status).toBe(405);
    // The process is still up and nothing was sent.
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
    expect(t.connector.calls).toEqual([]);
  });

  it('survives an activity whose conversation is missing', async () => {
    const res = await t.send({ type: 'message', text: 'help', from: { id: ANA.id } });
    expect(res.status).toBeLessThan(500);
    expect((await fetch(`${t.app.url}/healthz`)).status).toBe(200);
  });
});

describe('commands by message', () => {
  it('help in a 1:1 chat replies with the command list, in reply to the message', async () => {
    const res = await t.message('help');
    expect(res.status).toBe(200);
    const [reply] = t.connector.activities();
    expect(reply!.conversationId).toBe(personalConversation(ANA));
    expect(reply!.activityId).toMatch(/^in-/); // a reply to the user's message
    expect(reply!.headers.authorization).toBeUndefined(); // local mode: no token
    expect(flat(cardOf(reply!.body))).toContain('connect <alias>');
  });

  it('an unknown word gets the help, saying what it did not understand', async () => {
    await t.message('frobnicate now');
    expect(flat(lastCard())).toMatch(/I don't know "frobnicate"/);
  });

  it('strips the @mention in a channel, and connect stores the conversation reference', async () => {
    await t.message('connect cx-emea', { channel: true });
    try {
      expect(flat(lastCard())).toMatch(/Connected this conversation as `?cx-emea/);
      const reply = t.connector.activities().at(-1)!;
      expect(reply.conversationId).toBe(TEAMS_CHANNEL);
      const channel = await createChannelsRepo(t.app.ctx.db.db).findByAlias(t.workspaceId, 'teams', 'cx-emea');
      expect(channel?.externalId).toBe(TEAMS_CHANNEL);
      expect(channel?.conversationRef).toMatchObject({
        serviceUrl: t.connector.url,
        conversation: { id: TEAMS_CHANNEL, conversationType: 'channel' },
        bot: { id: '28:customer-first-bot' },
      });
    } finally {
      // Back to the default alias (a channel has one alias).
      await t.message('connect cx', { channel: true });
    }
  });

  it('open lists the open items with a Claim button; mine lists mine', async () => {
    const { id } = await postedItem('Open me');
    t.connector.clear();
    await t.message('open');
    const card = lastCard();
    expect(flat(card)).toContain('Open feedback');
    expect(executeActions(card).some((a) => a.verb === ActionIds.claim && a.data.item === id)).toBe(true);
    await t.message('mine', { user: BEN });
    expect(flat(lastCard())).toContain('You own no open items');
  });

  it('status <id> replies with the item card and records it as a post of the item', async () => {
    const { id } = await postedItem('Status please');
    t.connector.clear();
    await t.message(`status ${id}`);
    const reply = t.connector.activities().at(-1)!;
    expect(flat(cardOf(reply.body))).toContain('Status please');
    const posts = await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, id);
    expect(posts.map((p) => p.messageId)).toContain(reply.answeredId);
  });

  it('log <text> stores a conversation note that is posted to the channel', async () => {
    await t.message('log Customer says onboarding emails are confusing');
    expect(flat(lastCard())).toMatch(/Logged/);
    await t.deliver();
    const posted = t.connector.activities().find((c) => c.conversationId === TEAMS_CHANNEL && c.method === 'POST');
    expect(flat(cardOf(posted!.body))).toContain('onboarding emails are confusing');
  });

  it('learned and scores answer (not "not set up")', async () => {
    await t.message('learned They export every Monday for the board');
    expect(flat(lastCard())).toMatch(/Thanks for sharing/);
    await t.message('scores 30d');
    expect(flat(lastCard())).toMatch(/Scores/);
    await t.message('scores by colour');
    expect(flat(lastCard())).toMatch(/colour/);
  });
});

describe('the card in a channel', () => {
  it('is posted proactively to the connected channel with fallback text, escaped customer words', async () => {
    const { post } = await postedItem('Hi <at>everyone</at> **urgent** [link](https://evil.example) _x_');
    expect(post.path).toMatch(/^\/v3\/conversations\/19%3Afeedback-channel%40thread\.tacv2\/activities/);
    expect((post.body as any).summary).toContain('NPS 3');
    const card = cardOf(post.body);
    expect(card.version).toBe('1.5');
    // Markdown in customer words is shown, not applied (fallbackText is plain text, not markdown).
    const shown = cardText(card);
    expect(shown).toContain('\\*\\*urgent\\*\\*');
    expect(shown).toContain('\\[link\\](https://evil.example)');
    const claimButton = executeActions(card).find((a) => a.verb === ActionIds.claim);
    expect(claimButton.fallback.type).toBe('Action.Submit');
  });

  it('Claim: the invoke response is the refreshed card; every post is updated; the thread records it', async () => {
    const { id, messageId } = await postedItem();
    t.connector.clear();
    const card = invokeCard(await claim(id, ANA, messageId));
    expect(flat(card)).toContain('Claimed by Ana Champion');
    // The claimed card carries the next actions, with Resolve and Reassign as inline forms.
    expect(JSON.stringify(card)).toContain('Action.ShowCard');
    expect(executeActions(card).map((a) => a.verb)).toEqual(
      expect.arrayContaining([ActionIds.release, ActionIds.resolveSubmit, ActionIds.reassignSubmit]),
    );
    await t.deliver();
    const update = t.connector.activities().find((c) => c.method === 'PUT' && c.activityId === messageId);
    expect(update?.conversationId).toBe(TEAMS_CHANNEL);
    expect(flat(cardOf(update!.body))).toContain('Claimed by Ana Champion');
    const thread = t.connector.activities().find((c) => c.conversationId === `${TEAMS_CHANNEL};messageid=${messageId}`);
    expect(flat(cardOf(thread!.body))).toContain('Claimed by');
  });

  it('the loser of a claim sees who won', async () => {
    const { id, messageId } = await postedItem();
    invokeCard(await claim(id, ANA, messageId));
    const lost = invokeCard(await claim(id, BEN, messageId));
    expect(flat(lost)).toContain('Already claimed by Ana Champion');
  });

  it('50 concurrent claims: exactly one winner, everyone else told who won', async () => {
    const { id, messageId } = await postedItem('Race');
    const users: TeamsUser[] = Array.from({ length: 50 }, (_, i) => ({
      id: `29:racer-${i}`,
      name: `Racer ${i}`,
      aadObjectId: `aad-racer-${i}`,
    }));
    const results = await Promise.all(users.map((u) => claim(id, u, messageId)));
    const texts = results.map((r) => flat(invokeCard(r)));
    const winners = texts.filter((x) => !x.includes('Already claimed'));
    expect(winners).toHaveLength(1);
    const winner = /Claimed by (Racer \d+)/.exec(winners[0]!)![1];
    for (const x of texts.filter((x) => x.includes('Already claimed'))) expect(x).toContain(`Already claimed by ${winner}`);
    const rows = await t.app.ctx.db.query<{ n: number }>(
      `select count(*)::int as n from feedback_events where item_id = $1 and type = 'claimed'`,
      [id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('Resolve through the inline form; a missing summary is explained on the card', async () => {
    const { id, messageId } = await postedItem();
    invokeCard(await claim(id, ANA, messageId));
    const data = { v: 1, item: id, action: ActionIds.resolveSubmit };
    const missing = invokeCard(await t.invoke(ActionIds.resolveSubmit, { ...data, 'resolve.rootCause': 'Bug' }, { conversationId: TEAMS_CHANNEL, replyToId: messageId }));
    expect(flat(missing)).toMatch(/summary/i);
    const causes = await t.app.ctx.actions.rootCauses(t.workspaceId);
    const done = invokeCard(
      await t.invoke(
        ActionIds.resolveSubmit,
        {
          ...data,
          'resolve.summary': 'Refunded and fixed the export',
          'resolve.rootCause': causes[0],
          'resolve.preventionAction': 'Add a test',
          'resolve.customerContacted': 'true',
        },
        { conversationId: TEAMS_CHANNEL, replyToId: messageId },
      ),
    );
    expect(flat(done)).toContain('Resolved by Ana Champion');
    expect(executeActions(done).map((a) => a.verb)).toContain(ActionIds.reopen);
  });

  it('Reassign through the inline form, to a known person', async () => {
    await t.message('help', { user: BEN }); // Ben becomes a known person
    const { id, messageId } = await postedItem();
    const card = invokeCard(await claim(id, ANA, messageId));
    const form = JSON.stringify(card);
    const ben = (await t.app.ctx.repos.people.list(t.workspaceId)).find((p) => p.teamsAadId === BEN.aadObjectId)!;
    expect(form).toContain(ben.id);
    const res = invokeCard(
      await t.invoke(
        ActionIds.reassignSubmit,
        { v: 1, item: id, action: ActionIds.reassignSubmit, 'reassign.to': ben.id },
        { conversationId: TEAMS_CHANNEL, replyToId: messageId },
      ),
    );
    expect(flat(res)).toContain('Claimed by Ben Member');
  });

  it('card.refresh returns the current card; an old payload gets a friendly message', async () => {
    const { id, messageId } = await postedItem();
    const current = invokeCard(await t.invoke('card.refresh', { v: 1, item: id, action: 'card.refresh' }, { conversationId: TEAMS_CHANNEL, replyToId: messageId }));
    expect(flat(current)).toContain('Open');
    const old = await t.invoke(ActionIds.claim, { v: 0, ticket: 7 }, { conversationId: TEAMS_CHANNEL });
    expect(old.status).toBe(200);
    expect(old.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(old.json.value).toMatch(/out of date/);
  });

  it('the Action.Submit fallback runs the same action and updates the card', async () => {
    const { id, messageId } = await postedItem();
    t.connector.clear();
    const res = await t.send({
      type: 'message',
      from: { id: BEN.id, name: BEN.name, aadObjectId: BEN.aadObjectId },
      conversation: { id: TEAMS_CHANNEL, conversationType: 'channel', isGroup: true },
      replyToId: messageId,
      value: { v: 1, item: id, action: ActionIds.claim },
    });
    expect(res.status).toBe(200);
    const update = t.connector.activities().find((c) => c.method === 'PUT' && c.activityId === messageId);
    expect(flat(cardOf(update!.body))).toContain('Claimed by Ben Member');
  });
});

describe.skipIf(!schemasDir())(`every card is an Adaptive Card 1.5 (${schemasDir() ? 'schema found' : schemasSkipMessage})`, () => {
  it('validates every card the bot sent or answered with in this file', () => {
    for (const call of t.connector.activities()) {
      const card = cardOf(call.body);
      if (card) seenCards.push(card);
    }
    expect(seenCards.length).toBeGreaterThan(20);
    for (const card of seenCards) expect(validateAdaptiveCard(card)).toEqual([]);
    for (const card of seenCards) expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80_000);
  });
});
