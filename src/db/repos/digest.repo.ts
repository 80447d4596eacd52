// Digest schedules and runs. A run row is keyed by (schedule, local date) and inserted with
// ON CONFLICT DO NOTHING: whoever inserts it composes the digest, everyone else skips.
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type { Platform } from '../../core/feedback/item.ts';
import type { Executor } from '../client.ts';
import { digestRuns, digestSchedules } from '../schema/index.ts';

export type DigestScheduleRow = typeof digestSchedules.$inferSelect;
export type DigestRunRow = typeof digestRuns.$inferSelect;

export type NewDigestSchedule = {
  platform: Platform;
  channel: string;
  cron: string;
  timezone: string;
  createdById?: string | null;
  /** When this version of the schedule was set up: earlier fire times are not caught up. */
  createdAt?: Date;
};

export function createDigestRepo(db: Executor) {
  return {
    /** One schedule per channel: scheduling again replaces the time and switches it back on. */
    async upsertSchedule(workspaceId: string, s: NewDigestSchedule): Promise<DigestScheduleRow> {
      const [row] = await db
        .insert(digestSchedules)
        .values({ workspaceId, ...s, createdById: s.createdById ?? null, active: 1 })
        .onConflictDoUpdate({
          target: [digestSchedules.workspaceId, digestSchedules.platform, digestSchedules.channel],
          set: {
            cron: s.cron,
            timezone: s.timezone,
            active: 1,
            createdById: s.createdById ?? null,
            ...(s.createdAt ? { createdAt: s.createdAt } : {}),
          },
        })
        .returning();
      return row!;
    },

    async listSchedules(workspaceId: string): Promise<DigestScheduleRow[]> {
      return db
        .select()
        .from(digestSchedules)
        .where(and(eq(digestSchedules.workspaceId, workspaceId), eq(digestSchedules.active, 1)))
        .orderBy(asc(digestSchedules.platform), asc(digestSchedules.channel));
    },

    async deactivate(workspaceId: string, platform: Platform, channel: string): Promise<DigestScheduleRow | null> {
      const [row] = await db
        .update(digestSchedules)
        .set({ active: 0 })
        .where(
          and(
            eq(digestSchedules.workspaceId, workspaceId),
            eq(digestSchedules.platform, platform),
            eq(digestSchedules.channel, channel),
            eq(digestSchedules.active, 1),
          ),
        )
        .returning();
      return row ?? null;
    },

    /** Every active schedule of every workspace: the scheduler tick's work list. */
    async activeSchedules(): Promise<DigestScheduleRow[]> {
      return db.select().from(digestSchedules).where(eq(digestSchedules.active, 1));
    },

    async hasRun(scheduleId: string, localDate: string): Promise<boolean> {
      const rows = await db
        .select({ id: digestRuns.id })
        .from(digestRuns)
        .where(and(eq(digestRuns.scheduleId, scheduleId), eq(digestRuns.localDate, localDate)))
        .limit(1);
      return rows.length > 0;
    },

    /** The run row, or null when another instance already inserted it. */
    async insertRun(
      scheduleId: string,
      run: { localDate: string; startedAt: Date; coveredUntil: Date },
    ): Promise<DigestRunRow | null> {
      const [row] = await db
        .insert(digestRuns)
        .values({ scheduleId, ...run })
        .onConflictDoNothing({ target: [digestRuns.scheduleId, digestRuns.localDate] })
        .returning();
      return row ?? null;
    },

    /** Where the previous digest of this schedule stopped ("since the last digest"). */
    async previousCoveredUntil(scheduleId: string, beforeLocalDate: string): Promise<Date | null> {
      const [row] = await db
        .select({ coveredUntil: digestRuns.coveredUntil })
        .from(digestRuns)
        .where(and(eq(digestRuns.scheduleId, scheduleId), lt(digestRuns.localDate, beforeLocalDate)))
        .orderBy(desc(digestRuns.localDate))
        .limit(1);
      return row?.coveredUntil ?? null;
    },

    async runs(scheduleId: string): Promise<DigestRunRow[]> {
      return db.select().from(digestRuns).where(eq(digestRuns.scheduleId, scheduleId)).orderBy(asc(digestRuns.localDate));
    },
  };
}

export type DigestRepo = ReturnType<typeof createDigestRepo>;
