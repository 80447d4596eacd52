import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { feedbackItems } from './feedback.ts';
import { workspaces } from './workspaces.ts';

/** Transactional outbox: written in the same transaction as the change it announces. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    itemId: uuid().references(() => feedbackItems.id, { onDelete: 'cascade' }),
    /** Pacing key, e.g. "slack:C123" (one message per second per channel). */
    destination: text().notNull(),
    /** A DeliveryJob (see src/delivery/job.ts). */
    job: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<'pending' | 'done' | 'dead'>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Lease: a worker that dies mid-job lets the row be taken again after this time. */
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Insertion order: rows enqueued together (one statement, one created_at) run in order. */
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
    doneAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('outbox_item_idx').on(t.itemId),
  ],
);

/** SLA reminders/escalations, unique per item, kind and cycle (a reopen starts a new cycle). */
export const slaNotices = pgTable(
  'sla_notices',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    itemId: uuid()
      .notNull()
      .references(() => feedbackItems.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    cycle: integer().notNull().default(0),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_notices_item_kind_cycle_uq').on(t.itemId, t.kind, t.cycle)],
);

export const digestSchedules = pgTable(
  'digest_schedules',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    platform: text().$type<'slack' | 'teams' | 'console'>().notNull(),
    channel: text().notNull(),
    cron: text().notNull(),
    timezone: text().notNull(),
    active: integer().notNull().default(1),
    createdById: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('digest_schedules_ws_platform_channel_uq').on(t.workspaceId, t.platform, t.channel)],
);

/** One row per schedule and local date: inserted ON CONFLICT DO NOTHING before posting. */
export const digestRuns = pgTable(
  'digest_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleId: uuid()
      .notNull()
      .references(() => digestSchedules.id, { onDelete: 'cascade' }),
    localDate: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Window end: the next digest reports what happened after this. */
    coveredUntil: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('digest_runs_schedule_date_uq').on(t.scheduleId, t.localDate)],
);
