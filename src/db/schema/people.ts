import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.ts';

/** Employees, one row per person across Slack and Teams (linked by email). */
export const people = pgTable(
  'people',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text(),
    displayName: text().notNull(),
    role: text().$type<'member' | 'champion' | 'admin'>().notNull().default('member'),
    slackUserId: text(),
    teamsAadId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_ws_email_uq').on(t.workspaceId, sql`lower(${t.email})`),
    uniqueIndex('people_ws_slack_uq').on(t.workspaceId, t.slackUserId),
    uniqueIndex('people_ws_teams_uq').on(t.workspaceId, t.teamsAadId),
  ],
);

/** Customers are people with a history: every item links to one. */
export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    externalId: text(),
    email: text(),
    name: text(),
    company: text(),
    segment: text(),
    tier: text(),
    attributes: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customers_ws_external_uq').on(t.workspaceId, t.externalId),
    uniqueIndex('customers_ws_email_uq').on(t.workspaceId, sql`lower(${t.email})`),
    index('customers_ws_name_idx').on(t.workspaceId, sql`lower(${t.name})`),
  ],
);
