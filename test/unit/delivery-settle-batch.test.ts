import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/db/repos/outbox.repo.ts';
import { RateLimited } from '../../src/delivery/errors.ts';
import { settleBatchOf } from '../../src/delivery/settle-batch.ts';

const row = (job: Record<string, unknown>, attempts = 0) =>
  ({ id: 'r1', workspaceId: 'w1', job, attempts, lockedUntil: null }) as unknown as OutboxRow;
const slack = (key: string, channel = 'C1') => ({ key, platform: 'slack' as const, channel });

describe('settleBatchOf', () => {
  it('records one attempt event per target tried, none for a target that only waited for its slot', () => {
    const batch = settleBatchOf([
      {
        row: row({ type: 'item.changed', itemId: 'i1', message: { text: 'x', blocks: [] } }, 2),
        patch: { status: 'pending', attempts: 3 },
        run: {
          kind: 'results',
          results: [
            { target: slack('reply:p1'), status: 'ok', post: { platform: 'slack', channel: 'C1', messageId: 'm2' } },
            { target: slack('update:p1'), status: 'deferred', until: 5 },
            { target: slack('reply:p2', 'C2'), status: 'failed', error: new RateLimited(1000) },
          ],
          posts: [{ itemId: 'i1', platform: 'slack', channel: 'C1', messageId: 'm2', purpose: 'thread' }],
        },
      },
    ]);
    expect(batch.rows).toEqual([{ row: expect.objectContaining({ id: 'r1' }), patch: { status: 'pending', attempts: 3 } }]);
    expect(batch.posts).toEqual([{ workspaceId: 'w1', itemId: 'i1', platform: 'slack', channel: 'C1', messageId: 'm2', purpose: 'thread' }]);
    expect(batch.events.map((e) => e.data)).toEqual([
      { platform: 'slack', channel: 'C1', ok: true, error: null, attempt: 3 },
      { platform: 'slack', channel: 'C2', ok: false, error: expect.stringContaining('RateLimited'), attempt: 3 },
    ]);
  });

  it('writes only the row for a job that did not run, or has no item', () => {
    const batch = settleBatchOf([
      { row: row({ type: 'item.refresh', itemId: 'i1' }), patch: { status: 'done', attempts: 0 }, run: null },
      {
        row: row({ type: 'person.dm', personId: 'p1', message: { text: 'x', blocks: [] } }),
        patch: { status: 'done', attempts: 1 },
        run: { kind: 'results', results: [{ target: slack('slack', 'U1'), status: 'ok' }], posts: [] },
      },
    ]);
    expect(batch.rows).toHaveLength(2);
    expect(batch.posts).toEqual([]);
    expect(batch.events).toEqual([]);
  });
});
