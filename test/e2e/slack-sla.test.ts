// The 24-hour promise on Slack, through the real Bolt request path and the fake Web API: a routed
// card with its user-group mention, the unclaimed escalation in the champion channel (with a Claim
// that works and updates every copy), the claimer's reminder DM, the overdue notice, and
// `/cx routes` / `/cx route test`. The clock is injected; the sweeper runs when the test says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { createChatPostsRepo } from '../../src/db/repos/chat-posts.repo.ts';
import { blocksText, buttonIn, type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';
import { blockAction, slashCommand } from '../helpers/slack-sign.ts';

const H = 3_600_000;
const dir = mkdtempSync(path.join(tmpdir(), 'cf-routes-'));
const routesFile = path.join(dir, 'routes.yaml');
writeFileSync(
  routesFile,
  `routes:
  - name: enterprise-detractors
    match: { segment: enterprise, band: detractor }
    to: { slack: [C0ACCT] }
    mention: { slack: [S0ACCT] }
    sla_hours: 4
    priority: urgent
  - name: billing
    match: { keywords: [refund, invoice, "double charged"] }
    to: { slack: [C0FIN] }
  - name: default
    to: { slack: [C0DEF] }
`,
);

let t: SlackTestApp;
beforeAll(async () => {
  t = await startSlackTestApp({ env: { ROUTES_FILE: routesFile, CHAMPION_CHANNEL: 'C0CHAMP', UNCLAIMED_ESCALATION_HOURS: '0.5' } });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const posts = () => t.fake.callsTo('chat.postMessage');
const sweep = async () => {
  const sent = await t.app.ctx.sla.sweep(t.clock.now());
  await t.deliver();
  return sent;
};

describe('routed card and SLA notices on Slack', () => {
  let itemId = '';

  it('an enterprise detractor goes to the account channel, mentioning the user group, with a 4 h SLA', async () => {
    t.fake.clearCalls();
    itemId = await t.intake({
      externalId: 'sla-1',
      comment: 'Export broke again <!channel> before our board meeting',
      customer: { email: 'dana@acme.example', name: 'Dana Ruiz', company: 'Acme', segment: 'enterprise' },
    });
    const [card] = posts();
    expect(card!.args.channel).toBe('C0ACCT');
    expect(card!.args.text).toMatch(/^<!subteam\^S0ACCT>/);
    const text = blocksText(card!.args.blocks);
    expect(text).toContain('<!subteam^S0ACCT>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('Route: enterprise-detractors');
    expect(text).toContain('Priority: *urgent*');
    const item = await t.app.ctx.repos.feedback.findById(t.workspaceId, itemId);
    expect(item!.route).toBe('enterprise-detractors');
    expect(item!.dueAt.getTime() - item!.createdAt.getTime()).toBe(4 * H);
    const timeline = await t.app.ctx.repos.events.timeline(t.workspaceId, itemId);
    expect(timeline.find((e) => e.type === 'received')!.data).toMatchObject({ route: 'enterprise-detractors', rules: ['enterprise-detractors'] });
  });

  it('unclaimed after 30 minutes: the card is posted in the champion channel with the mention and a Claim that works', async () => {
    t.fake.clearCalls();
    t.clock.advance(0.5 * H);
    expect(await sweep()).toMatchObject({ unclaimed: 1 });
    const escalation = posts().find((c) => c.args.channel === 'C0CHAMP')!;
    const text = blocksText(escalation.args.blocks);
    expect(text).toContain('<!subteam^S0ACCT>');
    expect(text).toContain('Needs an owner');
    expect(text).toContain('Dana Ruiz');
    expect(text).toContain('NPS 3');
    expect(text).not.toContain('<!channel>');
    const thread = posts().find((c) => c.args.channel === 'C0ACCT' && c.args.thread_ts)!;
    expect(thread.args.text).toContain('Unclaimed');
    // The same sweep again, or another instance's: nothing more.
    t.fake.clearCalls();
    expect(await sweep()).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
    expect(posts()).toEqual([]);

    const [champ] = (await createChatPostsRepo(t.app.ctx.db.db).listForItem(t.workspaceId, itemId)).filter((p) => p.channel === 'C0CHAMP');
    const claim = buttonIn(escalation.args.blocks, ActionIds.claim)!;
    const res = await t.send(
      blockAction({ user: 'UANA', actionId: ActionIds.claim, value: claim.value, channel: 'C0CHAMP', messageTs: champ!.messageId, responseUrl: t.fake.responseUrl('claim') }),
    );
    expect(res.status).toBe(200);
    await t.idle();
    await t.deliver();
    const updated = t.fake.callsTo('chat.update').map((c) => c.args.channel).sort();
    expect(updated).toEqual(['C0ACCT', 'C0CHAMP']);
  });

  it('at 75% of the window the claimer gets a reminder DM and the thread records it', async () => {
    t.fake.clearCalls();
    t.clock.advance(2.5 * H); // 3 h of 4
    expect(await sweep()).toMatchObject({ reminder: 1 });
    const dm = posts().find((c) => c.args.channel === 'DUANA')!;
    expect(dm.args.text).toContain('Reminder: NPS 3 · Detractor from Dana Ruiz');
    expect(blocksText(dm.args.blocks)).toContain('due in');
    expect(buttonIn(dm.args.blocks, ActionIds.resolve)).not.toBeNull();
    expect(posts().filter((c) => c.args.thread_ts).map((c) => c.args.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('Reminder sent to')]),
    );
  });

  it('at the due time: overdue on every card, in the thread, and to the claimer', async () => {
    t.fake.clearCalls();
    t.clock.advance(1 * H);
    expect(await sweep()).toMatchObject({ overdue: 1 });
    const cards = t.fake.callsTo('chat.update');
    expect(cards.map((c) => c.args.channel).sort()).toEqual(['C0ACCT', 'C0CHAMP']);
    for (const c of cards) expect(blocksText(c.args.blocks)).toContain('⚠️ *overdue by');
    expect(posts().find((c) => c.args.channel === 'DUANA')!.args.text).toContain('Overdue');
    // Already in the champion channel: not posted there again.
    expect(posts().filter((c) => c.args.channel === 'C0CHAMP' && !c.args.thread_ts)).toEqual([]);
  });

  it('/cx routes lists the rules with their 7-day counts; /cx route test explains without posting', async () => {
    t.fake.clearCalls();
    await t.send(slashCommand({ user: 'UANA', command: '/cx', text: 'routes', responseUrl: t.fake.responseUrl('routes') }));
    await t.idle();
    const list = t.fake.callsTo('response_url').at(-1)!;
    const listText = blocksText(list.args.blocks);
    expect(listText).toContain('enterprise-detractors');
    expect(listText).toContain('1 item(s) in 7 days');
    expect(listText).toContain('SLA 4 h');

    t.fake.clearCalls();
    await t.send(
      slashCommand({
        user: 'UANA',
        command: '/cx',
        text: 'route test {“kind”:“csat”,“score”:2,“comment”:“I was double charged”}',
        responseUrl: t.fake.responseUrl('test'),
      }),
    );
    await t.idle();
    const test = blocksText(t.fake.callsTo('response_url').at(-1)!.args.blocks);
    expect(test).toContain('Route test: billing');
    expect(test).toContain('comment says \\"double charged\\"');
    expect(posts()).toEqual([]);

    t.fake.clearCalls();
    await t.send(slashCommand({ user: 'UANA', command: '/cx', text: `route test ${itemId}`, responseUrl: t.fake.responseUrl('test2') }));
    await t.idle();
    expect(blocksText(t.fake.callsTo('response_url').at(-1)!.args.blocks)).toContain('Route test: enterprise-detractors');
  });
});
