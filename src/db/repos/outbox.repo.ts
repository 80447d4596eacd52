import type { DeliveryJob, OutboxRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { outbox } from '../schema/index.ts';

/** Pacing key for a job: one per chat channel (Slack allows ~1 message/s per channel). */
export function destinationOf(job: DeliveryJob): string {
  switch (job.type) {
    case 'item.post':
    case 'channel.message':
      return `${job.platform}:${job.channel}`;
    case 'item.refresh':
    case 'item.thread':
      return `item:${job.itemId}`;
    case 'person.dm':
      return `person:${job.personId}`;
  }
}

export function createOutboxRepo(db: Executor): OutboxRepo {
  return {
    async enqueue(workspaceId, jobs) {
      if (jobs.length === 0) return;
      await db.insert(outbox).values(
        jobs.map((job) => ({
          workspaceId,
          itemId: 'itemId' in job ? job.itemId : null,
          destination: destinationOf(job),
          job: job as unknown as Record<string, unknown>,
        })),
      );
    },
  };
}
