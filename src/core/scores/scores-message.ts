// ScoresResult → neutral Message (Slack `/scores`, Teams `scores`). Every metric shows n, ±MoE,
// the change against the previous period with an arrow, and a warning when n < 30.
import { plain } from '../messages/markup.ts';
import type { Block, Field, Message } from '../messages/model.ts';
import { arrow, formatMinutes, formatNps, formatShare, plural } from './format.ts';
import { type Estimate, LOW_SAMPLE } from './metrics.ts';
import { describePeriod } from './period.ts';
import { localDayMonthYear } from '../time/zoned-time.ts';
import type { BreakdownRow, ScoresResult } from './scores-result.ts';

export type ScoresMessageOptions = {
  /** false: the adapter answers privately; the message says how to share it. */
  public?: boolean;
  /** How the user typed the command (`/scores` in Slack, `scores` in Teams). */
  command?: string;
};

const MAX_BREAKDOWN_FIELDS = 10; // Slack: at most 10 fields per section

function dayRange(start: Date, end: Date, timeZone: string): string {
  // The window ends now (exclusive); show the last day it covers.
  return `${localDayMonthYear(start, timeZone)} – ${localDayMonthYear(new Date(end.getTime() - 1), timeZone)}`;
}

function metricLine(e: Estimate | null, change: number | null, show: (e: Estimate) => string): string {
  if (!e) return 'no responses';
  const low = e.lowSample ? ' ⚠' : '';
  return `*${show(e)}*  ${arrow(change)}\nn = ${e.n}${low}`;
}

function breakdownValue(row: BreakdownRow): string {
  const parts: string[] = [];
  if (row.nps) parts.push(`NPS ${formatNps(row.nps)} (n=${row.nps.n})`);
  if (row.csat) parts.push(`CSAT ${formatShare(row.csat)} (n=${row.csat.n})`);
  if (row.ces) parts.push(`CES ${formatShare(row.ces)} (n=${row.ces.n})`);
  if (parts.length === 0) parts.push(plural(row.volume, 'item'));
  return parts.join('\n');
}

export function buildScoresMessage(result: ScoresResult, opts: ScoresMessageOptions = {}): Message {
  const command = opts.command ?? '/scores';
  const label = describePeriod(result.period);
  const { current } = result.windows;
  const blocks: Block[] = [
    { type: 'header', text: `Scores — ${label}` },
    {
      type: 'context',
      items: [
        `${dayRange(current.start, current.end, result.timeZone)} (${result.timeZone}) · arrows compare with the period of the same length before`,
      ],
    },
  ];

  const { nps, csat, ces, volume } = result;
  if (volume.current === 0 && !nps.current && !csat.current && !ces.current) {
    blocks.push({ type: 'section', text: `No feedback in the ${label}.` });
    return { text: `Scores — ${label}: no feedback`, blocks };
  }

  const metricFields: Field[] = [
    { label: 'NPS', value: metricLine(nps.current, nps.change, formatNps) },
    { label: 'CSAT (4–5 of 5)', value: metricLine(csat.current, csat.change, formatShare) },
    {
      label: 'CES (5–7 of 7)',
      value: ces.current
        ? `${metricLine(ces.current, ces.change, formatShare)} · mean ${ces.current.mean.toFixed(1)}`
        : 'no responses',
    },
    {
      label: 'Volume',
      value: `*${volume.current}* items  ${volume.changePercent === null ? '' : arrow(volume.changePercent, '%')}`.trim(),
    },
  ];
  blocks.push({ type: 'section', text: '*Customer metrics*', fields: metricFields });

  const low = [nps.current, csat.current, ces.current].some((e) => e?.lowSample);
  if (low) {
    blocks.push({
      type: 'context',
      items: [`⚠ Fewer than ${LOW_SAMPLE} responses: treat that figure as a hint, not a trend (see the ± margin).`],
    });
  }

  const { sla } = result;
  if (sla.items > 0) {
    blocks.push({
      type: 'section',
      text: '*Keeping the promise*',
      fields: [
        { label: 'Median time to claim', value: formatMinutes(sla.medianClaimMinutes) },
        { label: 'Median time to resolve', value: formatMinutes(sla.medianResolveMinutes) },
        {
          label: 'Resolved within SLA',
          value:
            sla.withinSlaShare === null
              ? 'none resolved yet'
              : `${Math.round(sla.withinSlaShare)}% (${sla.resolvedWithinSla} of ${sla.resolved})`,
        },
      ],
    });
  }

  if (result.rootCauses.length > 0) {
    const lines = result.rootCauses.map((r) => `• ${plain(r.rootCause)} — ${r.count}`);
    blocks.push({ type: 'section', text: `*Top root causes*\n${lines.join('\n')}` });
  }

  const bd = result.breakdown;
  if (bd && bd.rows.length > 0) {
    const shown = bd.rows.slice(0, MAX_BREAKDOWN_FIELDS);
    blocks.push({
      type: 'section',
      text: `*By ${bd.by}*`,
      fields: shown.map((row) => ({
        label: row.key === null ? `(no ${bd.by})` : plain(row.key),
        value: breakdownValue(row),
      })),
    });
    const more = bd.more + (bd.rows.length - shown.length);
    if (more > 0) blocks.push({ type: 'context', items: [`and ${more} more ${bd.by} values with fewer responses`] });
  }

  if (!opts.public) {
    blocks.push({
      type: 'context',
      items: [`Only you can see this. \`${command} ${result.period}${bd ? ` by ${bd.by}` : ''} public\` shares it.`],
    });
  }

  const text =
    `Scores — ${label}: ` +
    [
      nps.current ? `NPS ${formatNps(nps.current)} (n=${nps.current.n})` : null,
      csat.current ? `CSAT ${formatShare(csat.current)} (n=${csat.current.n})` : null,
      ces.current ? `CES ${formatShare(ces.current)} (n=${ces.current.n})` : null,
    ]
      .filter(Boolean)
      .join(' · ');
  return { text, blocks };
}
