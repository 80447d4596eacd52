import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const workspaces = pgTable('workspaces', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  isDefault: boolean().notNull().default(false),
  /** Root-cause taxonomy for the Resolve form; empty means the default categories. */
  rootCauses: jsonb().$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A Slack workspace/Enterprise install or a Teams tenant, linked to one of our workspaces. */
export const chatInstallations = pgTable(
  'chat_installations',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    platform: text().$type<'slack' | 'teams'>().notNull(),
    /** Slack team id / enterprise id, or Teams tenant id. */
    externalId: text().notNull(),
    /** AES-256-GCM ciphertext of the whole installation JSON (tokens inside). */
    secretCiphertext: text(),
    botUserId: text(),
    active: boolean().notNull().default(true),
    installedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('chat_installations_platform_external_uq').on(t.platform, t.externalId)],
);

/** A chat destination: a Slack channel or a Teams conversation, with an alias. */
export const chatChannels = pgTable(
  'chat_channels',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    platform: text().$type<'slack' | 'teams' | 'console'>().notNull(),
    /** Slack channel id, or Teams conversation id. */
    externalId: text().notNull(),
    alias: text(),
    name: text(),
    /** Teams ConversationReference (serviceUrl, conversation, bot, tenant). */
    conversationRef: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_channels_ws_platform_external_uq').on(t.workspaceId, t.platform, t.externalId),
    uniqueIndex('chat_channels_ws_alias_uq').on(t.workspaceId, t.platform, t.alias),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** sha256 hex of the key; the key itself is shown once and never stored. */
    keyHash: text().notNull(),
    /** First characters of the key, to recognise it in `api-key list`. */
    prefix: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_hash_uq').on(t.keyHash),
    uniqueIndex('api_keys_ws_name_active_uq')
      .on(t.workspaceId, t.name)
      .where(sql`${t.revokedAt} is null`),
    index('api_keys_ws_idx').on(t.workspaceId),
  ],
);
