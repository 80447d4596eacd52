// The worker's wait between drains: a timer that can be shortened (an enqueue committed: come
// back soon) or ended at once (stop), but never made longer.
export function createIdleWait() {
  let sleeper: { until: number; timer: NodeJS.Timeout; resolve: () => void } | null = null;
  return {
    sleep(ms: number): Promise<void> {
      return new Promise<void>((resolve) => {
        const done = () => {
          sleeper = null;
          resolve();
        };
        sleeper = { until: performance.now() + ms, timer: setTimeout(done, ms), resolve: done };
      });
    },
    /** Ends the current wait within `ms` (0: now); no-op when not waiting. */
    hurry(ms: number): void {
      const s = sleeper;
      if (!s) return;
      clearTimeout(s.timer);
      if (ms <= 0) {
        s.resolve();
        return;
      }
      s.until = Math.min(s.until, performance.now() + ms);
      s.timer = setTimeout(s.resolve, Math.max(0, s.until - performance.now()));
    },
  };
}
