import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { FeedbackKind, ItemStatus, Platform } from '../../core/feedback/item.ts';
import type { Priority } from '../../core/routing/routes-schema.ts';
import { customers, people } from './people.ts';
import { durationBucketIndexExpr } from './rollups.ts';
import { workspaces } from './workspaces.ts';

export const feedbackItems = pgTable(
  'feedback_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    source: text().notNull(),
    externalId: text().notNull(),
    kind: text().$type<FeedbackKind>().notNull(),
    score: integer(),
    comment: text(),
    touchpoint: text(),
    tags: jsonb().$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    route: text(),
    priority: text().$type<Priority>().notNull().default('normal'),
    customerId: uuid().references(() => customers.id, { onDelete: 'set null' }),
    /** The customer's segment, kept equal to customers.segment by triggers (for the rollups). */
    segment: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    /** The SLA clock's other marks (sla-plan.ts): the claimer's reminder and the unclaimed escalation. */
    remindAt: timestamp({ withTimezone: true }).notNull(),
    escalateAt: timestamp({ withTimezone: true }).notNull(),
    /** 0 from intake, n after the n-th reopen: sla_notices are unique per item, kind and cycle. */
    slaCycle: integer().notNull().default(0),
    /**
     * Imported history (a CSV backfill older than `--post-since`): stored and counted in scores, but
     * never posted, owed no SLA notice and in no work queue. The sweeper's partial indexes and the
     * queues' index leave these rows out, so a million of them cost those queries nothing.
     */
    history: boolean().notNull().default(false),
    status: text().$type<ItemStatus>().notNull().default('open'),
    claimedById: uuid().references(() => people.id, { onDelete: 'set null' }),
    claimedAt: timestamp({ withTimezone: true }),
    snoozedUntil: timestamp({ withTimezone: true }),
    resolvedById: uuid().references(() => people.id, { onDelete: 'set null' }),
    resolvedAt: timestamp({ withTimezone: true }),
    resolutionSummary: text(),
    rootCause: text(),
    preventionAction: text(),
    preventionOwnerId: uuid().references(() => people.id, { onDelete: 'set null' }),
    preventionDueOn: date(),
    customerContacted: boolean(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('feedback_items_ws_source_external_uq').on(t.workspaceId, t.source, t.externalId),
    // Scores: filter by workspace, kind and time window. The trailing columns make /scores, the
    // SLA medians and the trend chart index-only scans (bench/scores.bench.ts, bench/RESULTS.md).
    index('feedback_items_scores_idx').on(
      t.workspaceId,
      t.kind,
      t.receivedAt,
      t.score,
      t.createdAt,
      t.claimedAt,
      t.resolvedAt,
      t.dueAt,
    ),
    // Queues: open/claimed items by due time; "mine".
    index('feedback_items_ws_status_due_idx')
      .on(t.workspaceId, t.status, t.dueAt)
      .where(sql`not history`),
    index('feedback_items_ws_claimed_by_idx').on(t.workspaceId, t.claimedById, t.status),
    // The SLA sweeper's three questions, each on a small partial index (sla.repo.ts).
    index('feedback_items_sla_escalate_idx')
      .on(t.escalateAt)
      .where(sql`status = 'open' and not history`),
    index('feedback_items_sla_remind_idx')
      .on(t.remindAt)
      .where(sql`status = 'claimed' and not history`),
    index('feedback_items_sla_due_idx')
      .on(t.dueAt)
      .where(sql`status <> 'resolved' and not history`),
    // Items per route (`/cx routes`, scores by route).
    index('feedback_items_ws_route_idx').on(t.workspaceId, t.route, t.createdAt),
    index('feedback_items_customer_idx').on(t.customerId, t.receivedAt),
    // Resolved in a window, with the root cause for "top root causes" without heap reads.
    index('feedback_items_ws_resolved_cause_idx').on(t.workspaceId, t.resolvedAt, t.rootCause),
    // Median time to claim / resolve: the exact values inside one bucket of a window (rollups.ts).
    index('feedback_items_claim_bucket_idx')
      .on(t.workspaceId, durationBucketIndexExpr('claimed_at'), t.receivedAt, t.claimedAt, t.createdAt)
      .where(sql`claimed_at is not null`),
    index('feedback_items_resolve_bucket_idx')
      .on(t.workspaceId, durationBucketIndexExpr('resolved_at'), t.receivedAt, t.resolvedAt, t.createdAt)
      .where(sql`resolved_at is not null`),
  ],
);

/** The audit trail: every state change and delivery attempt, with actor, platform and time. */
export const feedbackEvents = pgTable(
  'feedback_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    itemId: uuid()
      .notNull()
      .references(() => feedbackItems.id, { onDelete: 'cascade' }),
    type: text().notNull(),
    actorId: uuid().references(() => people.id, { onDelete: 'set null' }),
    platform: text().$type<Platform | 'api' | 'system'>(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('feedback_events_item_at_idx').on(t.itemId, t.at)],
);

/** Every message we posted for an item: how "update every post in place" works. */
export const chatPosts = pgTable(
  'chat_posts',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    itemId: uuid().references(() => feedbackItems.id, { onDelete: 'cascade' }),
    platform: text().$type<Platform>().notNull(),
    /** Slack channel id / Teams conversation id / console. */
    channel: text().notNull(),
    /** Slack ts / Teams activity id. */
    messageId: text().notNull(),
    /** What the post is: the item card, a digest, ... */
    purpose: text().notNull().default('card'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('chat_posts_item_idx').on(t.itemId),
    uniqueIndex('chat_posts_platform_channel_message_uq').on(t.platform, t.channel, t.messageId),
  ],
);

/** Learnings colleagues share from customer conversations (`/cx learned`, digest thread replies). */
export const learnings = pgTable(
  'learnings',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    authorId: uuid().references(() => people.id, { onDelete: 'set null' }),
    customerId: uuid().references(() => customers.id, { onDelete: 'set null' }),
    text: text().notNull(),
    platform: text().$type<Platform>(),
    /** Dedupe key for captured thread replies (platform message id). */
    sourceRef: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('learnings_ws_created_idx').on(t.workspaceId, t.createdAt),
    uniqueIndex('learnings_ws_source_ref_uq').on(t.workspaceId, t.sourceRef),
  ],
);
