// The 24-hour promise on Teams, against the fake Bot Connector: a routed card with a real <at>
// mention, the unclaimed escalation posted in the champion conversation (its Claim works and
// every copy updates), the claimer's reminder and overdue messages in their 1:1 chat, and
// `routes` / `route test`. The clock is injected; the sweeper runs when the test says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { ANA, BOT, cardOf, cardText, executeActions, personalConversation, startTeamsTestApp, TEAMS_CHANNEL, type TeamsTestApp, TENANT } from '../helpers/teams-app.ts';
import { schemasDir, validateAdaptiveCard } from '../helpers/schemas.ts';

const H = 3_600_000;
const CHAMPIONS = '19:champions@thread.tacv2';
const dir = mkdtempSync(path.join(tmpdir(), 'cf-routes-'));
const routesFile = path.join(dir, 'routes.yaml');
writeFileSync(
  routesFile,
  `routes:
  - name: accounts
    match: { segment: enterprise }
    to: { teams: [cx] }
    mention: { teams: [{ id: ana@example.com, name: Ana Champion }] }
    sla_hours: 4
  - name: default
`,
);

let t: TeamsTestApp;
const flat = (card: unknown) => cardText(card).replace(/[*_\\]/g, '');

beforeAll(async () => {
  t = await startTeamsTestApp({ env: { ROUTES_FILE: routesFile, TEAMS_CHAMPION_CHANNEL: 'champions', UNCLAIMED_ESCALATION_HOURS: '0.5' } });
  await t.connectChannel();
  // A second channel, connected as the champions' conversation.
  const channelData = { tenant: { id: TENANT }, team: { id: '19:team', name: 'Support' }, channel: { id: CHAMPIONS, name: 'Champions' } };
  const conversation = { id: CHAMPIONS, conversationType: 'channel', isGroup: true, tenantId: TENANT };
  const from = { id: ANA.id, name: ANA.name, aadObjectId: ANA.aadObjectId };
  await t.send({ type: 'conversationUpdate', from, conversation, membersAdded: [BOT], channelData });
  const connected = await t.send({
    type: 'message',
    text: `<at>${BOT.name}</at> connect champions`,
    from,
    conversation,
    entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
    channelData,
  });
  expect(connected.status).toBe(200);
  // Ana has a 1:1 chat with the bot, so she can be messaged.
  await t.message('help');
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sweep = async () => {
  const sent = await t.app.ctx.sla.sweep(t.clock.now());
  await t.deliver();
  return sent;
};
const posted = (conversationId: string) => t.connector.activities().filter((c) => c.method === 'POST' && c.conversationId === conversationId);

describe('routed card and SLA notices on Teams', () => {
  let itemId = '';
  let cardId = '';

  it('the route posts to its channel with a real <at> mention', async () => {
    t.connector.clear();
    itemId = await t.intake({
      externalId: 'teams-sla-1',
      comment: 'Invoices are wrong **again** <at>everyone</at>',
      customer: { email: 'dana@acme.example', name: 'Dana Ruiz', company: 'Acme', segment: 'enterprise' },
    });
    expect((await t.app.ctx.repos.feedback.findById(t.workspaceId, itemId))!.route).toBe('accounts');
    const [post] = posted(TEAMS_CHANNEL);
    cardId = post!.answeredId!;
    const card = cardOf(post!.body);
    // The vendor schema lives outside the project (../shared/schemas); the flow is checked without it.
    if (schemasDir()) expect(validateAdaptiveCard(card)).toEqual([]);
    expect(cardText(card)).toContain('<at>Ana Champion</at>');
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Ana Champion</at>', mentioned: { id: 'ana@example.com', name: 'Ana Champion' } }]);
    // The customer's own "<at>" is text, not a mention.
    expect(card.msteams.entities).toHaveLength(1);
  });

  it('unclaimed after 30 minutes: escalated to the champions with the mention and a working Claim', async () => {
    t.connector.clear();
    t.clock.advance(0.5 * H);
    expect(await sweep()).toMatchObject({ unclaimed: 1 });
    const [escalation] = posted(CHAMPIONS);
    const card = cardOf(escalation!.body);
    if (schemasDir()) expect(validateAdaptiveCard(card)).toEqual([]);
    expect(flat(card)).toContain('Needs an owner');
    expect(flat(card)).toContain('Dana Ruiz');
    expect(card.msteams.entities[0].mentioned.id).toBe('ana@example.com');
    const claim = executeActions(card).find((a) => a.verb === ActionIds.claim);
    expect(claim).toBeDefined();
    expect(posted(`${TEAMS_CHANNEL};messageid=${cardId}`).map((c) => flat(cardOf(c.body)))).toEqual([expect.stringContaining('Needs an owner')]);

    t.connector.clear();
    const res = await t.invoke(ActionIds.claim, claim.data, { conversationId: CHAMPIONS, replyToId: escalation!.answeredId! });
    expect(flat(cardOf(res.json))).toContain('Claimed by Ana Champion');
    await t.deliver();
    const updated = t.connector.activities().filter((c) => c.method === 'PUT').map((c) => c.conversationId).sort();
    expect(updated).toEqual([CHAMPIONS, TEAMS_CHANNEL].sort());
  });

  it('at 75% the claimer is reminded in their 1:1 chat; at the due time, overdue everywhere', async () => {
    t.connector.clear();
    t.clock.advance(2.5 * H);
    expect(await sweep()).toMatchObject({ reminder: 1 });
    const [reminder] = posted(personalConversation(ANA));
    expect(flat(cardOf(reminder!.body))).toContain('Reminder — NPS 3 · Detractor from Dana Ruiz');

    t.connector.clear();
    t.clock.advance(1 * H);
    expect(await sweep()).toMatchObject({ overdue: 1 });
    const updates = t.connector.activities().filter((c) => c.method === 'PUT');
    expect(updates).toHaveLength(2);
    for (const u of updates) expect(flat(cardOf(u.body))).toContain('⚠️ overdue by');
    expect(flat(cardOf(posted(personalConversation(ANA))[0]!.body))).toContain('Overdue');
    expect(await sweep()).toEqual({ unclaimed: 0, reminder: 0, overdue: 0 });
  });

  it('routes and route test answer in the chat, posting nothing', async () => {
    t.connector.clear();
    await t.message('routes');
    const list = flat(cardOf(t.connector.activities().at(-1)!.body));
    expect(list).toContain('accounts');
    expect(list).toContain('1 item(s) in 7 days');
    t.connector.clear();
    await t.message('route test {"kind":"nps","score":9,"customer":{"segment":"Enterprise"}}');
    const test = flat(cardOf(t.connector.activities().at(-1)!.body));
    expect(test).toContain('Route test: accounts');
    expect(test).toContain('segment is "Enterprise"');
    expect(t.connector.activities()).toHaveLength(1);
  });
});
