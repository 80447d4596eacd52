// Counts requests whose listeners are still running after the HTTP ack, so tests (and a graceful
// stop) can wait for the work Bolt does after answering Slack, instead of sleeping.
export type InFlight = {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing is running (immediately if nothing is). */
  idle(): Promise<void>;
  readonly size: number;
};

export function createInFlight(): InFlight {
  let running = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    running -= 1;
    if (running === 0) {
      const done = waiters;
      waiters = [];
      for (const w of done) w();
    }
  };
  return {
    async track(work) {
      running += 1;
      try {
        return await work;
      } finally {
        settle();
      }
    },
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    get size() {
      return running;
    },
  };
}
