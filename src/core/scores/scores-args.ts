// `/scores [7d|30d|90d|qtd|ytd] [by segment|touchpoint|source|route] [public]` → arguments, or a
// helpful error in our markup (user words wrapped in plain()). Word order does not matter.
import { plain } from '../messages/markup.ts';
import { isPeriod, type Period, periods } from './period.ts';
import { type Breakdown, breakdowns, isBreakdown } from './scores-result.ts';

export type ScoresArgs = { period: Period; by?: Breakdown; public: boolean };
export type ScoresArgsResult = { ok: true; args: ScoresArgs } | { ok: false; error: string };

export const DEFAULT_PERIOD: Period = '30d';

const PERIOD_ALIASES: Record<string, Period> = {
  '7': '7d',
  '30': '30d',
  '90': '90d',
  week: '7d',
  month: '30d',
  quarter: 'qtd',
  year: 'ytd',
};

export function scoresUsage(command = '/scores'): string {
  return (
    `Usage: \`${command} [${periods.join('|')}] [by ${breakdowns.join('|')}] [public]\`\n` +
    `For example \`${command} 90d by segment\`. Add \`public\` to post it to the channel.`
  );
}

export function parseScoresArgs(text: string, command = '/scores'): ScoresArgsResult {
  const tokens = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  let period: Period | undefined;
  let by: Breakdown | undefined;
  let isPublic = false;
  const fail = (error: string): ScoresArgsResult => ({ ok: false, error: `${error}\n${scoresUsage(command)}` });

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'help' || token === '?') return { ok: false, error: scoresUsage(command) };
    if (token === 'public' || token === 'share') {
      isPublic = true;
      continue;
    }
    const asPeriod = isPeriod(token) ? token : PERIOD_ALIASES[token];
    if (asPeriod) {
      if (period && period !== asPeriod) return fail(`Pick one period, not both \`${period}\` and \`${asPeriod}\`.`);
      period = asPeriod;
      continue;
    }
    let dimension: string | undefined;
    if (token === 'by') {
      dimension = tokens[++i];
      if (dimension === undefined) return fail('`by` needs a breakdown.');
    } else if (token.startsWith('by:') || token.startsWith('by=')) {
      dimension = token.slice(3);
    } else if (isBreakdown(token)) {
      dimension = token;
    }
    if (dimension !== undefined) {
      if (!isBreakdown(dimension)) {
        return fail(`I can't break scores down by ${plain(dimension)}; try ${breakdowns.map((b) => `\`${b}\``).join(', ')}.`);
      }
      if (by && by !== dimension) return fail('Pick one breakdown at a time.');
      by = dimension;
      continue;
    }
    return fail(`I don't understand ${plain(token)}.`);
  }
  return { ok: true, args: { period: period ?? DEFAULT_PERIOD, ...(by ? { by } : {}), public: isPublic } };
}
