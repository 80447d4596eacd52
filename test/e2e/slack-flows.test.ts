// More of the Slack app against the running server and the fake Web API: old cards, permissions
// and champions, Reassign with its DM, Snooze, logging feedback from a message, commands, the App
// Home, and Slack's event retries.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { blocksText, buttonIn, CARD_CHANNEL, type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';
import { blockAction, eventCallback, messageShortcut, slashCommand, viewSubmission } from '../helpers/slack-sign.ts';

let t: SlackTestApp;
beforeAll(async () => {
  // UCHAMP is a champion by id; members of the user group S0CHAMPS are too.
  t = await startSlackTestApp({ env: { SLACK_CHAMPIONS: 'UCHAMP, S0CHAMPS' } });
  t.fake.setUsergroup('S0CHAMPS', ['UGROUPIE']);
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.fake.clearCalls();
});

let seq = 0;
async function posted(comment = 'Setup took a week') {
  const id = await t.intake({ externalId: `flow-${++seq}`, comment });
  const [post] = await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, id);
  const card = t.fake.callsTo('chat.postMessage').find((c) => blocksText(c.args.blocks).includes(id))!;
  t.fake.clearCalls();
  return { id, ts: post!.messageId, blocks: card.args.blocks as any[] };
}

async function click(user: string, actionId: string, value: string, ts = '1700000000.000001', responseId = `${user}-${actionId}`) {
  const res = await t.send(
    blockAction({ user, actionId, value, channel: CARD_CHANNEL, messageTs: ts, responseUrl: t.fake.responseUrl(responseId) }),
  );
  expect(res.status).toBe(200);
  await t.idle();
  await t.deliver();
}

/** The card as last updated (or as posted). */
const latestBlocks = (fallback: any[]) => (t.fake.callsTo('chat.update').at(-1)?.args.blocks as any[]) ?? fallback;
const ephemeralTexts = () => t.fake.callsTo('response_url').map((c) => c.args.text as string);

describe('old cards and permissions', () => {
  it('a payload that no longer parses gets "out of date" with the current card', async () => {
    const { id, ts } = await posted();
    await click('U1', ActionIds.claim, JSON.stringify({ v: 0, item: id }), ts, 'old');
    const [reply] = t.fake.callsTo('response_url');
    expect(reply!.args.text).toContain('This card is out of date');
    expect(buttonIn(reply!.args.blocks, ActionIds.claim)!.value).toBe(JSON.stringify({ v: 1, item: id }));
    expect(t.fake.callsTo('chat.update')).toEqual([]);
    // Not even JSON: the item is found from the post the button was on.
    t.fake.clearCalls();
    await click('U1', ActionIds.claim, 'legacy-value', ts, 'older');
    expect(t.fake.callsTo('response_url')[0]!.args.text).toContain('out of date');
    expect(blocksText(t.fake.callsTo('response_url')[0]!.args.blocks)).toContain(id);
  });

  it('only the claimer or a champion (by id or user group) may release', async () => {
    const { id, ts, blocks } = await posted();
    await click('U2', ActionIds.claim, buttonIn(blocks, ActionIds.claim)!.value, ts);
    const release = buttonIn(latestBlocks(blocks), ActionIds.release)!;
    t.fake.clearCalls();
    await click('U3', ActionIds.release, release.value, ts);
    expect(ephemeralTexts()).toEqual([expect.stringMatching(/^Only @u2 \(who claimed it\) or a champion can release/)]);
    expect(t.fake.callsTo('chat.update')).toEqual([]);

    t.fake.clearCalls();
    await click('UGROUPIE', ActionIds.release, release.value, ts);
    expect(ephemeralTexts()).toEqual([]);
    expect(blocksText(latestBlocks([]))).toContain('needs an owner');
    const item = await t.app.ctx.repos.feedback.findById(t.workspaceId, id);
    expect(item!.status).toBe('open');
    const champion = (await t.app.ctx.repos.people.list(t.workspaceId)).find((p) => p.slackUserId === 'UGROUPIE');
    expect(champion!.role).toBe('champion');
  });
});

describe('Reassign and Snooze', () => {
  it('Reassign opens a user picker; the new owner gets a DM and the card names them', async () => {
    const { ts, blocks } = await posted('They never called back');
    await click('UCHAMP', ActionIds.claim, buttonIn(blocks, ActionIds.claim)!.value, ts);
    const reassign = buttonIn(latestBlocks(blocks), ActionIds.reassign)!;
    t.fake.clearCalls();
    await click('UCHAMP', ActionIds.reassign, reassign.value, ts);
    const view = t.fake.callsTo('views.open')[0]!.args.view;
    expect(view.callback_id).toBe(ActionIds.reassignSubmit);

    t.fake.setUser({ id: 'UNEW', name: 'nia', email: 'nia@example.com' });
    t.fake.clearCalls();
    const res = await t.send(
      viewSubmission({
        user: 'UCHAMP',
        callbackId: ActionIds.reassignSubmit,
        privateMetadata: view.private_metadata,
        values: { assignee: { value: { type: 'users_select', selected_user: 'UNEW' } } },
      }),
    );
    expect(res.status).toBe(200);
    await t.idle();
    await t.deliver();
    expect(t.fake.callsTo('conversations.open')[0]!.args.users).toBe('UNEW');
    const dm = t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'DUNEW')!;
    expect(dm.args.text).toContain('assigned you');
    expect(blocksText(latestBlocks([]))).toContain('Claimed by *nia*');
  });

  it('Snooze till morning moves the due time and says so on the card', async () => {
    const { id, ts, blocks } = await posted();
    const before = (await t.app.ctx.repos.feedback.findById(t.workspaceId, id))!.dueAt;
    const morning = blocks.flatMap((b) => b.elements ?? []).find((e: any) => JSON.parse(e.value ?? '{}').arg === 'morning');
    await click('UCHAMP', morning.action_id, morning.value, ts);
    const after = await t.app.ctx.repos.feedback.findById(t.workspaceId, id);
    expect(after!.snoozedUntil).not.toBeNull();
    expect(after!.dueAt.getTime()).toBeGreaterThan(before.getTime());
    expect(blocksText(latestBlocks([]))).toContain('snoozed until');
  });
});

describe('logging feedback from Slack', () => {
  it('the message shortcut opens a pre-filled form; the item is created once and posted', async () => {
    const res = await t.send(
      messageShortcut({ user: 'U5', callbackId: ActionIds.logFromMessage, text: 'Customer says: <!here> pricing is confusing', channel: 'C0SALES', messageTs: '1700000555.000100' }),
    );
    expect(res.status).toBe(200);
    await t.idle();
    const view = t.fake.callsTo('views.open')[0]!.args.view;
    expect(view.callback_id).toBe(ActionIds.logSubmit);
    const text = view.blocks.find((b: any) => b.block_id === 'feedback_text');
    expect(text.element.initial_value).toBe('Customer says: <!here> pricing is confusing');

    const submit = () =>
      t.send(
        viewSubmission({
          user: 'U5',
          callbackId: ActionIds.logSubmit,
          privateMetadata: view.private_metadata,
          values: {
            feedback_text: { value: { type: 'plain_text_input', value: 'Customer says: <!here> pricing is confusing' } },
            kind: { value: { type: 'static_select', selected_option: { value: 'comment' } } },
            customer: { value: { type: 'plain_text_input', value: 'buyer@acme.example' } },
          },
        }),
      );
    t.fake.clearCalls();
    expect((await submit()).status).toBe(200);
    await t.idle();
    expect((await submit()).status).toBe(200);
    await t.idle();
    await t.deliver();
    const logged = await t.app.ctx.repos.feedback.list(t.workspaceId, { limit: 1000 });
    const mine = logged.filter((i) => i.source === 'slack' && i.externalId === 'T0FAKE:C0SALES:1700000555.000100');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.kind).toBe('comment');
    const cards = t.fake.callsTo('chat.postMessage').filter((c) => blocksText(c.args.blocks).includes(mine[0]!.id));
    expect(cards).toHaveLength(1);
    expect(blocksText(cards[0]!.args.blocks)).toContain('&lt;!here&gt;');
    expect(t.fake.callsTo('chat.postEphemeral').map((c) => c.args.text)).toEqual([
      expect.stringContaining('Thanks!'),
      expect.stringContaining('already logged'),
    ]);
  });

  it('a form error shows next to the field (a CSAT needs a score)', async () => {
    const res = await t.send(
      viewSubmission({
        user: 'U5',
        callbackId: ActionIds.logSubmit,
        values: {
          feedback_text: { value: { type: 'plain_text_input', value: 'meh' } },
          kind: { value: { type: 'static_select', selected_option: { value: 'csat' } } },
        },
      }),
    );
    expect(res.json).toEqual({ response_action: 'errors', errors: { score: 'CSAT needs a score from 1 to 5' } });
  });

  it('/cx log opens the form', async () => {
    await t.send(slashCommand({ command: '/cx', text: 'log They love the new export', channel: 'C0SALES' }));
    await t.idle();
    const view = t.fake.callsTo('views.open')[0]!.args.view;
    expect(view.blocks.find((b: any) => b.block_id === 'feedback_text').element.initial_value).toBe('They love the new export');
  });
});

describe('commands, App Home, events', () => {
  it('/cx status shows the timeline with the delivery attempts', async () => {
    const { id } = await posted();
    await t.send(slashCommand({ command: '/cx', text: `status ${id}`, responseUrl: t.fake.responseUrl('status') }));
    await t.idle();
    const [answer] = t.fake.callsTo('response_url');
    expect(answer!.args.response_type).toBe('ephemeral');
    const text = blocksText(answer!.args.blocks);
    expect(text).toContain('received');
    expect(text).toContain(`delivered to slack ${CARD_CHANNEL}`);
  });

  it('/cx open lists the queue with Claim buttons; /scores public answers in the channel', async () => {
    const { id } = await posted();
    t.clock.advance(60_000); // the scores window ends now (exclusive)
    await t.send(slashCommand({ command: '/cx', text: 'open', responseUrl: t.fake.responseUrl('open') }));
    await t.send(slashCommand({ command: '/scores', text: '90d public', responseUrl: t.fake.responseUrl('scores') }));
    await t.idle();
    const open = t.fake.callsTo('response_url').find((c) => c.responseId === 'open')!;
    expect(buttonIn(open.args.blocks, ActionIds.claim)).not.toBeNull();
    expect(blocksText(open.args.blocks)).toContain(id);
    const scores = t.fake.callsTo('response_url').find((c) => c.responseId === 'scores')!;
    expect(scores.args.response_type).toBe('in_channel');
    expect(blocksText(scores.args.blocks)).toContain('NPS');
  });

  it('/cx learned shares a learning; /cx digest posts the digest to the channel', async () => {
    await posted();
    await t.send(
      slashCommand({ command: '/cx', text: 'learned They export every Monday [jo@example.com]', responseUrl: t.fake.responseUrl('learned') }),
    );
    await t.idle();
    t.clock.advance(60_000); // the digest covers the 24 h up to now (exclusive)
    await t.send(slashCommand({ command: '/cx', text: 'digest', channel: 'C0MEETING', responseUrl: t.fake.responseUrl('digest') }));
    await t.idle();
    await t.deliver();
    const answers = Object.fromEntries(t.fake.callsTo('response_url').map((c) => [c.responseId, c.args.text as string]));
    expect(answers.learned).toMatch(/^Thanks for sharing \(about Jo Customer\)/);
    expect(answers.digest).toContain('on its way');
    const digest = t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0MEETING')!;
    expect(blocksText(digest.args.blocks)).toContain('They export every Monday');
  });

  it('opening the Home tab publishes it once, even when Slack retries the event', async () => {
    await posted();
    const event = eventCallback({ eventId: 'Ev-home-1', event: { type: 'app_home_opened', user: 'U6', channel: 'D6', tab: 'home' } });
    expect((await t.send(event)).status).toBe(200);
    expect((await t.send(event, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await t.idle();
    const published = t.fake.callsTo('views.publish');
    expect(published).toHaveLength(1);
    expect(published[0]!.args.user_id).toBe('U6');
    const home = blocksText(published[0]!.args.view.blocks);
    expect(home).toContain('Needs an owner');
    expect(home).toContain('Your week');
    expect(buttonIn(published[0]!.args.view.blocks, ActionIds.claim)).not.toBeNull();
  });

  it('words typed in the app DM run as commands, answered in the DM', async () => {
    const res = await t.send(
      eventCallback({ event: { type: 'message', channel_type: 'im', channel: 'D6', user: 'U6', text: 'nonsense', ts: '1.2' } }),
    );
    expect(res.status).toBe(200);
    await t.idle();
    const [answer] = t.fake.callsTo('chat.postMessage');
    expect(answer!.args.channel).toBe('D6');
    expect(blocksText(answer!.args.blocks)).toContain("I don't know");
  });
});
