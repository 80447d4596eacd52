// The "customer first" digest: DigestData → neutral Message. Pure. Each section is omitted when
// empty; lists are capped (DIGEST_LIMITS) so the worst case stays near 43 blocks, under Slack's 50.
// Customer and colleague words only appear in `quote` blocks or `plain()` spans.
import { ActionIds } from '../messages/action-ids.ts';
import { plain } from '../messages/markup.ts';
import type { Block, Button, Field, Message } from '../messages/model.ts';
import { arrow, clip, formatMinutes, formatNps, formatShare } from '../scores/format.ts';
import type { Estimate } from '../scores/metrics.ts';
import { localMonthYear, shortLocalDay } from '../time/zoned-time.ts';
import type { Capped, CustomerStory, DigestData, DigestOpenItem, DigestQuote } from './digest-data.ts';

export const MAX_DIGEST_BLOCKS = 50;
export const CLOSING_PROMPT = 'Which customers does this idea affect? Why would it delight them?';
const QUOTE_CHARS = 600;
const LINE_CHARS = 90;

export type DigestOptions = {
  timeZone: string;
  /** The day in the title; defaults to the window end (a 23:59 digest posted at 00:05 keeps its day). */
  day?: Date;
  /** The trend chart, when one could be rendered and hosted. */
  chart?: { url: string; alt: string };
  /** Command prefix for "and 12 more" hints: `/cx` in Slack, `cx` in Teams. */
  command?: string;
};

const KIND_LABEL: Record<string, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES' };
const SCALE: Record<string, number> = { nps: 10, csat: 5, ces: 7 };

function scoreLabel(kind: string, score: number | null): string {
  if (score === null || !KIND_LABEL[kind]) return kind.replace('_', ' ');
  return `${KIND_LABEL[kind]} ${score}/${SCALE[kind]}`;
}

function who(name: string | null, company?: string | null): string {
  if (!name && !company) return 'a customer';
  if (name && company) return `${plain(name)} (${plain(company)})`;
  return plain((name ?? company)!);
}

function headlineField(label: string, e: Estimate | null, change: number | null, show: (e: Estimate) => string) {
  if (!e) return null;
  return { label, value: `*${show(e)}*  ${arrow(change)}\nn = ${e.n}${e.lowSample ? ' ⚠ small sample' : ''}` };
}

function quoteSection(title: string, list: Capped<DigestQuote>): Block[] {
  if (list.items.length === 0) return [];
  const blocks: Block[] = [{ type: 'section', text: `*${title}*` }];
  for (const q of list.items) {
    blocks.push({ type: 'quote', text: clip(q.text, QUOTE_CHARS) });
    const where = q.touchpoint ? ` · ${plain(q.touchpoint)}` : '';
    blocks.push({ type: 'context', items: [`— ${who(q.customerName, q.company)} · ${scoreLabel(q.kind, q.score)}${where}`] });
  }
  const more = list.total - list.items.length;
  if (more > 0) blocks.push({ type: 'context', items: [`and ${more} more since the last digest`] });
  return blocks;
}

function dueText(item: DigestOpenItem, now: Date): string {
  const minutes = (item.dueAt.getTime() - now.getTime()) / 60_000;
  return minutes >= 0 ? `due in ${formatMinutes(minutes)}` : `${formatMinutes(-minutes)} late`;
}

function openLine(item: DigestOpenItem, now: Date, index?: number): string {
  const words = item.comment ? `: ${plain(clip(item.comment, LINE_CHARS))}` : '';
  const owner = item.claimedByName ? ` · claimed by ${plain(item.claimedByName)}` : '';
  const prefix = index === undefined ? '•' : `${index}.`;
  return `${prefix} ${scoreLabel(item.kind, item.score)} — ${who(item.customerName)}${words} · ${dueText(item, now)}${owner}`;
}

function moreLine(list: Capped<unknown>, command: string): Block[] {
  const more = list.total - list.items.length;
  return more > 0 ? [{ type: 'context', items: [`and ${more} more — \`${command} open\``] }] : [];
}

function storyLine(story: CustomerStory, timeZone: string): string {
  const since = localMonthYear(story.firstSeen, timeZone);
  const scores = story.history.map((h) => scoreLabel(h.kind, h.score)).join(' → ');
  const count = story.totalItems === 1 ? 'first feedback' : `${story.totalItems} pieces of feedback since ${since}`;
  return [count, scores, story.segment ? plain(story.segment) : null].filter(Boolean).join(' · ');
}

export function composeDigest(data: DigestData, opts: DigestOptions): Message {
  const command = opts.command ?? '/cx';
  const now = data.until;
  const title = `Customer first — ${shortLocalDay(opts.day ?? now, opts.timeZone)}`;
  const blocks: Block[] = [{ type: 'header', text: title }];
  const summary: string[] = [];

  const h = data.headline;
  if (h) {
    const fields = [
      headlineField('NPS (7 days)', h.nps.current, h.nps.change, formatNps),
      headlineField('CSAT (7 days)', h.csat.current, h.csat.change, formatShare),
      h.ces.current
        ? {
            label: 'CES (7 days)',
            value: `${headlineField('', h.ces.current, h.ces.change, formatShare)!.value} · mean ${h.ces.current.mean.toFixed(1)}`,
          }
        : null,
    ].filter((f): f is Field => f !== null);
    if (fields.length > 0) blocks.push({ type: 'section', text: '*This week in numbers*', fields });
    if (h.nps.current) summary.push(`NPS ${formatNps(h.nps.current)} (n=${h.nps.current.n})`);
  }
  if (opts.chart) blocks.push({ type: 'image', url: opts.chart.url, alt: opts.chart.alt });

  const news = [...quoteSection('Good news', data.goodNews), ...quoteSection('Bad news', data.badNews)];
  const work: Block[] = [];
  if (data.needsOwner.items.length > 0) {
    const items = data.needsOwner.items;
    work.push({
      type: 'section',
      text: `*Needs an owner* (${data.needsOwner.total})\n${items.map((it, i) => openLine(it, now, i + 1)).join('\n')}`,
    });
    work.push({
      type: 'actions',
      buttons: items.map(
        (it, i): Button => ({
          action: ActionIds.claim,
          label: clip(`Claim ${i + 1}${it.customerName ? ` · ${it.customerName}` : ''}`, 40),
          style: i === 0 ? 'primary' : undefined,
          payload: { v: 1, item: it.itemId },
        }),
      ),
    });
    work.push(...moreLine(data.needsOwner, command));
    summary.push(`${data.needsOwner.total} need an owner`);
  }
  if (data.overdue.items.length > 0) {
    work.push({
      type: 'section',
      text: `*Overdue* (${data.overdue.total})\n${data.overdue.items.map((it) => openLine(it, now)).join('\n')}`,
    });
    work.push(...moreLine(data.overdue, command));
    summary.push(`${data.overdue.total} overdue`);
  }
  if (data.resolved.items.length > 0) {
    const lines = data.resolved.items.map((r) => {
      const cause = r.rootCause ? ` — ${plain(r.rootCause)}` : '';
      const what = r.summary ? `: ${plain(clip(r.summary, LINE_CHARS))}` : '';
      const by = r.resolvedByName ? ` (${plain(r.resolvedByName)})` : '';
      return `• ${who(r.customerName)}${cause}${what}${by}`;
    });
    work.push({ type: 'section', text: `*Resolved since the last digest* (${data.resolved.total})\n${lines.join('\n')}` });
    const causes = data.resolved.rootCauses.map((c) => `${plain(c.rootCause)} ×${c.count}`).join(' · ');
    const more = data.resolved.total - data.resolved.items.length;
    const context = [causes ? `Root causes: ${causes}` : null, more > 0 ? `and ${more} more` : null].filter(Boolean);
    if (context.length > 0) work.push({ type: 'context', items: [context.join(' · ')] });
    summary.push(`${data.resolved.total} resolved`);
  }

  const learned: Block[] = [];
  if (data.learnings.items.length > 0) {
    learned.push({ type: 'section', text: '*What we learned*' });
    for (const l of data.learnings.items) {
      learned.push({ type: 'quote', text: clip(l.text, QUOTE_CHARS) });
      const about = l.customerName ? `, about ${plain(l.customerName)}` : '';
      learned.push({ type: 'context', items: [`— ${l.authorName ? plain(l.authorName) : 'a colleague'}${about}`] });
    }
    const more = data.learnings.total - data.learnings.items.length;
    if (more > 0) learned.push({ type: 'context', items: [`and ${more} more learnings`] });
  }

  const story = data.customerOfTheDay;
  const storyBlocks: Block[] = story
    ? [
        { type: 'section', text: `*Customer of the day: ${who(story.name, story.company)}*` },
        { type: 'quote', text: clip(story.latest.text, QUOTE_CHARS) },
        { type: 'context', items: [storyLine(story, opts.timeZone)] },
      ]
    : [];

  const groups = [news, work, learned, storyBlocks].filter((g) => g.length > 0);
  if (groups.length === 0) {
    blocks.push({ type: 'section', text: 'A quiet day: nothing new since the last digest, and nothing waits for an owner.' });
    summary.push('a quiet day');
  }
  for (const g of groups) blocks.push({ type: 'divider' }, ...g);
  blocks.push({ type: 'divider' }, { type: 'section', text: `*${CLOSING_PROMPT}*` });

  return { text: `${title}${summary.length ? `: ${summary.join(' · ')}` : ''}`, blocks: capBlocks(blocks) };
}

/** Defensive cap: drop dividers, then the middle, always keeping the closing prompt. */
function capBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= MAX_DIGEST_BLOCKS) return blocks;
  const lean = blocks.filter((b, i) => b.type !== 'divider' || i === blocks.length - 2);
  if (lean.length <= MAX_DIGEST_BLOCKS) return lean;
  return [...lean.slice(0, MAX_DIGEST_BLOCKS - 2), ...lean.slice(-1)];
}
