import { describe, expect, it } from 'vitest';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import { toAdaptiveCard } from '../../src/adapters/teams/render/adaptive-card.ts';
import { cardBytes } from '../../src/adapters/teams/render/limits.ts';
import { CLOSING_PROMPT, composeDigest, MAX_DIGEST_BLOCKS } from '../../src/core/digest/compose-digest.ts';
import type { DigestData } from '../../src/core/digest/digest-data.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { LITERAL_CLOSE, LITERAL_OPEN, plain } from '../../src/core/messages/markup.ts';
import type { Block } from '../../src/core/messages/model.ts';
import { parseButtonPayload } from '../../src/core/messages/payload.ts';
import { cesEstimate, compare, csatEstimate, npsEstimate } from '../../src/core/scores/metrics.ts';
import { checkBlockKit, schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';

const until = new Date('2026-11-24T08:00:00Z'); // Tue 24 Nov, 09:00 in Berlin
const since = new Date('2026-11-23T08:00:00Z');
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const NASTY = 'Hey <!channel> & <@U123> *bold* _it_ `code` [link](http://x) <https://evil|click> ';

function quiet(): DigestData {
  return {
    since,
    until,
    headline: null,
    goodNews: { items: [], total: 0 },
    badNews: { items: [], total: 0 },
    needsOwner: { items: [], total: 0 },
    overdue: { items: [], total: 0 },
    resolved: { items: [], total: 0, rootCauses: [] },
    learnings: { items: [], total: 0 },
    customerOfTheDay: null,
  };
}

function busy(): DigestData {
  const quote = (i: number, score: number) => ({
    itemId: uuid(i),
    kind: 'nps' as const,
    score,
    text: NASTY.repeat(40),
    customerName: `Customer ${i} <!here>`,
    company: 'Acme & Co',
    touchpoint: 'checkout',
    receivedAt: since,
  });
  const open = (i: number, claimedByName: string | null) => ({
    itemId: uuid(100 + i),
    kind: 'csat' as const,
    score: 1,
    comment: NASTY.repeat(10),
    customerName: `A very long customer name number ${i} that goes on and on`,
    dueAt: new Date(until.getTime() + (i - 2) * 3_600_000),
    claimedByName,
  });
  return {
    since,
    until,
    headline: {
      nps: compare(npsEstimate({ n: 120, promoters: 60, detractors: 20 }), npsEstimate({ n: 100, promoters: 45, detractors: 20 })),
      csat: compare(csatEstimate({ n: 12, satisfied: 9 }), null),
      ces: compare(cesEstimate({ n: 40, easy: 30, sum: 220 }), cesEstimate({ n: 40, easy: 32, sum: 230 })),
    },
    goodNews: { items: [1, 2, 3].map((i) => quote(i, 10)), total: 14 },
    badNews: { items: [4, 5, 6].map((i) => quote(i, 0)), total: 9 },
    needsOwner: { items: [0, 1, 2, 3, 4].map((i) => open(i, null)), total: 17 },
    overdue: { items: [0, 1, 2, 3, 4].map((i) => open(i + 10, 'Sam <@U999>')), total: 12 },
    resolved: {
      items: [0, 1, 2, 3, 4].map((i) => ({
        itemId: uuid(200 + i),
        customerName: `Customer ${i}`,
        summary: NASTY.repeat(5),
        rootCause: 'Billing & invoices',
        resolvedByName: 'Sam',
        resolvedAt: since,
      })),
      total: 8,
      rootCauses: [
        { rootCause: 'Billing & invoices', count: 5 },
        { rootCause: 'Onboarding', count: 3 },
      ],
    },
    learnings: {
      items: [0, 1, 2].map((i) => ({
        id: uuid(300 + i),
        text: NASTY.repeat(30),
        authorName: 'Kim',
        customerName: 'Customer 1',
        createdAt: since,
      })),
      total: 5,
    },
    customerOfTheDay: {
      customerId: uuid(400),
      name: 'Ada <!channel>',
      company: 'Acme',
      segment: 'Enterprise',
      latest: { kind: 'nps', score: 3, text: NASTY.repeat(50), receivedAt: since },
      history: [9, 7, 3].map((score, i) => ({ kind: 'nps' as const, score, receivedAt: new Date(Date.UTC(2025, i, 1)) })),
      totalItems: 5,
      firstSeen: new Date('2025-01-01T00:00:00Z'),
    },
  };
}

const CHART = { url: `data:image/png;base64,${'A'.repeat(26_000)}`, alt: 'NPS by week for the last 12 weeks' };
const sections = (blocks: Block[]) => blocks.filter((b) => b.type === 'section').map((b) => (b as { text: string }).text);

describe('composeDigest', () => {
  it('titles the digest with the local day and ends with the prompt', () => {
    const m = composeDigest(busy(), { timeZone: 'Europe/Berlin' });
    expect(m.blocks[0]).toEqual({ type: 'header', text: 'Customer first — Tue 24 Nov' });
    expect(m.blocks.at(-1)).toEqual({ type: 'section', text: `*${CLOSING_PROMPT}*` });
    expect(composeDigest(busy(), { timeZone: 'Pacific/Auckland' }).blocks[0]).toEqual({
      type: 'header',
      text: 'Customer first — Tue 24 Nov',
    });
    expect(composeDigest(busy(), { timeZone: 'America/Los_Angeles' }).blocks[0]).toMatchObject({ text: 'Customer first — Tue 24 Nov' });
    expect(m.text).toBe('Customer first — Tue 24 Nov: NPS +33 ±13 (n=120) · 17 need an owner · 12 overdue · 8 resolved');
  });

  it('has every section on a busy day and stays within 50 blocks', () => {
    const m = composeDigest(busy(), { timeZone: 'Europe/Berlin', chart: CHART });
    expect(m.blocks.length).toBeLessThanOrEqual(MAX_DIGEST_BLOCKS);
    const text = sections(m.blocks).join('\n');
    for (const title of ['This week in numbers', 'Good news', 'Bad news', 'Needs an owner* (17)', 'Overdue* (12)']) {
      expect(text).toContain(title);
    }
    expect(text).toContain('Resolved since the last digest* (8)');
    expect(text).toContain('What we learned');
    expect(text).toContain('Customer of the day');
    expect(m.blocks).toContainEqual({ type: 'image', url: CHART.url, alt: CHART.alt });
    const contexts = m.blocks.filter((b) => b.type === 'context').flatMap((b) => (b as { items: string[] }).items);
    expect(contexts).toContain('and 12 more — `/cx open`');
    expect(contexts).toContain('and 7 more — `/cx open`');
    expect(contexts).toContain('and 11 more since the last digest');
    expect(contexts.some((c) => c.includes('Root causes:') && c.includes('and 3 more'))).toBe(true);
    expect(contexts.some((c) => c.includes('5 pieces of feedback since Jan 2025 · NPS 9/10 → NPS 7/10 → NPS 3/10'))).toBe(
      true,
    );
  });

  it('offers Claim buttons with the card’s action id and payload', () => {
    const m = composeDigest(busy(), { timeZone: 'Europe/Berlin' });
    const actions = m.blocks.find((b) => b.type === 'actions');
    expect(actions?.type).toBe('actions');
    if (actions?.type !== 'actions') return;
    expect(actions.buttons).toHaveLength(5);
    actions.buttons.forEach((b, i) => {
      expect(b.action).toBe(ActionIds.claim);
      expect(b.payload).toEqual({ v: 1, item: uuid(100 + i) });
      expect(parseButtonPayload(b.payload)).toEqual(b.payload);
      expect(b.label.length).toBeLessThanOrEqual(40);
    });
  });

  it('keeps customer words in quote blocks or plain() spans', () => {
    const m = composeDigest(busy(), { timeZone: 'Europe/Berlin' });
    for (const block of m.blocks) {
      const texts =
        block.type === 'section'
          ? [block.text, ...(block.fields ?? []).flatMap((f) => [f.label, f.value])]
          : block.type === 'context'
            ? block.items
            : [];
      for (const t of texts) {
        // Outside the literal spans there is no customer text (no raw mention syntax).
        const outside = t.replace(new RegExp(`${LITERAL_OPEN}[^${LITERAL_CLOSE}]*${LITERAL_CLOSE}`, 'g'), '');
        expect(outside).not.toMatch(/<!|<@|&/);
      }
    }
    expect(m.blocks.filter((b) => b.type === 'quote').length).toBe(3 + 3 + 3 + 1);
    expect(JSON.stringify(m.blocks)).toContain(plain('Ada <!channel>'));
  });

  it('says a quiet day in one line', () => {
    const m = composeDigest(quiet(), { timeZone: 'Europe/Berlin' });
    expect(m.blocks).toEqual([
      { type: 'header', text: 'Customer first — Tue 24 Nov' },
      { type: 'section', text: 'A quiet day: nothing new since the last digest, and nothing waits for an owner.' },
      { type: 'divider' },
      { type: 'section', text: `*${CLOSING_PROMPT}*` },
    ]);
    expect(m.text).toBe('Customer first — Tue 24 Nov: a quiet day');
  });

  it('omits empty sections', () => {
    const data = quiet();
    data.learnings = { items: [{ id: uuid(1), text: 'They export on Mondays', authorName: null, customerName: null, createdAt: since }], total: 1 };
    const m = composeDigest(data, { timeZone: 'UTC', command: 'cx' });
    expect(sections(m.blocks)).toEqual(['*What we learned*', `*${CLOSING_PROMPT}*`]);
    expect(m.blocks).toContainEqual({ type: 'quote', text: 'They export on Mondays' });
    expect(m.blocks).toContainEqual({ type: 'context', items: ['— a colleague'] });
  });

  it('renders valid Block Kit for a busy day (≤ 50 blocks, escaped)', () => {
    const slack = toBlockKit(
      composeDigest(busy(), { timeZone: 'Europe/Berlin', chart: { url: 'https://cx.example.com/charts/abc.png', alt: 'NPS' } }),
    );
    expect(checkBlockKit(slack)).toEqual([]);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack)).not.toMatch(/<!channel>|<!here>|<@U123>/);
  });

  const dir = schemasDir();
  it.skipIf(!dir)(`renders a valid Adaptive Card 1.5 under 80 KB with an inline chart (${dir ? 'schema found' : schemasSkipMessage})`, () => {
    const card = toAdaptiveCard(composeDigest(busy(), { timeZone: 'Europe/Berlin', chart: CHART }));
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(80_000);
    expect(JSON.stringify(card)).toContain(CHART.url);
  });
});
