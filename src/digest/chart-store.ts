// Recently rendered chart PNGs by unguessable id, in memory, for GET /charts/:id.png. Charts are
// cheap to re-render and only need to live until Slack has fetched (and cached) them.
import { randomBytes } from 'node:crypto';

export interface ChartStore {
  put(png: Buffer): string;
  get(id: string): Buffer | null;
}

export function createMemoryChartStore(opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): ChartStore {
  const ttl = opts.ttlMs ?? 7 * 24 * 3_600_000;
  const max = opts.maxEntries ?? 500;
  const now = opts.now ?? Date.now;
  const charts = new Map<string, { png: Buffer; expires: number }>();
  return {
    put(png) {
      const id = randomBytes(16).toString('base64url');
      charts.set(id, { png, expires: now() + ttl });
      // Oldest first in insertion order: evict beyond the cap.
      for (const key of charts.keys()) {
        if (charts.size <= max) break;
        charts.delete(key);
      }
      return id;
    },
    get(id) {
      const entry = charts.get(id);
      if (!entry) return null;
      if (entry.expires <= now()) {
        charts.delete(id);
        return null;
      }
      return entry.png;
    },
  };
}

/** The process-wide store: the digest service writes, the HTTP route reads. */
export const sharedChartStore: ChartStore = createMemoryChartStore();
