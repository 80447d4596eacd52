// node-cron only ticks; the jobs decide (and Postgres decides who runs). Each job is thin: it
// gets the tick time from the injected clock and calls one service.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/ports.ts';
import type { Logger } from '../logger.ts';

export type TickJob = {
  name: string;
  /** node-cron expression, e.g. '* * * * *' (every minute). */
  cron: string;
  run(now: Date): Promise<unknown>;
};

export type RunningScheduler = { stop(): Promise<void> };

export function startScheduler(
  jobs: TickJob[],
  deps: { clock: Pick<Clock, 'now'>; logger: Pick<Logger, 'error' | 'info'> },
): RunningScheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          await job.run(deps.clock.now());
        } catch (error) {
          deps.logger.error('scheduled job failed', { job: job.name, error: String(error) });
        }
      },
      // noOverlap: a slow tick (a digest being composed) is not started twice in one process.
      { name: job.name, noOverlap: true },
    ),
  );
  deps.logger.info('scheduler started', { jobs: jobs.map((j) => j.name).join(',') });
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
