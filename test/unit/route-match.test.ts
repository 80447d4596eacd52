// Routing rules: what each condition matches (table-driven), rule order, continue, defaults.
import { describe, expect, it } from 'vitest';
import { parseRoutes } from '../../src/config/routes-file.ts';
import { checkRule, defaultTable, type RouteSubject, type RoutingTable, routeItem, ruleMatches, slaTermsOf } from '../../src/core/routing/match-route.ts';
import { parseRouteSubject } from '../../src/core/routing/route-subject.ts';
import { buildRoutesList, buildRouteTest } from '../../src/core/routing/routes-message.ts';
import type { RouteRule } from '../../src/core/routing/routes-schema.ts';
import { scoreBand } from '../../src/core/routing/score-band.ts';

const subject = (over: Partial<RouteSubject> = {}): RouteSubject => ({
  source: 'typeform',
  kind: 'nps',
  score: 3,
  comment: 'Export broke again before our board meeting.',
  touchpoint: 'reporting',
  tags: ['export', 'bug'],
  customer: { segment: 'Enterprise', tier: 'gold', attributes: { plan: 'pro', seats: 250, churn_risk: true } },
  ...over,
});

const rule = (yaml: string): RouteRule => parseRoutes(`routes:\n  - name: r\n${yaml.replace(/^/gm, '    ')}\n    to: { slack: [C0X] }`, 't.yaml')[0]!;

/** A table from a routes file, with the env defaults (CENV, 24 h SLA, 2 h escalation) and every platform. */
const tableOf = (file: string): RoutingTable => ({
  rules: parseRoutes(file, 'routes.yaml'),
  defaults: [{ platform: 'slack', channel: 'CENV' }],
  slaHours: 24,
  escalationHours: 2,
  platforms: ['slack', 'teams', 'console'],
});

describe('score bands', () => {
  it.each([
    ['nps', 0, 'detractor'], ['nps', 6, 'detractor'], ['nps', 7, 'passive'], ['nps', 8, 'passive'], ['nps', 9, 'promoter'], ['nps', 10, 'promoter'],
    ['csat', 1, 'low'], ['csat', 2, 'low'], ['csat', 3, 'neutral'], ['csat', 4, 'high'], ['csat', 5, 'high'],
    ['ces', 1, 'low'], ['ces', 3, 'low'], ['ces', 4, 'neutral'], ['ces', 5, 'high'], ['ces', 7, 'high'],
    ['comment', null, null], ['review', 5, null],
  ] as const)('%s %s is %s', (kind, score, band) => {
    expect(scoreBand(kind, score)).toBe(band);
  });
});

describe('conditions', () => {
  it.each([
    ['source: typeform', true],
    ['source: [delighted, TypeForm]', true],
    ['source: zendesk', false],
    ['kind: nps', true],
    ['kind: [csat, ces]', false],
    ['band: detractor', true],
    ['band: [promoter, passive]', false],
    ['band: low', false],
    ['segment: enterprise', true],
    ['segment: smb', false],
    ['tier: [silver, gold]', true],
    ['touchpoint: Reporting', true],
    ['touchpoint: onboarding', false],
    ['tags: [Export]', true],
    ['tags: [billing, churn]', false],
    ['keywords: [broke]', true],
    ['keywords: [BOARD MEETING]', true],
    ['keywords: [break]', false],
    ['keywords: [port]', false],
    ['regex: "board\\\\s+meet"', true],
    ['regex: "^refund"', false],
    ['attributes: { plan: pro }', true],
    ['attributes: { seats: 250 }', true],
    ['attributes: { churn_risk: true }', true],
    ['attributes: { plan: [free, trial] }', false],
    ['attributes: { region: emea }', false],
    ['segment: enterprise\nband: detractor\nkeywords: [export]', true],
    ['segment: enterprise\nband: promoter', false],
  ])('match { %s } → %s', (yaml, expected) => {
    const r = rule(`match:\n  ${yaml.replace(/\n/g, '\n  ')}`);
    expect(ruleMatches(r, subject())).toBe(expected);
  });

  it('keywords match phrases across any spacing, and not inside other words', () => {
    const r = rule('match: { keywords: ["double charged", refund] }');
    expect(ruleMatches(r, subject({ comment: 'I was DOUBLE\n  charged last month' }))).toBe(true);
    expect(ruleMatches(r, subject({ comment: 'Refunds please' }))).toBe(false);
    expect(ruleMatches(r, subject({ comment: 'refund, please!' }))).toBe(true);
    expect(ruleMatches(r, subject({ comment: null }))).toBe(false);
  });

  it('a missing customer or score matches no customer or band condition', () => {
    expect(ruleMatches(rule('match: { segment: enterprise }'), subject({ customer: null }))).toBe(false);
    expect(ruleMatches(rule('match: { band: detractor }'), subject({ kind: 'comment', score: null }))).toBe(false);
  });

  it('explains each verdict for route test', () => {
    const checks = checkRule(rule('match: { segment: smb, band: detractor }'), subject());
    expect(checks).toEqual([
      { field: 'band', ok: true, detail: 'band is detractor' },
      { field: 'segment', ok: false, detail: 'segment is "Enterprise", not smb' },
    ]);
  });
});

describe('routeItem', () => {
  const file = `
routes:
  - name: kudos
    match: { band: promoter }
    to: { slack: [C0KUDOS] }
    continue: true
  - name: enterprise-detractors
    match: { segment: enterprise, band: detractor }
    to: { slack: [C0ACCT] }
    mention: { slack: [S0ACCT] }
    sla_hours: 4
    priority: urgent
  - name: billing
    match: { keywords: [refund, invoice, "double charged"] }
    to: { slack: [C0FIN], teams: [finance] }
  - name: default
    to: { slack: [C0DEF] }
`;
  const table = tableOf(file);

  it('the first match wins and sets SLA, priority and mention', () => {
    const d = routeItem(table, subject({ comment: 'I want a refund' }));
    expect(d.route).toBe('enterprise-detractors');
    expect(d.destinations).toEqual([{ platform: 'slack', channel: 'C0ACCT', mention: { slack: ['S0ACCT'], teams: [] } }]);
    expect(d).toMatchObject({ slaHours: 4, priority: 'urgent', escalationHours: 2, calendar: null });
  });

  it('a continue rule adds its destinations and matching goes on', () => {
    const d = routeItem(table, subject({ score: 10, comment: 'Great, but the invoice was wrong' }));
    expect(d.route).toBe('billing');
    expect(d.matched.map((r) => r.name)).toEqual(['kudos', 'billing']);
    expect(d.destinations.map((x) => `${x.platform}:${x.channel}`)).toEqual(['slack:C0KUDOS', 'slack:C0FIN', 'teams:finance']);
    expect(d.slaHours).toBe(24);
  });

  it('the default rule catches the rest', () => {
    const d = routeItem(table, subject({ customer: null, comment: 'meh' }));
    expect(d.route).toBe('default');
    expect(d.destinations).toEqual([{ platform: 'slack', channel: 'C0DEF' }]);
  });

  it('without a matching rule the env defaults apply, under the route "default"', () => {
    const t = { ...table, rules: table.rules.slice(0, 3) };
    const d = routeItem(t, subject({ customer: null, comment: 'meh', score: 8 }));
    expect(d).toMatchObject({ route: 'default', destinations: [{ platform: 'slack', channel: 'CENV' }], slaHours: 24 });
  });

  it('destinations on unconfigured platforms are left out; none left means the defaults', () => {
    const slackless = { ...table, platforms: ['teams', 'console'] as RoutingTable['platforms'], defaults: [{ platform: 'console' as const, channel: 'console' }] };
    expect(routeItem(slackless, subject({ customer: null, comment: 'refund' })).destinations).toEqual([{ platform: 'teams', channel: 'finance' }]);
    expect(routeItem(slackless, subject({ customer: null, comment: 'meh' })).destinations).toEqual([{ platform: 'console', channel: 'console' }]);
  });

  it('a stored route keeps its SLA terms; a route no longer in the file gets the defaults', () => {
    expect(slaTermsOf(table, 'Enterprise-Detractors')).toEqual({ slaHours: 4, escalationHours: 2, calendar: null });
    expect(slaTermsOf(table, 'gone')).toEqual({ slaHours: 24, escalationHours: 2, calendar: null });
  });
});

describe('route test input and answers', () => {
  const file = `
routes:
  - name: kudos
    match: { band: promoter }
    to: { slack: [C0KUDOS] }
    continue: true
  - name: billing
    match: { keywords: [refund, invoice] }
    to: { slack: [C0FIN], teams: [finance] }
    sla_hours: 0.5
    priority: high
    business_hours: { timezone: Europe/Paris, days: mon-fri, hours: "09:00-17:30" }
  - name: enterprise
    match: { segment: enterprise }
    to: { slack: [C0ACCT] }
`;
  const table = tableOf(file);

  it('parses the JSON a user types, with lenient defaults', () => {
    expect(parseRouteSubject('{"kind":"nps","score":10,"comment":"refund <!channel>","customer":{"segment":"SMB"}}')).toEqual({
      ok: true,
      subject: { source: 'test', kind: 'nps', score: 10, comment: 'refund <!channel>', touchpoint: null, tags: [], customer: { segment: 'SMB', tier: null, attributes: {} } },
    });
  });

  it.each([
    ['{kind: nps}', /not valid JSON/],
    ['{"kind":"stars"}', /^kind must be one of/],
    ['{"score":"ten"}', /^score /],
    ['{"colour":"red"}', /colour/],
  ])('explains what is wrong with %s', (json, error) => {
    const parsed = parseRouteSubject(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('route test says which rules matched and why, and where the item would go', () => {
    const s = subject({ score: 10, comment: 'Please refund the <!channel> invoice' });
    const msg = buildRouteTest(table, s, routeItem(table, s), 'JSON item');
    const text = msg.blocks.map((b) => ('text' in b ? b.text : b.type === 'context' ? b.items.join(' ') : '')).join('\n');
    expect(msg.text).toBe('Route test: billing');
    expect(text).toContain('nothing was posted');
    expect(text).toMatch(/✅ 1\. \*.kudos.\* — .*promoter.* \(continues\)/);
    expect(text).toMatch(/✅ 2\. \*.billing.\* — .*refund/);
    expect(text).not.toContain('3. '); // matching stopped at billing
    expect(text).toContain('Slack C0KUDOS, Slack C0FIN, Teams finance');
    expect(text).toContain('SLA 0.5 h (business hours: Mon Tue Wed Thu Fri 09:00–17:30 Europe/Paris)');
    // The comment is quoted through plain(): literal, never a ping.
    expect(text).not.toMatch(/(^|[^\uE000])<!channel>/);
  });

  it('a rule that did not match says which condition failed', () => {
    const s = subject({ score: 3, comment: 'slow', customer: { segment: 'SMB', tier: null, attributes: {} } });
    const msg = buildRouteTest(table, s, routeItem(table, s), 'item 1');
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('▫️ 1.');
    expect(text).toContain('▫️ 3.');
    expect(msg.text).toBe('Route test: default');
    expect(text).toContain('Slack CENV');
  });

  it('routes lists each rule with its 7-day count, and the items no rule matched', () => {
    const msg = buildRoutesList(table, new Map([['billing', 4], ['default', 2]]), 'config/routes.yaml');
    const text = JSON.stringify(msg.blocks);
    expect(msg.text).toBe('Routing rules: 3');
    expect(text).toContain('billing\uE001* — 4 item(s) in 7 days');
    expect(text).toContain('kudos\uE001* — 0 item(s) in 7 days');
    expect(text).toContain('then keeps matching');
    expect(text).toContain('priority high');
    expect(text).toContain('Matched by no rule: 2 item(s)');
  });

  it('without a routes file, routes says so and how to add one', () => {
    const msg = buildRoutesList(defaultTable([{ platform: 'slack', channel: 'CENV' }], { slaHours: 24, escalationHours: 2 }), new Map([['default', 7]]), null);
    expect(JSON.stringify(msg.blocks)).toContain('No routes file: every item goes to the default channels with a 24 h SLA (7 in the last 7 days)');
  });
});
