// One item, two platforms: its card is posted to a Slack channel and a Teams channel. A claim in
// Teams updates the Slack card in place (and records it in the Slack thread), a claim in Slack
// updates the Teams card, and one champion is one person across both (linked by email).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { blockAction } from '../helpers/slack-sign.ts';
import { blocksText, buttonIn, CARD_CHANNEL } from '../helpers/slack-app.ts';
import { ANA, cardOf, cardText, startTeamsTestApp, TEAMS_CHANNEL, type TeamsTestApp } from '../helpers/teams-app.ts';

let t: TeamsTestApp;
beforeAll(async () => {
  t = await startTeamsTestApp({ slack: true });
  await t.connectChannel();
  // Ana is on both platforms with the same email.
  t.slack!.setUser({ id: 'U0ANA', name: 'ana', realName: 'Ana Champion', email: ANA.email });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.connector.clear();
  t.slack!.clearCalls();
});

const flat = (card: unknown) => cardText(card).replace(/[*_\\]/g, '');
let seq = 0;

async function postedBoth() {
  const id = await t.intake({ externalId: `both-${++seq}` });
  const posts = await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, id);
  const slackPost = posts.find((p) => p.platform === 'slack');
  const teamsPost = posts.find((p) => p.platform === 'teams');
  expect(slackPost?.channel).toBe(CARD_CHANNEL);
  expect(teamsPost?.channel).toBe(TEAMS_CHANNEL);
  const slackCard = t.slack!.callsTo('chat.postMessage').find((c) => c.args.channel === CARD_CHANNEL && !c.args.thread_ts);
  return { id, slackPost: slackPost!, teamsPost: teamsPost!, slackClaim: buttonIn(slackCard!.args.blocks, ActionIds.claim)! };
}

describe('Slack and Teams show the same item', () => {
  it('a claim in Teams updates the Slack card and its thread', async () => {
    const { id, slackPost, teamsPost } = await postedBoth();
    t.slack!.clearCalls();
    const res = await t.invoke(
      ActionIds.claim,
      { v: 1, item: id, action: ActionIds.claim },
      { conversationId: TEAMS_CHANNEL, replyToId: teamsPost.messageId },
    );
    expect(flat(cardOf(res.json))).toContain('Claimed by Ana Champion');
    await t.deliver();
    const update = t.slack!.callsTo('chat.update').find((u) => u.args.ts === slackPost.messageId);
    expect(update?.args.channel).toBe(CARD_CHANNEL);
    expect(blocksText(update!.args.blocks)).toContain('Claimed by *Ana Champion*');
    expect(buttonIn(update!.args.blocks, ActionIds.claim)).toBeNull();
    const thread = t.slack!.callsTo('chat.postMessage').find((c) => c.args.thread_ts === slackPost.messageId);
    expect(thread?.args.text).toContain('Claimed by');
  });

  it('a claim in Slack updates the Teams card and its thread', async () => {
    const { slackPost, teamsPost, slackClaim } = await postedBoth();
    t.connector.clear();
    const res = await t.sendSlack(
      blockAction({ user: 'U0ANA', actionId: slackClaim.action_id, value: slackClaim.value, channel: CARD_CHANNEL, messageTs: slackPost.messageId }),
    );
    expect(res.status).toBe(200);
    await t.deliver();
    const update = t.connector.activities().find((c) => c.method === 'PUT' && c.activityId === teamsPost.messageId);
    expect(update?.conversationId).toBe(TEAMS_CHANNEL);
    expect(flat(cardOf(update!.body))).toContain('Claimed by Ana Champion');
    const thread = t.connector.activities().find((c) => c.conversationId === `${TEAMS_CHANNEL};messageid=${teamsPost.messageId}`);
    expect(flat(cardOf(thread!.body))).toContain('Claimed by');
  });

  it('Ana on Slack and Ana on Teams are one person (linked by email)', async () => {
    const people = await t.app.ctx.repos.people.list(t.workspaceId);
    const anas = people.filter((p) => p.email === ANA.email);
    expect(anas).toHaveLength(1);
    expect(anas[0]).toMatchObject({ slackUserId: 'U0ANA', teamsAadId: ANA.aadObjectId });
  });
});
