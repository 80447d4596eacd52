// The background part of the app (src/components.ts): the digest tick every minute on every
// instance (Postgres picks one poster per schedule and day), and GET /charts/:id.png for the
// trend charts Slack digests link to.
import type { AppComponent, AppContext } from '../app-context.ts';
import { sharedChartStore } from '../digest/chart-store.ts';
import { createChartRouter } from '../digest/chart.route.ts';
import { digestTickJob } from './digest.job.ts';
import { type RunningScheduler, startScheduler } from './scheduler.ts';

export function createSchedulerComponent(ctx: AppContext): AppComponent {
  const logger = ctx.logger.child({ component: 'scheduler' });
  const features = ctx.features;
  let running: RunningScheduler | undefined;
  return {
    name: 'scheduler',
    routes: [{ path: '/charts', handler: createChartRouter(sharedChartStore) }],
    describe: () => [
      `Digests: checked every minute, missed ones caught up within ${ctx.env.DIGEST_GRACE_MINUTES} min` +
        (ctx.env.PUBLIC_URL ? '' : ' (set PUBLIC_URL for trend charts in Slack)'),
    ],
    async start() {
      running = startScheduler([digestTickJob(features.schedules)], { clock: ctx.clock, logger });
    },
    async stop() {
      await running?.stop();
    },
  };
}
