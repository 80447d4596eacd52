// The routes file (ROUTES_FILE, YAML) as zod parses it: ordered rules, each with what it matches,
// where it posts, whom it mentions and its SLA. Strict objects, so a misspelt key is an error that
// names it instead of a rule that silently matches everything. Pure: the loader reads the file.
import { z } from 'zod';
import { ALIAS_PATTERN } from '../commands/chat-command.ts';
import { feedbackKinds } from '../feedback/item.ts';
import type { TeamsMention } from '../messages/model.ts';
import type { BusinessCalendar } from '../sla/business-hours.ts';
import { isValidTimeZone } from '../time/zoned-time.ts';
import { type ScoreBand, scoreBands } from './score-band.ts';

export const priorities = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];

export const MAX_REGEX_LENGTH = 200;
const MAX_SLA_HOURS = 24 * 30;

/** What a rule matches: every field given must match; a list matches any of its values. */
export type RouteMatch = {
  source?: string[];
  kind?: string[];
  band?: ScoreBand[];
  segment?: string[];
  tier?: string[];
  touchpoint?: string[];
  tags?: string[];
  keywords?: string[];
  regex?: string;
  attributes?: Record<string, string[]>;
};

export type RouteMention = { slack: string[]; teams: TeamsMention[] };

export type RouteRule = {
  /** Position in the file (0-based), for error lines and `/cx routes`. */
  index: number;
  name: string;
  /** null: matches every item (a default route). */
  match: RouteMatch | null;
  /** null: the default destinations (SLACK_DEFAULT_CHANNEL, TEAMS_DEFAULT_CHANNEL). */
  to: { slack: string[]; teams: string[] } | null;
  mention: RouteMention | null;
  slaHours: number | null;
  escalationHours: number | null;
  priority: Priority;
  calendar: BusinessCalendar | null;
  /** Also send to this rule's destinations, then keep matching. */
  continue: boolean;
};

const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const SLACK_MENTION = /^[UWS][A-Z0-9]{2,}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const HOURS = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$/;

const word = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
/** A value or a list of values: `segment: enterprise` or `segment: [enterprise, mid-market]`. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1, 'must list at least one value').max(100)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
const hours = z.number({ error: 'must be a number of hours' }).positive('must be more than 0').max(MAX_SLA_HOURS, `must be at most ${MAX_SLA_HOURS}`);
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** `(a+)+` and the like can take exponential time on a long comment: refuse them. */
function nestedQuantifier(pattern: string): boolean {
  return /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/.test(pattern);
}

const regex = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_REGEX_LENGTH, `must be at most ${MAX_REGEX_LENGTH} characters`)
  .superRefine((pattern, ctx) => {
    try {
      new RegExp(pattern, 'iu');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (${(error as Error).message})` });
      return;
    }
    if (nestedQuantifier(pattern)) ctx.addIssue({ code: 'custom', message: 'must not repeat a repeated group, e.g. (a+)+' });
  });

const matchSchema = z.strictObject({
  source: oneOrMany(word).optional(),
  kind: oneOrMany(z.enum(feedbackKinds, { error: `must be one of ${feedbackKinds.join(', ')}` })).optional(),
  band: oneOrMany(z.enum(scoreBands, { error: `must be one of ${scoreBands.join(', ')}` })).optional(),
  segment: oneOrMany(word).optional(),
  tier: oneOrMany(word).optional(),
  touchpoint: oneOrMany(word).optional(),
  tags: oneOrMany(word).optional(),
  keywords: oneOrMany(word).optional(),
  regex: regex.optional(),
  attributes: z.record(z.string().min(1), oneOrMany(scalar)).optional(),
});

const calendarSchema = z
  .strictObject({
    timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/Paris'),
    days: z
      .union([z.string(), z.array(z.string()).min(1, 'must list at least one day')])
      .default('mon-fri')
      .transform((v, ctx) => {
        const days = parseDays(v);
        if (!days) ctx.addIssue({ code: 'custom', message: 'must be day names (mon, tue, …) or a range like mon-fri' });
        return days ?? [];
      }),
    hours: z.string().regex(HOURS, 'must be opening and closing times like "09:00-17:30"'),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be dates like 2026-12-25')).max(1000).default([]),
  })
  .superRefine((c, ctx) => {
    const [, sh, sm, eh, em] = HOURS.exec(c.hours) ?? [];
    if (Number(eh) * 60 + Number(em) <= Number(sh) * 60 + Number(sm)) {
      ctx.addIssue({ code: 'custom', path: ['hours'], message: 'must close after it opens (no overnight shifts)' });
    }
  })
  .transform((c): BusinessCalendar => {
    const [start = '', end = ''] = c.hours.split('-').map((s) => s.trim());
    return { timezone: c.timezone, days: c.days, start, end, holidays: c.holidays };
  });

const teamsMention = z.union([
  word.transform((id): TeamsMention => ({ id, name: id })),
  z.strictObject({ id: word, name: word }),
]);

const ruleSchema = z.strictObject({
  name: z.string().trim().regex(NAME, 'must be 1–63 letters, digits, spaces, . _ or -'),
  match: matchSchema.optional(),
  to: z
    .strictObject({
      slack: oneOrMany(z.string().regex(SLACK_CHANNEL, 'must be Slack channel ids like C0123ABCD')).optional(),
      teams: oneOrMany(z.string().transform((a) => a.replace(/^#/, '').toLowerCase()).pipe(z.string().regex(ALIAS_PATTERN, 'must be aliases given with `connect <alias>`'))).optional(),
    })
    .optional(),
  mention: z
    .strictObject({
      slack: oneOrMany(z.string().regex(SLACK_MENTION, 'must be Slack user ids (U…) or user group ids (S…)')).optional(),
      teams: oneOrMany(teamsMention).optional(),
    })
    .optional(),
  sla_hours: hours.optional(),
  escalation_hours: hours.optional(),
  priority: z.enum(priorities, { error: `must be one of ${priorities.join(', ')}` }).default('normal'),
  business_hours: z.union([z.string(), calendarSchema]).optional(),
  continue: z.boolean().default(false),
});

export const routesFileSchema = z
  .strictObject({
    calendars: z.record(z.string().regex(NAME, 'must be a short name'), calendarSchema).default({}),
    routes: z.array(ruleSchema).min(1, 'must list at least one route').max(500, 'must list at most 500 routes'),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.routes.forEach((rule, i) => {
      const key = rule.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: `"${rule.name}" is used by an earlier route` });
      seen.add(key);
      if (typeof rule.business_hours === 'string' && !file.calendars[rule.business_hours]) {
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'business_hours'], message: `names no calendar under calendars: "${rule.business_hours}"` });
      }
    });
  })
  .transform((file): RouteRule[] =>
    file.routes.map((r, index) => ({
      index,
      name: r.name,
      match: r.match ?? null,
      to: r.to ? { slack: r.to.slack ?? [], teams: r.to.teams ?? [] } : null,
      mention: r.mention ? { slack: r.mention.slack ?? [], teams: r.mention.teams ?? [] } : null,
      slaHours: r.sla_hours ?? null,
      escalationHours: r.escalation_hours ?? null,
      priority: r.priority,
      calendar: typeof r.business_hours === 'string' ? file.calendars[r.business_hours]! : (r.business_hours ?? null),
      continue: r.continue,
    })),
  );

/** "mon-fri", "sat", ["mon", "wed"] → weekday numbers (0 = Sunday); null when a name is unknown. */
function parseDays(value: string | string[]): number[] | null {
  const out = new Set<number>();
  for (const part of (Array.isArray(value) ? value : value.split(',')).map((p) => p.trim().toLowerCase())) {
    const [from, to] = part.split('-').map((d) => DAY_NAMES.indexOf(d.slice(0, 3) as (typeof DAY_NAMES)[number]));
    if (from === undefined || from < 0 || (to !== undefined && to < 0)) return null;
    if (to === undefined) out.add(from);
    else for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out].sort();
}
