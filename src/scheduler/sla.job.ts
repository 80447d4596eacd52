// Every minute: send the SLA notices that are due (sla-sweeper.service.ts, exactly once each).
import type { SlaSweeper } from '../sla/sla-sweeper.service.ts';
import type { TickJob } from './scheduler.ts';

export function slaTickJob(sweeper: Pick<SlaSweeper, 'sweep'>): TickJob {
  return { name: 'sla', cron: '* * * * *', run: (now) => sweeper.sweep(now) };
}
