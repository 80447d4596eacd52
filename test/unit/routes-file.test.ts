// The routes file: the issue's example as it stands, the shipped example, and one clear line for
// each kind of mistake (rule index and name, then the field).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError } from '../../src/config/env.ts';
import { loadRoutesFile, parseRoutes } from '../../src/config/routes-file.ts';

const ISSUE_EXAMPLE = `routes:
  - name: enterprise-detractors
    match: { segment: enterprise, band: detractor }
    to: { slack: [C0ACCT] }
    mention: { slack: [S0ACCT] }
    sla_hours: 4
  - name: billing
    match: { keywords: [refund, invoice, "double charged"] }
    to: { slack: [C0FIN], teams: [finance] }
  - name: default
    to: { slack: [C0DEF] }
`;

const errorOf = (text: string) => {
  try {
    parseRoutes(text, 'routes.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
};

describe('routes file', () => {
  it('accepts the example from the issue as it stands', () => {
    const rules = parseRoutes(ISSUE_EXAMPLE, 'routes.yaml');
    expect(rules.map((r) => r.name)).toEqual(['enterprise-detractors', 'billing', 'default']);
    expect(rules[0]).toMatchObject({ match: { segment: ['enterprise'], band: ['detractor'] }, mention: { slack: ['S0ACCT'], teams: [] }, slaHours: 4 });
    expect(rules[1]!.to).toEqual({ slack: ['C0FIN'], teams: ['finance'] });
    expect(rules[2]).toMatchObject({ match: null, continue: false, priority: 'normal' });
  });

  it('accepts the shipped example, with calendars and fractional hours', () => {
    const rules = parseRoutes(readFileSync('config/routes.example.yaml', 'utf8'), 'config/routes.example.yaml');
    const acct = rules.find((r) => r.name === 'enterprise-detractors')!;
    expect(acct.escalationHours).toBe(0.5);
    expect(acct.calendar).toEqual({ timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30', holidays: ['2026-12-25', '2027-01-01'] });
    expect(acct.mention?.teams).toEqual([{ id: 'dana@acme.example', name: 'Dana Ruiz' }]);
  });

  it('accepts fractional hours and an inline business-hours calendar', () => {
    const [r] = parseRoutes(
      'routes:\n  - name: fast\n    sla_hours: 0.5\n    business_hours: { timezone: Australia/Sydney, days: [sat, sun], hours: "10:00-16:00" }',
      'x',
    );
    expect(r).toMatchObject({ slaHours: 0.5, calendar: { timezone: 'Australia/Sydney', days: [0, 6], start: '10:00', end: '16:00', holidays: [] } });
  });

  it.each([
    ['routes:\n  - name: a\n    match: { band: angry }', 'routes[0] (a): match.band must be one of'],
    ['routes:\n  - name: a\n  - name: b\n    match: { segmnet: smb }', 'routes[1] (b): match Unrecognized key: "segmnet"'],
    ['routes:\n  - name: a\n    to: { slack: ["#general"] }', 'routes[0] (a): to.slack[0] must be Slack channel ids'],
    ['routes:\n  - name: a\n    sla_hours: 0', 'routes[0] (a): sla_hours must be more than 0'],
    ['routes:\n  - name: a\n    sla_hours: "4h"', 'routes[0] (a): sla_hours must be a number of hours'],
    ['routes:\n  - name: a\n    match: { regex: "(a+)+$" }', 'routes[0] (a): match.regex must not repeat a repeated group'],
    ['routes:\n  - name: a\n    match: { regex: "([" }', 'routes[0] (a): match.regex is not a valid regular expression'],
    [`routes:\n  - name: a\n    match: { regex: "${'x'.repeat(201)}" }`, 'routes[0] (a): match.regex must be at most 200 characters'],
    ['routes:\n  - name: a\n    business_hours: nights', 'routes[0] (a): business_hours names no calendar under calendars: "nights"'],
    ['routes:\n  - name: a\n    business_hours: { timezone: Mars/Base, hours: "09:00-17:00" }', 'routes[0] (a): business_hours.timezone must be an IANA time zone'],
    ['routes:\n  - name: a\n    business_hours: { timezone: UTC, hours: "17:00-09:00" }', 'routes[0] (a): business_hours.hours must close after it opens'],
    ['routes:\n  - name: a\n  - name: A', 'routes[1] (A): name "A" is used by an earlier route'],
    ['routes:\n  - name: a\n    mention: { slack: ["<!channel>"] }', 'routes[0] (a): mention.slack[0] must be Slack user ids'],
    ['routes: []', 'routes must list at least one route'],
    ['rules: []', 'Unrecognized key: "rules"'],
    ['routes:\n  - name: a\n   match: [', 'not valid YAML'],
  ])('refuses %j with one line', (text, expected) => {
    const message = errorOf(text);
    expect(message).toContain('Invalid routes file routes.yaml');
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('no file at the default path means no rules; a named file must exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-routes-'));
    expect(loadRoutesFile(undefined, join(dir, 'routes.yaml'))).toEqual([]);
    expect(() => loadRoutesFile(join(dir, 'missing.yaml'))).toThrow(/ROUTES_FILE .* does not exist/);
    writeFileSync(join(dir, 'routes.yaml'), ISSUE_EXAMPLE);
    expect(loadRoutesFile(join(dir, 'routes.yaml'))).toHaveLength(3);
  });
});
