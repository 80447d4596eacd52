// Work after the ack runs through a small queue. Slack only waits for the ack; the rest (actor
// lookup, the service's transaction) is CPU and database work that, left unbounded, piles up on
// the event loop during a burst of clicks and delays the NEXT requests' acks. A few at a time keeps
// every ack prompt; the queue drains right after the burst.
export type WorkQueue = {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly waiting: number;
};

export function createWorkQueue(concurrency: number): WorkQueue {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= concurrency) return;
    const start = queue.shift();
    if (start) {
      active += 1;
      start();
    }
  };
  return {
    run(work) {
      return new Promise((resolve, reject) => {
        queue.push(() => {
          work()
            .then(resolve, reject)
            .finally(() => {
              active -= 1;
              next();
            });
        });
        next();
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}
