// Pacing and retry backoff. Two kinds of limits (PLATFORM.md), both kept before the platform has
// to say "slow down":
// - per destination: Slack chat.postMessage ≈ 1/s per channel; Teams 7 sends/s per conversation.
//   A send to a busy channel books the channel's next free slot, held for it;
// - per workspace: Slack's limits apply per method per app per workspace (chat.update is Tier 3,
//   50+ a minute; chat.postMessage has a workspace-wide limit besides its per-channel one), and
//   Teams allows 30 requests a second per app per tenant. A send over such a budget waits for a
//   slot reserved for it (so a burst is spread out, each row touched once more, not polled), and
//   while a workspace's card updates are booked far ahead, its new card changes stay queued,
//   untouched, until the queue is short again (`backlogged`, used by the worker's claim).
// It is per process: several instances each pace themselves, and a 429 from the platform
// (RateLimited) still pushes the destination, or the workspace's budget, back.
import type { Platform } from '../core/feedback/item.ts';

export type SendKind = 'post' | 'reply' | 'dm' | 'update';

/** Minimum gap between two sends to one destination. */
export function paceIntervalMs(platform: Platform, kind: SendKind): number {
  if (platform === 'slack') return kind === 'update' ? 0 : 1000; // chat.update is Tier 3, not per channel
  if (platform === 'teams') return Math.ceil(1000 / 7);
  return 0;
}

/**
 * The destination a send is paced by: its channel (a DM's own lane). Slack's one a second per
 * channel is chat.postMessage's, so a card update does not wait behind a reply just posted there.
 */
export function paceKey(platform: Platform, kind: SendKind, channel: string): string {
  const lane = kind === 'dm' ? 'dm:' : platform === 'slack' && kind === 'update' ? 'update:' : '';
  return `${platform}:${lane}${channel}`;
}

/** A workspace-wide limit: `perMinute` sustained, and up to `burst` at once after a quiet spell. */
export type Budget = { key: string; workspaceId: string; perMinute: number; burst: number };

/**
 * The workspace-wide budget a send counts against. Slack: chat.update is Tier 3 ("50+ per
 * minute, sporadic bursts welcome"); chat.postMessage (posts, thread replies, DMs) has a
 * workspace-wide limit too, for which Slack publishes no figure: we keep to 300 a minute, and a
 * 429 still holds the channel back. Teams: 30 requests a second per app per tenant.
 */
export function workspaceBudget(workspaceId: string, platform: Platform, kind: SendKind): Budget | null {
  if (platform === 'slack' && kind === 'update') return { key: `${workspaceId}:slack:chat.update`, workspaceId, perMinute: 50, burst: 20 };
  if (platform === 'slack') return { key: `${workspaceId}:slack:chat.postMessage`, workspaceId, perMinute: 300, burst: 50 };
  if (platform === 'teams') return { key: `${workspaceId}:teams`, workspaceId, perMinute: 1800, burst: 30 };
  return null;
}

export interface Pacer {
  /**
   * Books a send to `destination` at `notBefore` (default `now`) or, if the destination is busy
   * then, at its first free slot, and returns that slot (ms epoch). The slot is held for this
   * send: the caller sends then without booking again, so a queue for one channel is spread over
   * its slots and each waiting row is touched once, not at every free second.
   */
  takeSlot(destination: string, now: number, intervalMs: number, notBefore?: number): number;
  /** The platform said "slow down": nothing goes to `destination` before `until`. */
  block(destination: string, until: number): void;
  /**
   * Counts one send against `budget` and returns when it may go: `now`, or a later slot that is
   * now held for it (the caller sends then without reserving again).
   */
  reserve(budget: Budget, now: number): number;
  /** The platform said the whole workspace is over this budget: no slot before `until`. */
  blockBudget(budget: Budget, until: number): void;
  /**
   * The workspaces whose budget `like` (any workspace's, e.g. Slack chat.update) has its slots
   * held more than `horizonMs` past `now`: a send counted against it now would only wait.
   */
  backlogged(like: (workspaceId: string) => Budget | null, now: number, horizonMs: number): string[];
}

export function createPacer(): Pacer {
  const nextFree = new Map<string, number>();
  // Generic cell rate algorithm (GCRA): per budget, the theoretical arrival time of the next send.
  const tat = new Map<string, number>();
  const budgets = new Map<string, Budget>();
  let sweeps = 0;
  const spacing = (b: Budget) => 60_000 / b.perMinute;
  const tolerance = (b: Budget) => (b.burst - 1) * spacing(b);
  return {
    takeSlot(destination, now, intervalMs, notBefore = now) {
      const slot = Math.max(notBefore, nextFree.get(destination) ?? 0);
      if (intervalMs > 0) nextFree.set(destination, slot + intervalMs);
      // Forget destinations and budgets that are free again, so the maps stay small.
      if (++sweeps % 500 === 0) {
        for (const [k, t] of nextFree) if (t <= now) nextFree.delete(k);
        for (const [k, t] of tat) {
          if (t > now) continue;
          tat.delete(k);
          budgets.delete(k);
        }
      }
      return slot;
    },
    block(destination, until) {
      nextFree.set(destination, Math.max(nextFree.get(destination) ?? 0, until));
    },
    reserve(budget, now) {
      const t = Math.max(tat.get(budget.key) ?? now, now);
      tat.set(budget.key, t + spacing(budget));
      budgets.set(budget.key, budget);
      return Math.max(now, Math.ceil(t - tolerance(budget)));
    },
    blockBudget(budget, until) {
      tat.set(budget.key, Math.max(tat.get(budget.key) ?? 0, until + tolerance(budget)));
      budgets.set(budget.key, budget);
    },
    backlogged(like, now, horizonMs) {
      const out: string[] = [];
      for (const [key, budget] of budgets) {
        // The slot reserve() would give now is tat − tolerance.
        const next = (tat.get(key) ?? now) - tolerance(budget);
        if (next > now + horizonMs && like(budget.workspaceId)?.key === key) out.push(budget.workspaceId);
      }
      return out;
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
