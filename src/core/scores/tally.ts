// From item counts per (kind, score) — what the rollups and the edge queries return — to the
// counts the metrics need (metrics.ts). Same definitions as PLATFORM.md "Customer metrics".
import type { CesCounts, CsatCounts, NpsCounts } from './metrics.ts';

export type KindScoreCount = {
  kind: string;
  score: number | null;
  items: number;
  /** Of those items, resolved / resolved by their due time. */
  resolved: number;
  resolvedInSla: number;
};

export type Tally = {
  /** Items of every kind, with or without a score. */
  volume: number;
  resolved: number;
  resolvedInSla: number;
  nps: NpsCounts;
  csat: CsatCounts;
  ces: CesCounts;
};

export function tally(rows: readonly KindScoreCount[]): Tally {
  const t: Tally = {
    volume: 0,
    resolved: 0,
    resolvedInSla: 0,
    nps: { n: 0, promoters: 0, detractors: 0 },
    csat: { n: 0, satisfied: 0 },
    ces: { n: 0, easy: 0, sum: 0 },
  };
  for (const r of rows) {
    t.volume += r.items;
    t.resolved += r.resolved;
    t.resolvedInSla += r.resolvedInSla;
    if (r.score === null) continue;
    if (r.kind === 'nps') {
      t.nps.n += r.items;
      if (r.score >= 9) t.nps.promoters += r.items;
      if (r.score <= 6) t.nps.detractors += r.items;
    } else if (r.kind === 'csat') {
      t.csat.n += r.items;
      if (r.score >= 4) t.csat.satisfied += r.items;
    } else if (r.kind === 'ces') {
      t.ces.n += r.items;
      if (r.score >= 5) t.ces.easy += r.items;
      t.ces.sum += r.score * r.items;
    }
  }
  return t;
}
