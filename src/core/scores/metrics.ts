// NPS / CSAT / CES from counts (the database counts; this file does the math). Formulas and the
// n < 30 flag are in PLATFORM.md ("Customer metrics").

export const LOW_SAMPLE = 30;
const Z95 = 1.96;

export type NpsCounts = { n: number; promoters: number; detractors: number };
export type CsatCounts = { n: number; satisfied: number };
export type CesCounts = { n: number; easy: number; sum: number };

/** A score with its 95% margin of error, both in points (NPS: −100..100; CSAT/CES: 0..100). */
export type Estimate = { value: number; moe: number; n: number; lowSample: boolean };

export type MetricResult = {
  current: Estimate | null;
  previous: Estimate | null;
  /** current − previous in points; null when either side has no responses. */
  change: number | null;
};

export type CesEstimate = Estimate & { mean: number };

/** NPS = %promoters − %detractors; MoE = 1.96 × 100 × √((p + d − (p − d)²) / n). */
export function npsEstimate(c: NpsCounts): Estimate | null {
  if (c.n <= 0) return null;
  const p = c.promoters / c.n;
  const d = c.detractors / c.n;
  const variance = Math.max(0, p + d - (p - d) ** 2);
  return {
    value: 100 * (p - d),
    moe: Z95 * 100 * Math.sqrt(variance / c.n),
    n: c.n,
    lowSample: c.n < LOW_SAMPLE,
  };
}

/** A share in percent with the MoE of a proportion: 1.96 × 100 × √(p(1 − p) / n). */
export function proportionEstimate(hits: number, n: number): Estimate | null {
  if (n <= 0) return null;
  const p = hits / n;
  return {
    value: 100 * p,
    moe: Z95 * 100 * Math.sqrt((p * (1 - p)) / n),
    n,
    lowSample: n < LOW_SAMPLE,
  };
}

/** CSAT (1–5) = share of 4s and 5s. */
export function csatEstimate(c: CsatCounts): Estimate | null {
  return proportionEstimate(c.satisfied, c.n);
}

/** CES (1–7) = share of 5–7, plus the mean score. */
export function cesEstimate(c: CesCounts): CesEstimate | null {
  const share = proportionEstimate(c.easy, c.n);
  return share ? { ...share, mean: c.sum / c.n } : null;
}

export function compare<E extends Estimate>(current: E | null, previous: E | null) {
  return {
    current,
    previous,
    change: current && previous ? current.value - previous.value : null,
  };
}

/** Relative change of a count (volume), in percent; null when there was nothing before. */
export function percentChange(current: number, previous: number): number | null {
  return previous > 0 ? (100 * (current - previous)) / previous : null;
}

/** Which side of the scale a single response is on (for quotes and badges). */
export function sentimentOf(kind: string, score: number | null): 'good' | 'bad' | 'neutral' {
  if (score === null) return 'neutral';
  if (kind === 'nps') return score >= 9 ? 'good' : score <= 6 ? 'bad' : 'neutral';
  if (kind === 'csat') return score >= 4 ? 'good' : score <= 2 ? 'bad' : 'neutral';
  if (kind === 'ces') return score >= 5 ? 'good' : score <= 3 ? 'bad' : 'neutral';
  return 'neutral';
}
