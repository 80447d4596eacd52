// An exact median, as Postgres' percentile_cont(0.5) computes it, from the one or two values at
// its middle ranks (src/scores/durations.repo.ts finds them without sorting every value).

/** The 0-based ranks percentile_cont(0.5) interpolates between, and the weight of the upper one. */
export function medianRanks(n: number): { lo: number; hi: number; proportion: number } {
  const pos = 0.5 * (n - 1);
  return { lo: Math.floor(pos), hi: Math.ceil(pos), proportion: pos - Math.floor(pos) };
}

/** percentile_cont's interpolation, in the same floating-point steps (lo + p × (hi − lo)). */
export function interpolate(lo: number, hi: number, proportion: number): number {
  return proportion === 0 ? lo : lo + proportion * (hi - lo);
}
