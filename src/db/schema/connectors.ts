import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from './workspaces.ts';

/** A survey/support tool that posts webhooks to /api/v1/connectors/<provider> (see src/connectors). */
export const connectors = pgTable(
  'connectors',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** alchemer | typeform | delighted | zendesk | intercom */
    provider: text().notNull(),
    /** AES-256-GCM ciphertext (TOKEN_ENCRYPTION_KEY) of the webhook secret, bound to the row's id. */
    secretCiphertext: text().notNull(),
    /** Provider options, e.g. Typeform's NPS field ref. */
    settings: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('connectors_workspace_provider_uq').on(t.workspaceId, t.provider), index('connectors_provider_idx').on(t.provider)],
);

/** A signed webhook we could not map (answered 422): kept so nothing is dropped silently. */
export const connectorRejects = pgTable(
  'connector_rejects',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    provider: text().notNull(),
    reason: text().notNull(),
    /** The body as received (NUL characters removed), or its text when it was not JSON. */
    payload: jsonb().$type<unknown>().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('connector_rejects_ws_received_idx').on(t.workspaceId, t.receivedAt)],
);
