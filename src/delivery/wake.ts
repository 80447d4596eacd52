// Waking a delivery worker that runs in another process (PROCESS_ROLE=web + `npm run worker`):
// the web process sends a Postgres NOTIFY after a commit that enqueued jobs, and the worker LISTENs,
// so a card updates right after a click instead of at the next poll. A burst of commits sends one
// notification per interval: the worker drains whatever is due when it wakes.
export const DELIVERY_WAKE_CHANNEL = 'cf_delivery_wake';

/**
 * `fn` at once, then at most once per `intervalMs` while calls keep coming (the last call in an
 * interval is never lost: it runs at the interval's end).
 */
export function coalesce(fn: () => void, intervalMs: number): () => void {
  let timer: NodeJS.Timeout | null = null;
  let again = false;
  const arm = () => {
    timer = setTimeout(() => {
      timer = null;
      if (again) {
        again = false;
        fn();
        arm();
      }
    }, intervalMs);
    timer.unref();
  };
  return () => {
    if (timer) {
      again = true;
      return;
    }
    fn();
    arm();
  };
}
