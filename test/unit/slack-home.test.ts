// The App Home and `/cx status` messages (pure core builders), rendered to Block Kit.
import { describe, expect, it } from 'vitest';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import type { FeedbackItem } from '../../src/core/feedback/item.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { buildAppHome, weekStats } from '../../src/core/messages/app-home.ts';
import { buildItemStatus } from '../../src/core/messages/item-status.ts';

const now = new Date('2031-01-10T12:00:00Z');
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
let n = 0;
function item(patch: Partial<FeedbackItem>): FeedbackItem {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    workspaceId: 'w',
    source: 's',
    externalId: `e${n}`,
    kind: 'nps',
    score: 4,
    comment: 'Pinging <!channel> about *this*',
    touchpoint: null,
    tags: [],
    route: null,
    receivedAt: h(-30),
    createdAt: h(-30),
    dueAt: h(5),
    remindAt: h(5),
    escalateAt: h(5),
    priority: 'normal',
    slaCycle: 0,
    status: 'open',
    claimedById: null,
    claimedAt: null,
    snoozedUntil: null,
    resolvedById: null,
    resolvedAt: null,
    resolution: null,
    customerId: null,
    metadata: {},
    ...patch,
  };
}

describe('my week', () => {
  it('counts claims and resolutions of the last 7 days, and those resolved before their due time', () => {
    const items = [
      item({ status: 'claimed', claimedById: 'me', claimedAt: h(-2) }),
      item({ status: 'resolved', claimedById: 'me', claimedAt: h(-50), resolvedById: 'me', resolvedAt: h(-1), dueAt: h(1) }),
      item({ status: 'resolved', claimedById: 'me', claimedAt: h(-60), resolvedById: 'me', resolvedAt: h(-1), dueAt: h(-3) }),
      item({ status: 'resolved', claimedById: 'me', claimedAt: h(-300), resolvedById: 'me', resolvedAt: h(-200), dueAt: h(-100) }),
      item({ status: 'resolved', claimedById: 'me', claimedAt: h(-5), resolvedById: 'someone', resolvedAt: h(-1) }),
    ];
    expect(weekStats(items, 'me', now)).toEqual({ claimed: 4, resolved: 2, resolvedWithinSla: 1 });
  });
});

describe('App Home', () => {
  it('lists my items with due times, the queue with Claim buttons, and my week; customer text escaped', () => {
    const mine = [item({ status: 'claimed', claimedById: 'me', claimedAt: h(-1), dueAt: h(3) })];
    const queue = [item({}), item({ kind: 'csat', score: 2 })];
    const { blocks, text } = toBlockKit(
      buildAppHome({ me: { displayName: 'Ana' }, mine, queue, week: { claimed: 4, resolved: 2, resolvedWithinSla: 1 } }, now),
    );
    const raw = JSON.stringify(blocks);
    expect(text).toContain('1 items of yours, 2 need an owner');
    expect(raw).toContain('due in 3 h');
    expect(raw).toContain('Needs an owner* (2)');
    expect(raw).not.toContain('<!channel>');
    expect(raw).toContain('&lt;!channel&gt;');
    const claims = blocks.flatMap((b: any) => b.elements ?? []).filter((e: any) => e.action_id === ActionIds.claim);
    expect(claims.map((c: any) => JSON.parse(c.value).item)).toEqual(queue.map((q) => q.id));
    expect(raw).toContain('*Within SLA*\\n50%');
  });

  it('says so when there is nothing to do', () => {
    const raw = JSON.stringify(toBlockKit(buildAppHome({ me: { displayName: 'Ana' }, mine: [], queue: [], week: { claimed: 0, resolved: 0, resolvedWithinSla: 0 } }, now)).blocks);
    expect(raw).toContain('Nothing claimed');
    expect(raw).toContain('The queue is empty');
    expect(raw).toContain('*Within SLA*\\n–');
  });
});

describe('/cx status', () => {
  it('shows where the item was posted and its timeline, delivery failures included', () => {
    const it1 = item({});
    const view = { ...it1, customer: null, claimedBy: null, resolvedBy: null };
    const card = { text: 'NPS 4 card', blocks: [{ type: 'header' as const, text: 'NPS 4' }] };
    const timeline = [
      { id: '1', itemId: it1.id, type: 'received', actorId: null, platform: 'api' as const, data: {}, at: h(-3) },
      { id: '2', itemId: it1.id, type: 'delivery.attempt', actorId: null, platform: 'slack' as const, data: { platform: 'slack', channel: 'C1', ok: false, error: 'NotInChannel: invite <@U1>', attempt: 1 }, at: h(-2) },
      { id: '3', itemId: it1.id, type: 'claimed', actorId: 'p1', platform: 'slack' as const, data: {}, at: h(-1) },
    ];
    const message = buildItemStatus(view, card, timeline, [{ platform: 'slack', channel: 'C1', messageId: '1.2', purpose: 'card' }], new Map([['p1', 'Ana']]));
    const raw = JSON.stringify(toBlockKit(message).blocks);
    expect(raw).toContain('via the API');
    expect(raw).toContain('delivery to slack C1 failed (attempt 1): NotInChannel: invite &lt;@U1&gt;');
    expect(raw).toContain('claimed by *Ana*');
    expect(raw).toContain('slack · C1 · 1.2');
  });
});
