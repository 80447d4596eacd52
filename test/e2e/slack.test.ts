// The running app with signed Slack requests and a local fake Slack Web API: signatures, the
// card's life (posted, claimed, resolved; every post updated, the thread records it), 50
// concurrent claims, escaping, and commands that never answer with an error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { blockAction, slashCommand, viewSubmission } from '../helpers/slack-sign.ts';
import { blocksText, buttonIn, CARD_CHANNEL, type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';

let t: SlackTestApp;
beforeAll(async () => {
  t = await startSlackTestApp();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.fake.clearCalls();
});

/** The card post recorded by the fake for an item's first delivery. */
function cardPost(itemId: string) {
  const post = t.fake.callsTo('chat.postMessage').find((c) => !c.args.thread_ts && blocksText(c.args.blocks).includes(itemId));
  if (!post) throw new Error(`no card posted for ${itemId}`);
  return post;
}

let seq = 0;
async function postedItem(comment = 'The export is slow') {
  const id = await t.intake({ externalId: `e2e-${++seq}`, comment });
  const post = cardPost(id);
  return { id, post, claim: buttonIn(post.args.blocks, ActionIds.claim)! };
}

const click = (user: string, button: { action_id: string; value: string }, extra: { responseId?: string; messageTs?: string } = {}) =>
  t.send(
    blockAction({
      user,
      actionId: button.action_id,
      value: button.value,
      channel: CARD_CHANNEL,
      messageTs: extra.messageTs,
      responseUrl: t.fake.responseUrl(extra.responseId ?? `${user}-${button.action_id}`),
    }),
  );

describe('request verification (Bolt, same server)', () => {
  it('accepts a signed request and answers /cx help in the ack', async () => {
    const res = await t.send(slashCommand({ command: '/cx', text: 'help' }));
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(blocksText(res.json.blocks)).toContain('/cx mine');
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const forged = await t.send(slashCommand({ command: '/cx', text: 'help' }), { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await t.send(slashCommand({ command: '/cx', text: 'help' }), { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect(t.fake.calls).toEqual([]);
  });
});

describe('the card', () => {
  it('is posted on intake, with fallback text, escaped customer words, no unfurling', async () => {
    const comment = 'Hey <!channel> and <!here>, ask <@U123> — see <https://evil.example|this> & more';
    const { post } = await postedItem(comment);
    expect(post.token).toBe('xoxb-test-token');
    expect(post.args.channel).toBe(CARD_CHANNEL);
    expect(post.args.unfurl_links).toBe('false');
    expect(post.args.unfurl_media).toBe('false');
    expect(post.args.link_names).toBeUndefined();
    expect(post.args.text).toContain('NPS 3');
    const raw = JSON.stringify({ text: post.args.text, blocks: post.args.blocks });
    for (const ping of ['<!channel>', '<!here>', '<@U123>', '<https://evil.example|this>']) expect(raw).not.toContain(ping);
    expect(raw).toContain('&lt;!channel&gt;');
    expect(raw).toContain('&lt;@U123&gt;');
    expect(raw).toContain('&lt;https://evil.example|this&gt;');
    expect(raw).toContain('&amp; more');
  });

  it('Claim: every post is updated in place, the thread records it, the clicker gets no error', async () => {
    const { id, claim } = await postedItem();
    const cardTs = (await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, id))[0]!.messageId;
    // The same item also lives in a second channel.
    await createChatPostsRepo(t.app.ctx.db.db).insert(t.workspaceId, {
      itemId: id,
      platform: 'slack',
      channel: 'C0SECOND',
      messageId: '1699999999.000001',
      purpose: 'card',
    });
    t.fake.setUser({ id: 'U1', name: 'ana', realName: 'Ana Champion', email: 'ana@example.com' });
    t.fake.clearCalls();
    const res = await click('U1', claim, { messageTs: cardTs });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await t.idle();
    await t.deliver();

    const updates = t.fake.callsTo('chat.update');
    expect(updates.map((u) => `${u.args.channel}/${u.args.ts}`).sort()).toEqual(
      [`${CARD_CHANNEL}/${cardTs}`, 'C0SECOND/1699999999.000001'].sort(),
    );
    for (const u of updates) {
      expect(u.args.text).toContain('claimed by ana');
      expect(blocksText(u.args.blocks)).toContain('Claimed by *ana*');
      expect(buttonIn(u.args.blocks, ActionIds.resolve)).not.toBeNull();
      expect(buttonIn(u.args.blocks, ActionIds.claim)).toBeNull();
    }
    const replies = t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(replies.map((r) => `${r.args.channel}/${r.args.thread_ts}`).sort()).toEqual(
      [`${CARD_CHANNEL}/${cardTs}`, 'C0SECOND/1699999999.000001'].sort(),
    );
    expect(replies[0]!.args.text).toContain('Claimed by ana');
    expect(t.fake.callsTo('response_url')).toEqual([]);
  });

  it('50 concurrent signed Claim clicks: one "Claimed by" update and 49 ephemerals', async () => {
    const { claim } = await postedItem();
    t.fake.clearCalls();
    const users = Array.from({ length: 50 }, (_, i) => `U${100 + i}`);
    const responses = await Promise.all(users.map((u) => click(u, claim, { responseId: `race-${u}` })));
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 200));
    await t.idle();
    await t.deliver();

    const claimedUpdates = t.fake.callsTo('chat.update').filter((u) => blocksText(u.args.blocks).includes('Claimed by'));
    expect(claimedUpdates).toHaveLength(1);
    const ephemerals = t.fake.callsTo('response_url');
    expect(ephemerals).toHaveLength(49);
    for (const e of ephemerals) {
      expect(e.args.response_type).toBe('ephemeral');
      expect(e.args.replace_original).toBe(false);
      expect(e.args.text).toMatch(/^Already claimed by u1\d\d\.$/);
    }
    // The winner is the one clicker who got no ephemeral; the card names them.
    const answered = new Set(ephemerals.map((e) => e.responseId));
    const [winner] = users.filter((u) => !answered.has(`race-${u}`));
    expect(answered.size).toBe(49);
    expect(claimedUpdates[0]!.args.text).toContain(`claimed by ${winner!.toLowerCase()}`);
  });
});

describe('Resolve', () => {
  it('opens the form for the claimer, and its submission resolves the card and threads the summary', async () => {
    const { id, claim } = await postedItem('Billing charged me twice');
    const cardTs = (await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, id))[0]!.messageId;
    await click('U7', claim, { messageTs: cardTs });
    await t.idle();
    await t.deliver();
    const resolveButton = buttonIn(t.fake.callsTo('chat.update').at(-1)!.args.blocks, ActionIds.resolve)!;
    t.fake.clearCalls();

    await click('U7', resolveButton, { messageTs: cardTs });
    await t.idle();
    const opened = t.fake.callsTo('views.open');
    expect(opened).toHaveLength(1);
    const view = opened[0]!.args.view;
    expect(view.callback_id).toBe(ActionIds.resolveSubmit);
    expect(JSON.parse(view.private_metadata).item).toBe(id);
    const rootCause = view.blocks.find((b: any) => b.block_id === 'root_cause');
    expect(rootCause.element.options.map((o: any) => o.value)).toContain('Billing / pricing');

    // Summary missing: the errors come back in the ack, next to the field.
    const empty = await t.send(
      viewSubmission({ user: 'U7', callbackId: ActionIds.resolveSubmit, privateMetadata: view.private_metadata, values: {} }),
    );
    expect(empty.json).toEqual({
      response_action: 'errors',
      errors: expect.objectContaining({ summary: expect.any(String), root_cause: expect.any(String) }),
    });

    t.fake.clearCalls();
    const done = await t.send(
      viewSubmission({
        user: 'U7',
        callbackId: ActionIds.resolveSubmit,
        privateMetadata: view.private_metadata,
        values: {
          summary: { value: { type: 'plain_text_input', value: 'Refunded the <!channel> double charge' } },
          root_cause: { value: { type: 'static_select', selected_option: { value: 'Billing / pricing' } } },
          prevention: { value: { type: 'plain_text_input', value: 'Idempotent charges' } },
          prevention_due: { value: { type: 'datepicker', selected_date: '2031-02-01' } },
          customer_contacted: { value: { type: 'checkboxes', selected_options: [{ value: 'yes' }] } },
        },
      }),
    );
    expect(done.status).toBe(200);
    expect(done.text).toBe('');
    await t.idle();
    await t.deliver();
    const update = t.fake.callsTo('chat.update').at(-1)!;
    expect(update.args.ts).toBe(cardTs);
    expect(blocksText(update.args.blocks)).toContain('Resolved by');
    expect(buttonIn(update.args.blocks, ActionIds.reopen)).not.toBeNull();
    const reply = t.fake.callsTo('chat.postMessage').find((c) => c.args.thread_ts === cardTs)!;
    expect(reply.args.text).toContain('Refunded the &lt;!channel&gt; double charge');
    expect(blocksText(reply.args.blocks)).toContain('Billing / pricing');
    expect(blocksText(reply.args.blocks)).not.toContain('<!channel>');
  });

  it('tells someone who did not claim the item why they may not resolve it', async () => {
    const { claim } = await postedItem();
    await click('U8', claim);
    await t.idle();
    await t.deliver();
    const resolveButton = buttonIn(t.fake.callsTo('chat.update').at(-1)!.args.blocks, ActionIds.resolve)!;
    t.fake.clearCalls();
    await click('U9', resolveButton, { responseId: 'nope' });
    await t.idle();
    expect(t.fake.callsTo('views.open')).toEqual([]);
    const [answer] = t.fake.callsTo('response_url');
    expect(answer!.args.text).toMatch(/Only @u8 \(who claimed it\) or a champion can resolve/);
  });
});

describe('commands never answer with an error', () => {
  it.each([
    ['/cx', 'frobnicate', "I don't know"],
    ['/cx', '', '/cx open'],
    ['/cx', 'customer', 'Usage: customer'],
    ['/scores', 'by colour', "can't break scores down by colour"],
    ['/scores', '7d 30d', 'Pick one period'],
  ])('%s %s → help or usage in the ack', async (command, text, expected) => {
    const res = await t.send(slashCommand({ command, text }));
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(blocksText(res.json.blocks)).toContain(expected);
  });
});
