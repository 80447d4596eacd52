// Which part of a time window the daily rollups answer (its whole UTC days) and which parts the
// items table must (the partial days at its edges): /scores reads ~30 rollup rows per kind and
// score instead of every item, and at most two partial days of items per window.
import type { Window } from './period.ts';

const DAY_MS = 86_400_000;

export type WindowPlan = {
  /** Whole UTC days [from, to) as YYYY-MM-DD, or null when the window holds none. */
  days: { from: string; to: string } | null;
  /** What is left: up to two partial days (the whole window when it holds no whole day). */
  edges: Window[];
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function planWindow(w: Window): WindowPlan {
  const start = w.start.getTime();
  const end = w.end.getTime();
  if (!(end > start)) return { days: null, edges: [] };
  const firstMidnight = Math.ceil(start / DAY_MS) * DAY_MS;
  const lastMidnight = Math.floor(end / DAY_MS) * DAY_MS;
  if (firstMidnight >= lastMidnight) return { days: null, edges: [{ start: w.start, end: w.end }] };
  const edges: Window[] = [];
  if (start < firstMidnight) edges.push({ start: w.start, end: new Date(firstMidnight) });
  if (lastMidnight < end) edges.push({ start: new Date(lastMidnight), end: w.end });
  return { days: { from: isoDay(firstMidnight), to: isoDay(lastMidnight) }, edges };
}
