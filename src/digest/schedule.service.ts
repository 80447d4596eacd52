// Digest schedules per channel, and `runDue(now)`, which the scheduler tick calls every minute on
// every instance. Exactly once: for each active schedule, the most recent fire time ≤ now (if
// within the grace window) names a local date; the instance whose ON CONFLICT DO NOTHING insert
// of (schedule, local date) succeeds composes the digest and enqueues it in the same transaction.
// A rollback frees the key for the next tick; an instance that was down catches up within grace.
import { scheduledMessage, scheduleListMessage, type ScheduleView } from '../core/digest/schedule-messages.ts';
import { ValidationError } from '../core/errors.ts';
import type { Platform } from '../core/feedback/item.ts';
import type { Message } from '../core/messages/model.ts';
import type { Clock } from '../core/ports.ts';
import { localDate } from '../core/time/zoned-time.ts';
import type { Db } from '../db/client.ts';
import { createDigestRepo, type DigestScheduleRow } from '../db/repos/digest.repo.ts';
import { createOutboxRepo } from '../db/repos/outbox.repo.ts';
import type { Logger } from '../logger.ts';
import { checkSchedule, lastFireAtOrBefore, nextFireAfter } from './cron-time.ts';
import type { DigestService } from './digest.service.ts';

export type ScheduleInput = {
  platform: Platform;
  channel: string;
  cron: string;
  timezone: string;
  createdById?: string | null;
};

export type ScheduleResult =
  | { ok: true; schedule: DigestScheduleRow; next: Date | null; message: Message }
  | { ok: false; message: string };

export type RunOutcome = { scheduleId: string; localDate: string; fireAt: Date };

const MINUTE_MS = 60_000;
/** "Since the last digest" never reaches further back than this (a schedule paused for months). */
const MAX_WINDOW_MS = 7 * 24 * 60 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function createScheduleService(deps: {
  db: Db;
  clock: Pick<Clock, 'now'>;
  digests: Pick<DigestService, 'compose'>;
  /** DIGEST_GRACE_MINUTES: how late a missed digest may still go out. */
  graceMinutes?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  notifyDelivery?: () => void;
}) {
  const graceMs = (deps.graceMinutes ?? 120) * MINUTE_MS;
  // lastFireAtOrBefore(now) is constant while last ≤ now < next: remember it per cron + zone
  // instead of asking cron-parser (≈1 ms) on every tick.
  const fireCache = new Map<string, { last: Date | null; next: Date | null }>();
  function lastFire(s: DigestScheduleRow, now: Date): Date | null {
    const key = `${s.cron}|${s.timezone}`;
    const hit = fireCache.get(key);
    if (hit?.last && hit.next && hit.last <= now && now < hit.next) return hit.last;
    const last = lastFireAtOrBefore(s.cron, s.timezone, now);
    if (fireCache.size > 1000) fireCache.clear();
    fireCache.set(key, { last, next: last ? nextFireAfter(s.cron, s.timezone, last) : null });
    return last;
  }
  const view = (s: DigestScheduleRow, now: Date): ScheduleView => ({
    platform: s.platform,
    channel: s.channel,
    cron: s.cron,
    timezone: s.timezone,
    next: nextFireAfter(s.cron, s.timezone, now),
  });

  /** Claims the run for (schedule, local date of `fireAt`) and, if this caller won, posts it. */
  async function runOne(s: DigestScheduleRow, fireAt: Date, now: Date): Promise<boolean> {
    const date = localDate(fireAt, s.timezone);
    const repo = createDigestRepo(deps.db);
    if (await repo.hasRun(s.id, date)) return false; // cheap check: most ticks end here
    return deps.db.transaction(async (tx) => {
      const runs = createDigestRepo(tx);
      const run = await runs.insertRun(s.id, { localDate: date, startedAt: now, coveredUntil: now });
      if (!run) return false; // another instance has it
      const previous = await runs.previousCoveredUntil(s.id, date);
      const floor = now.getTime() - MAX_WINDOW_MS;
      const since = new Date(Math.max(previous?.getTime() ?? fireAt.getTime() - DAY_MS, floor));
      const message = await deps.digests.compose(
        s.workspaceId,
        { platform: s.platform, timeZone: s.timezone, since, until: now, day: fireAt },
        tx,
      );
      await createOutboxRepo(tx).enqueue(s.workspaceId, [
        { type: 'channel.message', platform: s.platform, channel: s.channel, message, purpose: 'digest' },
      ]);
      return true;
    });
  }

  return {
    async schedule(workspaceId: string, input: ScheduleInput): Promise<ScheduleResult> {
      let checked: { cron: string; timeZone: string };
      try {
        checked = checkSchedule(input.cron, input.timezone);
      } catch (error) {
        if (error instanceof ValidationError) return { ok: false, message: error.message };
        throw error;
      }
      const now = deps.clock.now();
      const schedule = await createDigestRepo(deps.db).upsertSchedule(workspaceId, {
        platform: input.platform,
        channel: input.channel,
        cron: checked.cron,
        timezone: checked.timeZone,
        createdById: input.createdById ?? null,
        createdAt: now,
      });
      const v = view(schedule, now);
      return { ok: true, schedule, next: v.next, message: scheduledMessage(v) };
    },

    /** Active schedules as rows (for the CLI and tests). */
    async listSchedules(workspaceId: string): Promise<DigestScheduleRow[]> {
      return createDigestRepo(deps.db).listSchedules(workspaceId);
    },

    /** Active schedules as a reply message. */
    async list(workspaceId: string): Promise<Message> {
      const now = deps.clock.now();
      const rows = await createDigestRepo(deps.db).listSchedules(workspaceId);
      return scheduleListMessage(rows.map((s) => view(s, now)));
    },

    async off(workspaceId: string, target: { platform: Platform; channel: string }): Promise<{ removed: boolean }> {
      const row = await createDigestRepo(deps.db).deactivate(workspaceId, target.platform, target.channel);
      return { removed: row !== null };
    },

    /** One scheduler tick. Safe to call from any number of instances at once. */
    async runDue(now: Date = deps.clock.now()): Promise<RunOutcome[]> {
      const posted: RunOutcome[] = [];
      for (const s of await createDigestRepo(deps.db).activeSchedules()) {
        try {
          const fireAt = lastFire(s, now);
          // Fires before the schedule was set up do not count (scheduling 09:00 at 09:30 waits a day).
          if (!fireAt || fireAt < s.createdAt || now.getTime() - fireAt.getTime() > graceMs) continue;
          if (await runOne(s, fireAt, now)) {
            posted.push({ scheduleId: s.id, localDate: localDate(fireAt, s.timezone), fireAt });
            deps.logger?.info('digest enqueued', { scheduleId: s.id, channel: s.channel, fireAt: fireAt.toISOString() });
          }
        } catch (error) {
          // One broken schedule (bad data, a failed query) must not stop the others.
          deps.logger?.error('digest run failed; the next tick retries within the grace window', {
            scheduleId: s.id,
            error: String(error),
          });
        }
      }
      if (posted.length > 0) deps.notifyDelivery?.();
      return posted;
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
