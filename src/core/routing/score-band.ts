// Score bands routing rules match on. NPS: detractor 0–6, passive 7–8, promoter 9–10 (PLATFORM.md).
// CSAT (1–5) and CES (1–7): low, neutral, high, where high is the share the metric counts (CSAT
// 4–5, CES 5–7) and low the clearly unhappy end (CSAT 1–2, CES 1–3).
import type { FeedbackKind } from '../feedback/item.ts';

export const scoreBands = ['detractor', 'passive', 'promoter', 'low', 'neutral', 'high'] as const;
export type ScoreBand = (typeof scoreBands)[number];

export function scoreBand(kind: FeedbackKind, score: number | null): ScoreBand | null {
  if (score === null) return null;
  switch (kind) {
    case 'nps':
      return score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter';
    case 'csat':
      return score <= 2 ? 'low' : score === 3 ? 'neutral' : 'high';
    case 'ces':
      return score <= 3 ? 'low' : score === 4 ? 'neutral' : 'high';
    default:
      return null;
  }
}
