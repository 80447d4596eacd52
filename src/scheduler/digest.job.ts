// Every minute: post the digests that are due (schedule.service.ts decides, exactly once).
import type { ScheduleService } from '../digest/schedule.service.ts';
import type { TickJob } from './scheduler.ts';

export function digestTickJob(schedules: Pick<ScheduleService, 'runDue'>): TickJob {
  return { name: 'digest', cron: '* * * * *', run: (now) => schedules.runDue(now) };
}
