// Slack retries an event it thinks we missed (X-Slack-Retry-Num, up to 3 times over ~5 min).
// Effects keyed in the database (learnings by source ref, views.publish) are idempotent anyway;
// this drops a repeated event_id before any listener runs. Per process: a retry that lands on
// another instance is caught by those database keys.
export type EventDedupe = {
  /** True the first time an id is seen within the window. */
  firstTime(eventId: string, nowMs: number): boolean;
};

export function createEventDedupe(opts: { windowMs?: number; max?: number } = {}): EventDedupe {
  const windowMs = opts.windowMs ?? 15 * 60_000; // longer than Slack's last retry (~5 min)
  const max = opts.max ?? 10_000;
  const seen = new Map<string, number>(); // insertion order = age order
  return {
    firstTime(eventId, nowMs) {
      for (const [id, at] of seen) {
        if (nowMs - at < windowMs && seen.size < max) break;
        seen.delete(id);
      }
      if (seen.has(eventId)) return false;
      seen.set(eventId, nowMs);
      return true;
    },
  };
}
