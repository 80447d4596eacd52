import { describe, expect, it } from 'vitest';
import { toBlockKit } from '../../src/adapters/slack/render/block-kit.ts';
import { toAdaptiveCard } from '../../src/adapters/teams/render/adaptive-card.ts';
import { LITERAL_OPEN, plain, stripMarkup } from '../../src/core/messages/markup.ts';
import { cesEstimate, compare, csatEstimate, npsEstimate } from '../../src/core/scores/metrics.ts';
import { periodWindows } from '../../src/core/scores/period.ts';
import { parseScoresArgs } from '../../src/core/scores/scores-args.ts';
import { buildScoresMessage } from '../../src/core/scores/scores-message.ts';
import type { ScoresResult } from '../../src/core/scores/scores-result.ts';
import { checkBlockKit, schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';

describe('parseScoresArgs', () => {
  it('defaults to 30 days, private', () => {
    expect(parseScoresArgs('')).toEqual({ ok: true, args: { period: '30d', public: false } });
  });

  it('accepts period, breakdown and public in any order and with aliases', () => {
    expect(parseScoresArgs('public by segment 90d')).toEqual({
      ok: true,
      args: { period: '90d', by: 'segment', public: true },
    });
    expect(parseScoresArgs('QTD touchpoint')).toEqual({ ok: true, args: { period: 'qtd', by: 'touchpoint', public: false } });
    expect(parseScoresArgs('by:route year')).toEqual({ ok: true, args: { period: 'ytd', by: 'route', public: false } });
    expect(parseScoresArgs('week share')).toEqual({ ok: true, args: { period: '7d', public: true } });
  });

  it('explains what went wrong, with the usage', () => {
    const unknown = parseScoresArgs('14d');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(stripMarkup(unknown.error)).toContain("I don't understand 14d");
      expect(unknown.error).toContain('Usage: `/scores [7d|30d|90d|qtd|ytd]');
    }
    const badBy = parseScoresArgs('by country', 'scores');
    expect(!badBy.ok && stripMarkup(badBy.error)).toContain("can't break scores down by country");
    expect(!badBy.ok && badBy.error).toContain('Usage: `scores');
    expect(parseScoresArgs('7d 30d').ok).toBe(false);
    expect(parseScoresArgs('by').ok).toBe(false);
    expect(parseScoresArgs('segment source').ok).toBe(false);
    // User words are literal spans, never markup.
    const ping = parseScoresArgs('<!channel>');
    expect(!ping.ok && ping.error).toContain(plain('<!channel>'));
    expect(parseScoresArgs('help')).toMatchObject({ ok: false });
  });
});

function result(overrides: Partial<ScoresResult> = {}): ScoresResult {
  const now = new Date('2026-03-31T12:00:00Z');
  return {
    period: '30d',
    timeZone: 'Europe/Berlin',
    windows: periodWindows('30d', now, 'Europe/Berlin'),
    volume: { current: 38, previous: 11, changePercent: 245.45 },
    nps: compare(npsEstimate({ n: 20, promoters: 10, detractors: 4 }), npsEstimate({ n: 10, promoters: 4, detractors: 4 })),
    csat: compare(csatEstimate({ n: 80, satisfied: 60 }), null),
    ces: compare(cesEstimate({ n: 5, easy: 3, sum: 22 }), cesEstimate({ n: 5, easy: 4, sum: 28 })),
    breakdown: {
      by: 'segment',
      more: 3,
      rows: [
        { key: 'Enterprise <!here>', volume: 10, nps: npsEstimate({ n: 10, promoters: 10, detractors: 0 }), csat: null, ces: null },
        { key: null, volume: 5, nps: null, csat: null, ces: null },
      ],
    },
    sla: { items: 38, medianClaimMinutes: 60, medianResolveMinutes: 960, resolved: 2, resolvedWithinSla: 1, withinSlaShare: 50 },
    rootCauses: [{ rootCause: 'Billing', count: 2 }],
    ...overrides,
  };
}

describe('buildScoresMessage', () => {
  it('shows each metric with n, ±MoE, change arrow and a low-sample warning', () => {
    const m = buildScoresMessage(result());
    expect(m.blocks[0]).toEqual({ type: 'header', text: 'Scores — last 30 days' });
    const metrics = m.blocks.find((b) => b.type === 'section' && b.fields?.[0]?.label === 'NPS');
    expect(metrics?.type === 'section' && metrics.fields).toEqual([
      { label: 'NPS', value: '*+30 ±34*  ▲ 30\nn = 20 ⚠' },
      { label: 'CSAT (4–5 of 5)', value: '*75% ±9*  no previous data\nn = 80' },
      { label: 'CES (5–7 of 7)', value: '*60% ±43*  ▼ 20\nn = 5 ⚠ · mean 4.4' },
      { label: 'Volume', value: '*38* items  ▲ 245%' },
    ]);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('Fewer than 30 responses');
    expect(text).toContain('Median time to claim');
    expect(text).toContain('50% (1 of 2)');
    expect(text).toContain('16 h');
    expect(text).toContain('and 3 more segment values');
    expect(text).toContain('Only you can see this. `/scores 30d by segment public` shares it.');
    expect(m.text).toBe('Scores — last 30 days: NPS +30 ±34 (n=20) · CSAT 75% ±9 (n=80) · CES 60% ±43 (n=5)');
  });

  it('wraps breakdown keys and root causes as literal text', () => {
    const m = buildScoresMessage(result(), { public: true });
    const breakdown = m.blocks.find((b) => b.type === 'section' && b.text === '*By segment*');
    expect(breakdown?.type === 'section' && breakdown.fields?.[0]?.label).toBe(plain('Enterprise <!here>'));
    expect(breakdown?.type === 'section' && breakdown.fields?.[1]?.label).toBe('(no segment)');
    expect(JSON.stringify(m.blocks)).not.toContain('Only you can see this');
    expect(JSON.stringify(m.blocks)).toContain(`${LITERAL_OPEN}Billing`);
  });

  it('says so when there is no feedback', () => {
    const empty = result({
      volume: { current: 0, previous: 0, changePercent: null },
      nps: compare(null, null),
      csat: compare(null, null),
      ces: { current: null, previous: null, change: null },
      breakdown: null,
      sla: { items: 0, medianClaimMinutes: null, medianResolveMinutes: null, resolved: 0, resolvedWithinSla: 0, withinSlaShare: null },
      rootCauses: [],
    });
    const m = buildScoresMessage(empty);
    expect(m.blocks.at(-1)).toEqual({ type: 'section', text: 'No feedback in the last 30 days.' });
  });

  it('renders valid Block Kit with nothing unescaped', () => {
    const slack = toBlockKit(buildScoresMessage(result()));
    expect(checkBlockKit(slack)).toEqual([]);
    expect(JSON.stringify(slack)).not.toContain('<!here>');
  });

  const dir = schemasDir();
  it.skipIf(!dir)(`renders a valid Adaptive Card 1.5 (${dir ? 'schema found' : schemasSkipMessage})`, () => {
    expect(validateAdaptiveCard(toAdaptiveCard(buildScoresMessage(result())))).toEqual([]);
  });
});
