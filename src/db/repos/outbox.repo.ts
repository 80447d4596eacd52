import { and, asc, count, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { DeliveryJob, NewEvent, OutboxRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { outbox } from '../schema/index.ts';
import type { NewChatPost } from './chat-posts.repo.ts';
import { OUTBOX_CLAIM_SQL, OUTBOX_SETTLE_SQL, type SettleRowJson } from './outbox.sql.ts';
import { preparedRunner } from './prepared-statement.ts';
import { fromJsonRow, isUuid } from './row-mappers.ts';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = OutboxRow['status'];

/** A row's next state: a key left out leaves its column as it is. */
export type OutboxPatch = {
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt?: Date;
  lastError?: string | null;
  job?: Record<string, unknown>;
  doneAt?: Date | null;
};

export type SettleBatch = {
  rows: { row: Pick<OutboxRow, 'id' | 'lockedUntil'>; patch: OutboxPatch }[];
  posts: (NewChatPost & { workspaceId: string })[];
  events: (Pick<NewEvent, 'itemId' | 'type' | 'platform' | 'data'> & { workspaceId: string })[];
};

/** Pacing key for a job: one per chat channel (Slack allows ~1 message/s per channel). */
export function destinationOf(job: DeliveryJob): string {
  switch (job.type) {
    case 'item.post':
    case 'channel.message':
      return `${job.platform}:${job.channel}`;
    case 'item.changed':
    case 'item.refresh':
    case 'item.thread':
      return `item:${job.itemId}`;
    case 'person.dm':
      return `person:${job.personId}`;
    case 'loop.webhook':
      return 'webhook:loop';
  }
}

/** What the delivery worker needs besides `enqueue`: claim, settle and inspect rows. */
export interface OutboxQueue {
  /**
   * Leases up to `limit` due rows (FOR UPDATE SKIP LOCKED, so concurrent workers never take the
   * same row) until `lockedUntil`. A row whose lease expired (its worker died) is due again.
   * `holdCardChanges`: workspaces whose card changes not yet tried stay queued, untouched.
   */
  claim(opts: { now: Date; lockedUntil: Date; limit: number; holdCardChanges?: string[] }): Promise<OutboxRow[]>;
  /**
   * Settles leased rows in one statement, with the chat posts and attempt events their run
   * created: all of it commits or none. Each row is guarded by its lease; returns the ids it
   * settled (a row whose lease was lost is left out).
   */
  settleBatch(batch: SettleBatch): Promise<Set<string>>;
  /** True while an `item.post` for the item is leased by a worker (its chat post is not recorded yet). */
  postInFlight(itemId: string, now: Date): Promise<boolean>;
  /** `postInFlight` for several items in one query: the ids of those whose post is leased. */
  postsInFlight(itemIds: string[], now: Date): Promise<Set<string>>;
  /** Drops every lease: only safe when no other worker can be running (PGlite owns its data dir). */
  releaseLeases(): Promise<number>;
  /** Deletes delivered rows older than `before` (dead rows are kept for inspection). */
  pruneDone(before: Date): Promise<number>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
  listDead(limit?: number): Promise<OutboxRow[]>;
  /** Puts a dead row back in the queue (operator retry). */
  retryDead(id: string, now: Date): Promise<boolean>;
}

export function createOutboxRepo(db: Executor): OutboxRepo & OutboxQueue {
  const claimStatement = preparedRunner(db, 'cf_outbox_claim', OUTBOX_CLAIM_SQL, { analyze: ['outbox'] });
  const settleStatement = preparedRunner(db, 'cf_outbox_settle', OUTBOX_SETTLE_SQL);
  async function postsInFlight(itemIds: string[], now: Date): Promise<Set<string>> {
    if (itemIds.length === 0) return new Set();
    const rows = await db
      .selectDistinct({ itemId: outbox.itemId })
      .from(outbox)
      .where(
        and(
          inArray(outbox.itemId, [...new Set(itemIds)]),
          eq(outbox.status, 'pending'),
          sql`${outbox.job}->>'type' = 'item.post'`,
          // gt(), not raw sql: postgres.js cannot bind a Date inside a sql`` fragment.
          gt(outbox.lockedUntil, now),
        ),
      );
    return new Set(rows.flatMap((r) => (r.itemId ? [r.itemId] : [])));
  }

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

    async claim({ now, lockedUntil, limit, holdCardChanges = [] }) {
      const found = await claimStatement<{ row: Record<string, unknown> }>(
        [now.toISOString(), lockedUntil.toISOString(), String(limit), `{${holdCardChanges.filter(isUuid).join(',')}}`],
        limit,
      );
      const rows = found.map((r) => fromJsonRow(outbox, r.row));
      // RETURNING has no order: keep the queue's.
      return rows.sort(
        (a, b) =>
          a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
          a.createdAt.getTime() - b.createdAt.getTime() ||
          a.seq - b.seq,
      );
    },

    async settleBatch({ rows, posts, events }) {
      if (rows.length === 0 && posts.length === 0 && events.length === 0) return new Set();
      const postsJson = posts.map((p) => ({
        workspace_id: p.workspaceId,
        item_id: p.itemId,
        platform: p.platform,
        channel: p.channel,
        message_id: p.messageId,
        purpose: p.purpose ?? null,
      }));
      const eventsJson = events.map((e) => ({
        workspace_id: e.workspaceId,
        item_id: e.itemId,
        type: e.type,
        platform: e.platform,
        data: e.data,
      }));
      const rowsJson = rows.map(({ row, patch }): SettleRowJson => ({
        id: row.id,
        locked_until: row.lockedUntil?.toISOString() ?? null,
        status: patch.status,
        attempts: patch.attempts,
        next_attempt_at: patch.nextAttemptAt?.toISOString(),
        last_error: patch.lastError,
        job: patch.job,
        done_at: patch.doneAt === undefined ? undefined : (patch.doneAt?.toISOString() ?? null),
      }));
      const settled = await settleStatement<{ id: string }>(
        [JSON.stringify(postsJson), JSON.stringify(eventsJson), JSON.stringify(rowsJson)],
        posts.length + events.length + rows.length,
      );
      return new Set(settled.map((r) => r.id));
    },

    postsInFlight,

    async postInFlight(itemId, now) {
      return (await postsInFlight([itemId], now)).size > 0;
    },

    async releaseLeases() {
      const rows = await db
        .update(outbox)
        .set({ lockedUntil: null })
        .where(and(eq(outbox.status, 'pending'), sql`${outbox.lockedUntil} is not null`))
        .returning({ id: outbox.id });
      return rows.length;
    },

    async pruneDone(before) {
      const rows = await db
        .delete(outbox)
        .where(and(eq(outbox.status, 'done'), lt(outbox.doneAt, before)))
        .returning({ id: outbox.id });
      return rows.length;
    },

    async countByStatus() {
      const rows = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
      const out: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0 };
      for (const r of rows) out[r.status] = Number(r.n);
      return out;
    },

    async listDead(limit = 50) {
      return db
        .select()
        .from(outbox)
        .where(eq(outbox.status, 'dead'))
        .orderBy(asc(outbox.createdAt))
        .limit(limit);
    },

    async retryDead(id, now) {
      const rows = await db
        .update(outbox)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, doneAt: null })
        .where(and(eq(outbox.id, id), eq(outbox.status, 'dead')))
        .returning({ id: outbox.id });
      return rows.length > 0;
    },
  };
}
