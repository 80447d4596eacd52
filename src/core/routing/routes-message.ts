// `routes` and `route test` answers: the rules in order with what each matches, where it posts and
// how many items it took in the last 7 days; and, for one item, each rule's verdict and the
// outcome. Pure; names and values from the routes file are shown literally (plain()).
import { plain } from '../messages/markup.ts';
import type { Block, Message } from '../messages/model.ts';
import type { BusinessCalendar } from '../sla/business-hours.ts';
import { checkRule, DEFAULT_ROUTE, type RouteDecision, type RouteSubject, type RoutingTable } from './match-route.ts';
import type { RouteRule } from './routes-schema.ts';

/** At most this many rules are listed (a message has 50 blocks). */
const MAX_LISTED = 40;
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function describeMatch(rule: RouteRule): string {
  const m = rule.match;
  if (!m) return 'every item';
  const parts: string[] = [];
  for (const key of ['source', 'kind', 'band', 'segment', 'tier', 'touchpoint', 'tags', 'keywords'] as const) {
    const v = m[key];
    if (v) parts.push(`${key} ${v.join(' | ')}`);
  }
  if (m.regex) parts.push(`regex /${m.regex}/`);
  for (const [k, v] of Object.entries(m.attributes ?? {})) parts.push(`${k} ${v.join(' | ')}`);
  return parts.join(', ');
}

export function describeCalendar(c: BusinessCalendar): string {
  const days = c.days.map((d) => DAY_NAMES[d]).join(' ');
  return `${days} ${c.start}–${c.end} ${c.timezone}${c.holidays.length > 0 ? `, ${c.holidays.length} holiday(s)` : ''}`;
}

function describeDestinations(rule: RouteRule): string {
  if (!rule.to) return 'the default channels';
  const out = [...rule.to.slack.map((c) => `Slack ${c}`), ...rule.to.teams.map((a) => `Teams ${a}`)];
  return out.length > 0 ? out.join(', ') : 'the default channels';
}

function terms(table: RoutingTable, rule: Pick<RouteRule, 'slaHours' | 'priority' | 'calendar' | 'mention'> | null): string {
  const parts = [`SLA ${rule?.slaHours ?? table.slaHours} h${rule?.calendar ? ` (business hours: ${describeCalendar(rule.calendar)})` : ''}`];
  if (rule && rule.priority !== 'normal') parts.push(`priority ${rule.priority}`);
  const m = rule?.mention;
  if (m) parts.push(`mentions ${[...m.slack, ...m.teams.map((t) => t.name)].join(', ')}`);
  return parts.join(' · ');
}

/** `counts`: items per route name in the last 7 days. */
export function buildRoutesList(table: RoutingTable, counts: Map<string, number>, source: string | null): Message {
  const n = (name: string) => counts.get(name.toLowerCase()) ?? 0;
  const blocks: Block[] = [{ type: 'header', text: 'Routing rules' }];
  if (table.rules.length === 0) {
    blocks.push({
      type: 'section',
      text: `No routes file: every item goes to the default channels with a ${table.slaHours} h SLA (${n(DEFAULT_ROUTE)} in the last 7 days). Write \`config/routes.yaml\` (see \`config/routes.example.yaml\`) and restart.`,
    });
    return { text: 'Routing rules: none (default channels)', blocks };
  }
  for (const rule of table.rules.slice(0, MAX_LISTED)) {
    const flow = rule.continue ? ' · then keeps matching' : '';
    blocks.push({
      type: 'section',
      text: `${rule.index + 1}. *${plain(rule.name)}* — ${n(rule.name)} item(s) in 7 days\nMatches ${plain(describeMatch(rule))} → ${plain(describeDestinations(rule))}${flow}\n${plain(terms(table, rule))}`,
    });
  }
  if (table.rules.length > MAX_LISTED) blocks.push({ type: 'context', items: [`… and ${table.rules.length - MAX_LISTED} more rules`] });
  const named = new Set(table.rules.map((r) => r.name.toLowerCase()));
  if (!named.has(DEFAULT_ROUTE)) {
    blocks.push({ type: 'context', items: [`Matched by no rule: ${n(DEFAULT_ROUTE)} item(s) in 7 days went to the default channels.`] });
  }
  if (source) blocks.push({ type: 'context', items: [`From ${plain(source)}. Try one: route test <item id | JSON>`] });
  return { text: `Routing rules: ${table.rules.length}`, blocks };
}

/** Each rule's verdict up to where matching stopped, then where the item would go. */
export function buildRouteTest(table: RoutingTable, subject: RouteSubject, decision: RouteDecision, what: string): Message {
  const lines: string[] = [];
  const matched = new Set(decision.matched);
  for (const rule of table.rules) {
    const checks = checkRule(rule, subject);
    const ok = matched.has(rule);
    const why = ok ? checks.map((c) => c.detail).join(', ') : (checks.find((c) => !c.ok)?.detail ?? '');
    lines.push(`${ok ? '✅' : '▫️'} ${rule.index + 1}. *${plain(rule.name)}* — ${plain(why)}${ok && rule.continue ? ' (continues)' : ''}`);
    if (ok && !rule.continue) break;
  }
  if (lines.length > MAX_LISTED) lines.splice(MAX_LISTED, lines.length - MAX_LISTED, `… ${lines.length - MAX_LISTED} more`);
  const to = decision.destinations.map((d) => `${d.platform === 'slack' ? 'Slack' : d.platform === 'teams' ? 'Teams' : 'console'} ${d.channel}`);
  const rule = table.rules.find((r) => r.name === decision.route) ?? null;
  const outcome = `Route *${plain(decision.route)}* → ${plain(to.join(', ') || 'nowhere')} · ${plain(terms(table, rule))}`;
  return {
    text: `Route test: ${decision.route}`,
    blocks: [
      { type: 'header', text: `Route test: ${decision.route}` },
      { type: 'context', items: [`${plain(what)} — nothing was posted`] },
      // Ten rules a section: a section holds 3000 characters.
      ...chunks(lines, 10).map((group): Block => ({ type: 'section', text: group.join('\n') })),
      { type: 'section', text: outcome },
    ],
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
