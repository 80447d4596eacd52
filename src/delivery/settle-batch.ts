// What settling a batch writes, from what its rows' runs did: each row's next state, the chat
// posts the sends created, and one "delivery.attempt" event per target tried (a target that only
// waited for its slot was not tried). Pure; the worker hands it to outbox.settleBatch.
import type { OutboxRow, SettleBatch } from '../db/repos/outbox.repo.ts';
import { describeError } from './errors.ts';
import type { JobRun, StoredJob } from './jobs.ts';
import type { RowPatch } from './outcome.ts';

export type Settlement = { row: OutboxRow; patch: RowPatch; run: JobRun | null };

export function settleBatchOf(settlements: Settlement[]): SettleBatch {
  const batch: SettleBatch = { rows: [], posts: [], events: [] };
  for (const { row, patch, run } of settlements) {
    batch.rows.push({ row, patch });
    if (run?.kind !== 'results') continue;
    for (const post of run.posts) batch.posts.push({ workspaceId: row.workspaceId, ...post });
    const job = row.job as StoredJob;
    if (!('itemId' in job)) continue;
    for (const r of run.results) {
      if (r.status === 'deferred' || r.target.key === 'job') continue;
      const error = r.status === 'failed' ? describeError(r.error) : null;
      const { platform, channel } = r.target;
      batch.events.push({
        workspaceId: row.workspaceId,
        itemId: job.itemId,
        type: 'delivery.attempt',
        // The event's platform column names chat platforms; a webhook send is the system's own.
        platform: platform === 'webhook' ? 'system' : platform,
        data: {
          platform,
          channel,
          ok: r.status === 'ok',
          error,
          attempt: row.attempts + 1,
          ...(r.httpStatus !== undefined ? { httpStatus: r.httpStatus } : {}),
          // The last try: nothing will be sent again (an operator can retry the dead row).
          ...(r.status === 'failed' && patch.status === 'dead' ? { deadLettered: true } : {}),
        },
      });
    }
  }
  return batch;
}
