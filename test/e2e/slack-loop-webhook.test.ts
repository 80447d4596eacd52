// The whole app with LOOP_WEBHOOK_URL set: a Resolve submitted in Slack and a Reopen click each
// reach a local receiver as one signed POST, beside the card update and thread reply.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { type Receiver, startReceiver, verifySignature } from '../integration/loop-webhook-receiver.ts';
import { blocksText, buttonIn, CARD_CHANNEL, type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';
import { blockAction, viewSubmission } from '../helpers/slack-sign.ts';

const SECRET = 'e2e-loop-secret-0123456789abcdef0123456789';
let rx: Receiver;
let t: SlackTestApp;
beforeAll(async () => {
  rx = await startReceiver();
  t = await startSlackTestApp({ env: { LOOP_WEBHOOK_URL: rx.url, LOOP_WEBHOOK_SECRET: SECRET } });
});
afterAll(async () => {
  await t?.close();
  await rx?.close();
});
beforeEach(() => {
  t.fake.clearCalls();
  rx.reset();
});

const click = (user: string, button: { action_id: string; value: string }, messageTs: string) =>
  t.send(
    blockAction({ user, actionId: button.action_id, value: button.value, channel: CARD_CHANNEL, messageTs, responseUrl: t.fake.responseUrl(`${user}-${button.action_id}`) }),
  );
const latestButton = (actionId: string) => buttonIn(t.fake.callsTo('chat.update').at(-1)!.args.blocks, actionId)!;

describe('close-the-loop webhook, wired into the app', () => {
  it('Resolve in Slack → one signed item.resolved; Reopen → one signed item.reopened', async () => {
    const id = await t.intake({ externalId: 'loop-1', comment: 'Billing charged me twice' });
    const ts = (await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, id))[0]!.messageId;
    const claim = buttonIn(t.fake.callsTo('chat.postMessage').find((c) => blocksText(c.args.blocks).includes(id))!.args.blocks, ActionIds.claim)!;
    await click('U7', claim, ts);
    await t.idle();
    await t.deliver();
    await click('U7', latestButton(ActionIds.resolve), ts);
    await t.idle();
    const view = t.fake.callsTo('views.open')[0]!.args.view;
    const done = await t.send(
      viewSubmission({
        user: 'U7',
        callbackId: ActionIds.resolveSubmit,
        privateMetadata: view.private_metadata,
        values: {
          summary: { value: { type: 'plain_text_input', value: 'Refunded the double charge' } },
          root_cause: { value: { type: 'static_select', selected_option: { value: 'Billing / pricing' } } },
          prevention: { value: { type: 'plain_text_input', value: 'Idempotent charges' } },
          prevention_due: { value: { type: 'datepicker', selected_date: '2031-02-01' } },
          customer_contacted: { value: { type: 'checkboxes', selected_options: [{ value: 'yes' }] } },
        },
      }),
    );
    expect(done.status).toBe(200);
    await t.idle();
    await t.deliver();

    expect(rx.received).toHaveLength(1);
    const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
    const resolved = rx.received[0]!;
    expect(verifySignature(SECRET, resolved.headers['x-customerfirst-signature'], resolved.body, nowSeconds())).toBe(true);
    expect(resolved.headers['x-customerfirst-event']).toBe('item.resolved');
    expect(JSON.parse(resolved.body.toString())).toMatchObject({
      type: 'item.resolved',
      item: { id, external_id: 'loop-1', status: 'resolved', comment: 'Billing charged me twice' },
      customer: { email: 'jo@example.com', name: 'Jo Customer' },
      resolution: {
        summary: 'Refunded the double charge',
        root_cause: 'Billing / pricing',
        prevention: { action: 'Idempotent charges', due: '2031-02-01' },
        customer_contacted: true,
      },
    });

    const reopen = latestButton(ActionIds.reopen);
    t.fake.clearCalls();
    await click('U7', reopen, ts);
    await t.idle();
    await t.deliver();
    expect(rx.received).toHaveLength(2);
    const reopened = rx.received[1]!;
    expect(reopened.headers['x-customerfirst-event']).toBe('item.reopened');
    expect(verifySignature(SECRET, reopened.headers['x-customerfirst-signature'], reopened.body, nowSeconds())).toBe(true);
    expect(JSON.parse(reopened.body.toString())).toMatchObject({ type: 'item.reopened', item: { id, status: 'open' } });
  });
});
