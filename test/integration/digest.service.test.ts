import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import { toAdaptiveCard } from '../../src/adapters/teams/render/adaptive-card.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { plain, stripMarkup } from '../../src/core/messages/markup.ts';
import type { Block, Message } from '../../src/core/messages/model.ts';
import type { DeliveryJob } from '../../src/core/ports.ts';
import { learnings, outbox } from '../../src/db/schema/index.ts';
import { createMemoryChartStore } from '../../src/digest/chart-store.ts';
import { createDigestService } from '../../src/digest/digest.service.ts';
import { createLearningService } from '../../src/digest/learning.service.ts';
import { makeCustomer, makeItems, makePerson, makeWorkspace } from '../helpers/scores-fixtures.ts';
import { checkBlockKit, schemasDir, validateAdaptiveCard } from '../helpers/schemas.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const NOW = new Date('2026-11-24T08:00:00Z'); // Tue 24 Nov 09:00 Berlin
const HOUR = 3_600_000;
const ago = (h: number) => new Date(NOW.getTime() - h * HOUR);
const text = (m: Message) => m.blocks.map((b) => JSON.stringify(b)).join('\n');
const quotes = (blocks: Block[]) => blocks.filter((b) => b.type === 'quote').map((b) => (b as { text: string }).text);

// One database for the file (PGlite costs seconds to start).
let tdb: TestDb;
beforeAll(async () => {
  tdb = await getTestDb();
});
afterAll(async () => {
  await tdb.close();
});

describe('digest service', () => {
  let ws: string;
  let ids: Record<string, string>;
  const clock = { now: () => NOW };

  beforeEach(async () => {
    await tdb.reset();
    const db = tdb.db;
    ws = await makeWorkspace(db);
    const sam = await makePerson(db, ws, 'Sam');
    const kim = await makePerson(db, ws, 'Kim');
    const ada = await makeCustomer(db, ws, { name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical', segment: 'Enterprise' });
    const bob = await makeCustomer(db, ws, { name: 'Bob', company: 'Builders' });
    // Ada's history: three older responses.
    await makeItems(db, ws, [
      { kind: 'nps', score: 9, receivedAt: ago(24 * 60), customerId: ada, status: 'resolved', resolvedAt: ago(24 * 59) },
      { kind: 'csat', score: 5, receivedAt: ago(24 * 45), customerId: ada, status: 'resolved' },
      { kind: 'nps', score: 7, receivedAt: ago(24 * 30), customerId: ada, status: 'resolved', resolvedAt: ago(24 * 29) },
      { kind: 'comment', comment: 'Any news?', receivedAt: ago(24 * 20), customerId: ada, status: 'resolved' },
    ]);
    // Today's quotes are already being handled (claimed, not yet due).
    const handled = { claimedById: sam, claimedAt: ago(1) };
    const [best, good, worst, bad, quiet, open1, open2, overdue, resolved, old] = await makeItems(db, ws, [
      { kind: 'nps', score: 10, comment: 'Love the new export!', receivedAt: ago(3), customerId: bob, touchpoint: 'web', ...handled },
      { kind: 'csat', score: 4, comment: 'Quick answer, thanks', receivedAt: ago(5), ...handled },
      { kind: 'nps', score: 0, comment: 'Checkout broke <!channel>', receivedAt: ago(4), customerId: ada, ...handled },
      { kind: 'ces', score: 2, comment: 'Too many steps', receivedAt: ago(6), customerId: bob, ...handled },
      { kind: 'nps', score: 8, comment: 'Fine', receivedAt: ago(7), ...handled },
      { kind: 'comment', comment: 'Where is my invoice?', receivedAt: ago(2), dueAt: new Date(NOW.getTime() + 22 * HOUR), customerId: bob },
      { kind: 'nps', score: 3, comment: 'Slow support', receivedAt: ago(30), dueAt: ago(6), customerId: ada },
      { kind: 'comment', receivedAt: ago(40), dueAt: ago(16), claimedById: sam, claimedAt: ago(39), customerId: bob },
      {
        kind: 'nps',
        score: 2,
        receivedAt: ago(50),
        customerId: bob,
        claimedById: kim,
        claimedAt: ago(49),
        resolvedById: kim,
        resolvedAt: ago(10),
        rootCause: 'Billing',
        resolutionSummary: 'Refunded the double charge',
      },
      { kind: 'nps', score: 10, comment: 'Old praise', receivedAt: ago(30), status: 'resolved', resolvedAt: ago(29) },
    ]);
    ids = { best: best!, good: good!, worst: worst!, bad: bad!, quiet: quiet!, open1: open1!, open2: open2!, overdue: overdue!, resolved: resolved!, old: old! };
    const learning = createLearningService({ db, clock: { now: () => ago(1) } });
    await learning.shareLearning(ws, { authorId: kim, text: 'They export every Monday for the board', customerQuery: 'ada@example.com', platform: 'slack' });
  });

  it('composes every section from the last 24 hours', async () => {
    const service = createDigestService({ db: tdb.db, clock });
    const m = await service.compose(ws, { platform: 'slack', timeZone: 'Europe/Berlin', since: ago(24), until: NOW });
    expect(m.blocks[0]).toEqual({ type: 'header', text: 'Customer first — Tue 24 Nov' });
    const all = text(m);
    // Good news: best first (NPS 10 before CSAT 4); bad news: worst first; passives and old items left out.
    expect(quotes(m.blocks)).toEqual([
      'Love the new export!',
      'Quick answer, thanks',
      'Checkout broke <!channel>',
      'Too many steps',
      'They export every Monday for the board',
      'Checkout broke <!channel>',
    ]);
    expect(all).not.toContain('Fine');
    expect(all).not.toContain('Old praise');
    // Needs an owner: unclaimed items by due time (the overdue one first), with Claim buttons.
    const actions = m.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.buttons.map((b) => [b.action, b.payload])).toEqual([
      [ActionIds.claim, { v: 1, item: ids.open2 }],
      [ActionIds.claim, { v: 1, item: ids.open1 }],
    ]);
    expect(all).toContain('*Needs an owner* (2)');
    expect(stripMarkup(all)).toContain('6 h late');
    expect(stripMarkup(all)).toContain('claimed by Sam');
    expect(all).toContain('*Overdue* (1)');
    expect(stripMarkup(all)).toContain('Bob — Billing: Refunded the double charge (Kim)');
    expect(all).toContain('Root causes: ');
    expect(stripMarkup(all)).toContain('— Kim, about Ada Lovelace');
    // Customer of the day: Ada has the longest history among today's writers.
    expect(all).toContain(`*Customer of the day: ${plain('Ada Lovelace')} (${plain('Analytical')})*`);
    expect(stripMarkup(all)).toContain('6 pieces of feedback since Sep 2026 · NPS 9/10 → CSAT 5/5 → NPS 7/10 → NPS 3/10 → NPS 0/10 · Enterprise');
    expect(all).toContain('This week in numbers');
    expect(m.blocks.at(-1)).toEqual({ type: 'section', text: '*Which customers does this idea affect? Why would it delight them?*' });
    expect(checkBlockKit(toBlockKit(m))).toEqual([]);
    if (schemasDir()) expect(validateAdaptiveCard(toAdaptiveCard(m))).toEqual([]);
  });

  it('is a quiet day when nothing happened', async () => {
    const other = await makeWorkspace(tdb.db, 'Quiet');
    const m = await createDigestService({ db: tdb.db, clock }).compose(other, {
      platform: 'teams',
      timeZone: 'UTC',
      since: ago(24),
      until: NOW,
    });
    expect(m.text).toBe('Customer first — Tue 24 Nov: a quiet day');
  });

  it('digestNow posts the last 24 h through the outbox, with the chart where the platform can show it', async () => {
    const charts = createMemoryChartStore();
    const rendered: number[] = [];
    const renderChart = async (_weeks: unknown, opts: { scale: number }) => {
      rendered.push(opts.scale);
      return Buffer.from('fake-png');
    };
    const withChart = createDigestService({ db: tdb.db, clock, renderChart, charts, publicUrl: 'https://cx.example.com' });
    const { message: teams } = await withChart.digestNow(ws, { platform: 'teams', channel: '19:abc', timezone: 'Europe/Berlin' });
    expect(teams.blocks).toContainEqual(
      expect.objectContaining({ type: 'image', url: `data:image/png;base64,${Buffer.from('fake-png').toString('base64')}` }),
    );
    const { message: slack } = await withChart.digestNow(ws, { platform: 'slack', channel: 'C1' });
    const image = slack.blocks.find((b) => b.type === 'image');
    expect(image?.type === 'image' && image.url).toMatch(/^https:\/\/cx\.example\.com\/charts\/[A-Za-z0-9_-]+\.png$/);
    const id = image?.type === 'image' ? image.url.split('/').at(-1)!.replace('.png', '') : '';
    expect(charts.get(id)?.toString()).toBe('fake-png');
    expect(rendered).toEqual([1, 1.5]);

    const noHost = createDigestService({ db: tdb.db, clock, renderChart, charts });
    const { message: bare } = await noHost.digestNow(ws, { platform: 'slack', channel: 'C2' });
    expect(bare.blocks.some((b) => b.type === 'image')).toBe(false);

    const rows = await tdb.db.select().from(outbox).where(eq(outbox.workspaceId, ws));
    expect(rows.map((r) => r.destination).sort()).toEqual(['slack:C1', 'slack:C2', 'teams:19:abc']);
    const job = rows.find((r) => r.destination === 'slack:C1')!.job as unknown as DeliveryJob;
    expect(job).toMatchObject({ type: 'channel.message', platform: 'slack', channel: 'C1', purpose: 'digest' });
    expect(job.type === 'channel.message' && job.message.text).toMatch(/^Customer first — Tue 24 Nov: NPS/);
  });
});

describe('learning service', () => {
  let ws: string;
  const clock = { now: () => NOW };

  beforeEach(async () => {
    await tdb.reset();
    ws = await makeWorkspace(tdb.db);
  });

  it('links the customer by id, e-mail, external id or name, and keeps the learning when none matches', async () => {
    const ada = await makeCustomer(tdb.db, ws, { name: 'Ada Lovelace', email: 'Ada@Example.com', externalId: 'crm-1' });
    await makeCustomer(tdb.db, ws, { name: 'Adam Smith' });
    const service = createLearningService({ db: tdb.db, clock });
    const share = (customerQuery?: string) =>
      service.shareLearning(ws, { authorId: null, text: 'note', customerQuery: customerQuery ?? null, platform: 'teams' });
    for (const q of [ada, 'ada@example.com', 'crm-1', 'ada lovelace', 'Ada L']) {
      expect((await share(q)).customer?.id).toBe(ada);
    }
    const ambiguous = await share('Ada'); // Ada Lovelace and Adam Smith
    expect(ambiguous).toMatchObject({ customer: null, customerNotFound: true, created: true });
    expect((await share()).customerNotFound).toBe(false);
    const other = await makeWorkspace(tdb.db, 'Other');
    const elsewhere = await service.shareLearning(other, { authorId: null, text: 'x', customerQuery: ada, platform: 'slack' });
    expect(elsewhere.customer).toBeNull();
  });

  it('stores a captured thread reply once (sourceRef) and validates the text', async () => {
    const service = createLearningService({ db: tdb.db, clock });
    const input = { authorId: null, text: 'They want SSO', platform: 'slack' as const, sourceRef: 'C1:1700000000.000100' };
    const first = await service.shareLearning(ws, input);
    const again = await service.add(ws, input);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, learning: { id: first.learning.id } });
    expect(await tdb.db.select().from(learnings)).toHaveLength(1);
    expect(first.learning.createdAt.toISOString()).toBe(NOW.toISOString());
    await expect(service.shareLearning(ws, { ...input, text: '   ', sourceRef: null })).rejects.toThrow(/what you learned/);
    await expect(service.shareLearning(ws, { ...input, text: 'x'.repeat(3001), sourceRef: null })).rejects.toThrow(/3000/);
  });
});
