// The background part of the app (src/components.ts): the digest and SLA ticks every minute on
// every instance (Postgres picks one poster per schedule and day, and one sender per notice), and
// GET /charts/:id.png for the trend charts Slack digests link to.
import type { AppComponent, AppContext } from '../app-context.ts';
import { sharedChartStore } from '../digest/chart-store.ts';
import { createChartRouter } from '../digest/chart.route.ts';
import { digestTickJob } from './digest.job.ts';
import { slaTickJob } from './sla.job.ts';
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
      slaLine(ctx),
    ],
    async start() {
      running = startScheduler([digestTickJob(features.schedules), slaTickJob(ctx.sla)], { clock: ctx.clock, logger });
    },
    async stop() {
      await running?.stop();
    },
  };
}

function slaLine(ctx: AppContext): string {
  const { table, champions } = ctx.routing;
  const where = champions.length > 0 ? champions.map((c) => `${c.platform} ${c.channel}`).join(', ') : 'the card threads (set CHAMPION_CHANNEL / TEAMS_CHAMPION_CHANNEL for a champion channel)';
  const rules = table.rules.length > 0 ? `${table.rules.length} routing rule(s)` : 'no routes file (every item takes the default channels)';
  return `SLA: ${table.slaHours} h by default, escalations after ${table.escalationHours} h unclaimed go to ${where}; ${rules}`;
}
