import { and, asc, count, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { DeliveryJob, OutboxRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { outbox } from '../schema/index.ts';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = OutboxRow['status'];

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

/** What the delivery worker needs besides `enqueue`: claim, settle and inspect rows. */
export interface OutboxQueue {
  /**
   * Leases up to `limit` due rows (FOR UPDATE SKIP LOCKED, so concurrent workers never take the
   * same row) until `lockedUntil`. A row whose lease expired (its worker died) is due again.
   */
  claim(opts: { now: Date; lockedUntil: Date; limit: number }): Promise<OutboxRow[]>;
  /** Settles a leased row. Guarded by the lease: a worker whose lease expired changes nothing. */
  settle(
    row: Pick<OutboxRow, 'id' | 'lockedUntil'>,
    patch: {
      status: OutboxStatus;
      attempts?: number;
      nextAttemptAt?: Date;
      lastError?: string | null;
      job?: Record<string, unknown>;
      doneAt?: Date | null;
    },
  ): Promise<boolean>;
  /**
   * `settle` for several rows leased together (same `lockedUntil`) getting the same patch, in one
   * statement; returns the ids it settled (a row whose lease was lost is left out).
   */
  settleMany(
    rows: Pick<OutboxRow, 'id' | 'lockedUntil'>[],
    patch: Parameters<OutboxQueue['settle']>[1],
  ): Promise<Set<string>>;
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

    async claim({ now, lockedUntil, limit }) {
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.status, 'pending'),
            lte(outbox.nextAttemptAt, now),
            or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
          ),
        )
        .orderBy(asc(outbox.nextAttemptAt), asc(outbox.createdAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db.update(outbox).set({ lockedUntil }).where(inArray(outbox.id, due)).returning();
      // RETURNING has no order: keep the queue's.
      return rows.sort(
        (a, b) =>
          a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime(),
      );
    },

    async settle(row, patch) {
      const lease = row.lockedUntil ? eq(outbox.lockedUntil, row.lockedUntil) : isNull(outbox.lockedUntil);
      const updated = await db
        .update(outbox)
        .set({ ...patch, lockedUntil: null })
        .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), lease))
        .returning({ id: outbox.id });
      return updated.length > 0;
    },

    async settleMany(rows, patch) {
      const settled = new Set<string>();
      const leases = new Map<number | null, string[]>();
      for (const r of rows) {
        const key = r.lockedUntil?.getTime() ?? null;
        leases.set(key, [...(leases.get(key) ?? []), r.id]);
      }
      for (const [lockedUntil, ids] of leases) {
        const lease = lockedUntil === null ? isNull(outbox.lockedUntil) : eq(outbox.lockedUntil, new Date(lockedUntil));
        const updated = await db
          .update(outbox)
          .set({ ...patch, lockedUntil: null })
          .where(and(inArray(outbox.id, ids), eq(outbox.status, 'pending'), lease))
          .returning({ id: outbox.id });
        for (const u of updated) settled.add(u.id);
      }
      return settled;
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
