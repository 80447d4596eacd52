// Row → domain mapping shared by the repositories. Rows come from drizzle selects/returning on
// the tables in src/db/schema, so column names are already camelCase.
import { type Column, getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { Customer, FeedbackItem, Person } from '../../core/feedback/item.ts';
import type { customers, feedbackItems, people } from '../schema/index.ts';

export type CustomerRow = typeof customers.$inferSelect;
export type FeedbackItemRow = typeof feedbackItems.$inferSelect;
export type PersonRow = typeof people.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Postgres rejects a malformed uuid with an error; callers treat it as "no such row". */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Per table: [key, json name, column], worked out once (the claim maps a row per click). */
const jsonColumns = new WeakMap<Table, [string, string, Column][]>();

/**
 * A row that raw SQL returned as `to_jsonb(t)` (snake_case keys, timestamps as text) → the row
 * drizzle would have returned for `table`, through each column's own driver mapping.
 */
export function fromJsonRow<T extends Table>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  let columns = jsonColumns.get(table);
  if (!columns) {
    // The schema names columns by their keys; the client maps them to snake_case (client.ts).
    columns = Object.entries(getTableColumns(table)).map(([key, c]) => [key, c.keyAsName ? toSnakeCase(c.name) : c.name, c]);
    jsonColumns.set(table, columns);
  }
  const row: Record<string, unknown> = {};
  for (const [key, name, column] of columns) {
    const value = json[name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    company: row.company,
    segment: row.segment,
    tier: row.tier,
    attributes: row.attributes ?? {},
  };
}

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    slackUserId: row.slackUserId,
    teamsAadId: row.teamsAadId,
  };
}

export function toFeedbackItem(row: FeedbackItemRow): FeedbackItem {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    source: row.source,
    externalId: row.externalId,
    kind: row.kind,
    score: row.score,
    comment: row.comment,
    touchpoint: row.touchpoint,
    tags: row.tags ?? [],
    route: row.route,
    priority: row.priority,
    receivedAt: row.receivedAt,
    createdAt: row.createdAt,
    dueAt: row.dueAt,
    remindAt: row.remindAt,
    escalateAt: row.escalateAt,
    slaCycle: row.slaCycle,
    status: row.status,
    claimedById: row.claimedById,
    claimedAt: row.claimedAt,
    snoozedUntil: row.snoozedUntil,
    resolvedById: row.resolvedById,
    resolvedAt: row.resolvedAt,
    // The resolution is stored flat; a summary is what makes one exist.
    resolution:
      row.resolutionSummary === null
        ? null
        : {
            summary: row.resolutionSummary,
            rootCause: row.rootCause ?? '',
            preventionAction: row.preventionAction,
            preventionOwnerId: row.preventionOwnerId,
            preventionDueOn: row.preventionDueOn,
            customerContacted: row.customerContacted ?? false,
          },
    customerId: row.customerId,
    metadata: row.metadata ?? {},
  };
}
