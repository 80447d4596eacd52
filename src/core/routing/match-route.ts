// Which route an item takes: rules are tried in file order; the first that matches is the item's
// route, unless it says `continue: true`, which only adds its destinations (and mention) and lets
// matching go on. The route where matching stops sets the SLA, priority and business hours; when
// nothing stops it, the default destinations and SLA apply under the route name "default".
// Pure and table-driven tested (test/unit/route-match.test.ts).
import type { FeedbackKind, Platform } from '../feedback/item.ts';
import type { BusinessCalendar } from '../sla/business-hours.ts';
import type { SlaTerms } from '../sla/sla-plan.ts';
import type { Priority, RouteMatch, RouteMention, RouteRule } from './routes-schema.ts';
import { scoreBand } from './score-band.ts';

export const DEFAULT_ROUTE = 'default';

/** What matching looks at: the item as it arrives, with its customer. */
export type RouteSubject = {
  source: string;
  kind: FeedbackKind;
  score: number | null;
  comment: string | null;
  touchpoint: string | null;
  tags: string[];
  customer?: { segment?: string | null; tier?: string | null; attributes?: Record<string, unknown> } | null;
};

export type RoutedDestination = { platform: Platform; channel: string; mention?: RouteMention };

export type RoutingTable = {
  rules: RouteRule[];
  /** Where items go when their route names no destination (or names only unconfigured platforms). */
  defaults: RoutedDestination[];
  slaHours: number;
  escalationHours: number;
  /** Platforms that can post; destinations on others are left out. */
  platforms: Platform[];
};

export type RouteDecision = {
  route: string;
  /** The rules that matched, in order (the last is the route unless it is "default"). */
  matched: RouteRule[];
  destinations: RoutedDestination[];
  slaHours: number;
  escalationHours: number;
  priority: Priority;
  calendar: BusinessCalendar | null;
};

/** One condition's verdict, worded for `route test`. */
export type Check = { field: string; ok: boolean; detail: string };

const lower = (s: string) => s.toLowerCase();
const fold = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/** Precompiled keyword and regex patterns, per rule (rules are loaded once). */
const compiled = new WeakMap<RouteMatch, { keywords: RegExp[]; regex: RegExp | null }>();
function patternsOf(match: RouteMatch) {
  let p = compiled.get(match);
  if (!p) {
    p = {
      // Whole words, case-insensitive, any run of spaces between a phrase's words.
      keywords: (match.keywords ?? []).map(
        (k) => new RegExp(`(?<![\\p{L}\\p{N}])${k.trim().split(/\s+/).map(escapeRegex).join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu'),
      ),
      regex: match.regex ? new RegExp(match.regex, 'iu') : null,
    };
    compiled.set(match, p);
  }
  return p;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function oneOf(field: string, wanted: string[] | undefined, actual: string | null | undefined): Check | null {
  if (!wanted) return null;
  const value = fold(actual);
  const ok = value !== '' && wanted.some((w) => lower(w.trim()) === value);
  return { field, ok, detail: `${field} is ${actual ? `"${actual}"` : 'not set'}${ok ? '' : `, not ${wanted.join(' or ')}`}` };
}

/** Every condition of a rule, in a fixed order. */
export function checkRule(rule: RouteRule, s: RouteSubject): Check[] {
  const m = rule.match;
  if (!m) return [{ field: '*', ok: true, detail: 'matches every item' }];
  const checks: (Check | null)[] = [
    oneOf('source', m.source, s.source),
    oneOf('kind', m.kind, s.kind),
  ];
  if (m.band) {
    const band = scoreBand(s.kind, s.score);
    const ok = band !== null && m.band.includes(band);
    checks.push({ field: 'band', ok, detail: `band is ${band ?? 'none (no score)'}${ok ? '' : `, not ${m.band.join(' or ')}`}` });
  }
  checks.push(oneOf('segment', m.segment, s.customer?.segment), oneOf('tier', m.tier, s.customer?.tier));
  checks.push(oneOf('touchpoint', m.touchpoint, s.touchpoint));
  if (m.tags) {
    const have = new Set(s.tags.map(fold));
    const hit = m.tags.find((t) => have.has(fold(t)));
    checks.push({ field: 'tags', ok: !!hit, detail: hit ? `tagged "${hit}"` : `no tag among ${m.tags.join(', ')}` });
  }
  const p = patternsOf(m);
  if (m.keywords) {
    const i = p.keywords.findIndex((re) => re.test(s.comment ?? ''));
    checks.push({ field: 'keywords', ok: i >= 0, detail: i >= 0 ? `comment says "${m.keywords[i]}"` : `comment has none of ${m.keywords.join(', ')}` });
  }
  if (p.regex) {
    const ok = p.regex.test(s.comment ?? '');
    checks.push({ field: 'regex', ok, detail: ok ? `comment matches /${m.regex}/` : `comment does not match /${m.regex}/` });
  }
  for (const [key, wanted] of Object.entries(m.attributes ?? {})) {
    const raw = s.customer?.attributes?.[key];
    const actual = raw === undefined || raw === null ? null : String(raw);
    checks.push(oneOf(`attributes.${key}`, wanted, actual));
  }
  return checks.filter((c): c is Check => c !== null);
}

export function ruleMatches(rule: RouteRule, s: RouteSubject): boolean {
  return checkRule(rule, s).every((c) => c.ok);
}

/** The route an item takes, its destinations (each with its rule's mention) and its SLA. */
export function routeItem(table: RoutingTable, s: RouteSubject): RouteDecision {
  const matched: RouteRule[] = [];
  const destinations: RoutedDestination[] = [];
  const add = (d: RoutedDestination) => {
    if (!table.platforms.includes(d.platform)) return;
    if (destinations.some((o) => o.platform === d.platform && o.channel === d.channel)) return;
    destinations.push(d);
  };
  const addRule = (rule: RouteRule) => {
    const mention = rule.mention ?? undefined;
    if (!rule.to) {
      for (const d of table.defaults) add(mention ? { ...d, mention } : d);
      return;
    }
    for (const channel of rule.to.slack) add({ platform: 'slack', channel, ...(mention && { mention }) });
    for (const channel of rule.to.teams) add({ platform: 'teams', channel, ...(mention && { mention }) });
  };
  let route: RouteRule | null = null;
  for (const rule of table.rules) {
    if (!ruleMatches(rule, s)) continue;
    matched.push(rule);
    addRule(rule);
    if (!rule.continue) {
      route = rule;
      break;
    }
  }
  // Nothing may be left without a destination: the defaults catch what the rules did not place.
  if (!route || destinations.length === 0) for (const d of table.defaults) add(d);
  return {
    route: route?.name ?? DEFAULT_ROUTE,
    matched,
    destinations,
    slaHours: route?.slaHours ?? table.slaHours,
    escalationHours: route?.escalationHours ?? table.escalationHours,
    priority: route?.priority ?? 'normal',
    calendar: route?.calendar ?? null,
  };
}

/** A table without rules: every item takes the default destinations and SLA (no routes file). */
export function defaultTable(defaults: RoutedDestination[], sla: { slaHours: number; escalationHours: number }): RoutingTable {
  const platforms = [...new Set(defaults.map((d) => d.platform))];
  return { rules: [], defaults, platforms, ...sla };
}

/** The rule named `name` (a stored item's route), if the file still has it. */
export function ruleNamed(table: Pick<RoutingTable, 'rules'>, name: string | null): RouteRule | null {
  if (!name) return null;
  const key = lower(name);
  return table.rules.find((r) => lower(r.name) === key) ?? null;
}

/** The SLA terms of a stored item's route (for a reopen or a release); the defaults if it is gone. */
export function slaTermsOf(table: RoutingTable, route: string | null): SlaTerms {
  const rule = ruleNamed(table, route);
  return {
    slaHours: rule?.slaHours ?? table.slaHours,
    escalationHours: rule?.escalationHours ?? table.escalationHours,
    calendar: rule?.calendar ?? null,
  };
}
