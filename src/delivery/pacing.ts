// Per-destination pacing and retry backoff. Pacing keeps us under the platforms' per-channel
// limits (PLATFORM.md): Slack chat.postMessage ≈ 1/s per channel; Teams 7 sends/s per
// conversation. It is per process: several instances each pace themselves, and a 429 from the
// platform (RateLimited) still pushes the destination back.
import type { Platform } from '../core/feedback/item.ts';

export type SendKind = 'post' | 'reply' | 'dm' | 'update';

/** Minimum gap between two sends to one destination. */
export function paceIntervalMs(platform: Platform, kind: SendKind): number {
  if (platform === 'slack') return kind === 'update' ? 0 : 1000; // chat.update is Tier 3, not per channel
  if (platform === 'teams') return Math.ceil(1000 / 7);
  return 0;
}

export interface Pacer {
  /** Reserves a send to `destination` at `now`, or returns the time it will be free (ms epoch). */
  take(destination: string, now: number, intervalMs: number): { ok: true } | { ok: false; freeAt: number };
  /** The platform said "slow down": nothing goes to `destination` before `until`. */
  block(destination: string, until: number): void;
}

export function createPacer(): Pacer {
  const nextFree = new Map<string, number>();
  let sweeps = 0;
  return {
    take(destination, now, intervalMs) {
      const free = nextFree.get(destination) ?? 0;
      if (free > now) return { ok: false, freeAt: free };
      if (intervalMs > 0) nextFree.set(destination, now + intervalMs);
      // Forget destinations that are free again, so the map stays small.
      if (++sweeps % 500 === 0) for (const [k, t] of nextFree) if (t <= now) nextFree.delete(k);
      return { ok: true };
    },
    block(destination, until) {
      nextFree.set(destination, Math.max(nextFree.get(destination) ?? 0, until));
    },
  };
}

export type BackoffOptions = { baseMs?: number; capMs?: number; random?: () => number };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * a uniform delay in [0, min(cap, base·2^(attempt−1))]. Spreads retries of many failed jobs.
 */
export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 2000;
  const cap = opts.capMs ?? 10 * 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round((opts.random ?? Math.random)() * ceiling);
}
