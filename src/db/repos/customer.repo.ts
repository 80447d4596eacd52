import { and, asc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { Conflict } from '../../core/errors.ts';
import type { CustomerRepo, NewCustomer } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { customers } from '../schema/index.ts';
import { type CustomerRow, isUuid, toCustomer } from './row-mappers.ts';

const clean = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** `%`, `_` and `\` in a user's query are literal characters, not patterns. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createCustomerRepo(db: Executor): CustomerRepo {
  async function findExisting(workspaceId: string, c: NormalCustomer): Promise<CustomerRow | null> {
    if (c.externalId) {
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), eq(customers.externalId, c.externalId)))
        .limit(1);
      if (row) return row;
    }
    if (c.email) {
      // One person's items stay together: the same email is the same customer, whatever the id.
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), sql`lower(${customers.email}) = lower(${c.email})`))
        .limit(1);
      if (row) return row;
    }
    return null;
  }

  /** Fills in fields that were empty; never overwrites what we already know. */
  async function fillEmpty(workspaceId: string, row: CustomerRow, c: NormalCustomer): Promise<CustomerRow> {
    const missingAttrs = Object.keys(c.attributes).some((k) => !(k in row.attributes));
    const fills = (['name', 'company', 'segment', 'tier'] as const).some((k) => row[k] === null && c[k] !== null);
    const fillExternal = row.externalId === null && c.externalId !== null;
    const fillEmail = row.email === null && c.email !== null;
    if (!missingAttrs && !fills && !fillExternal && !fillEmail) return row;
    // Identity fields are unique per workspace: only take them when nobody else holds them.
    const [updated] = await db
      .update(customers)
      .set({
        externalId: fillExternal
          ? sql`case when not exists (select 1 from customers o where o.workspace_id = ${workspaceId} and o.external_id = ${c.externalId}) then ${c.externalId} else null end`
          : undefined,
        email: fillEmail
          ? sql`case when not exists (select 1 from customers o where o.workspace_id = ${workspaceId} and lower(o.email) = lower(${c.email})) then ${c.email} else null end`
          : undefined,
        name: sql`coalesce(${customers.name}, ${c.name})`,
        company: sql`coalesce(${customers.company}, ${c.company})`,
        segment: sql`coalesce(${customers.segment}, ${c.segment})`,
        tier: sql`coalesce(${customers.tier}, ${c.tier})`,
        attributes: sql`${JSON.stringify(c.attributes)}::jsonb || ${customers.attributes}`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, row.id)))
      .returning();
    return updated ?? row;
  }

  return {
    async upsert(workspaceId, input) {
      const c = normalizeCustomer(input);
      // Insert-or-find, never read-then-insert blindly: a concurrent insert of the same customer
      // makes ours do nothing (any unique index), and the next look-up finds theirs.
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await findExisting(workspaceId, c);
        if (existing) return toCustomer(await fillEmpty(workspaceId, existing, c));
        const [row] = await db
          .insert(customers)
          .values({ workspaceId, ...c })
          .onConflictDoNothing()
          .returning();
        if (row) return toCustomer(row);
      }
      throw new Conflict('customer upsert kept conflicting with concurrent writes; retry the request');
    },

    async findById(workspaceId, id) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)))
        .limit(1);
      return row ? toCustomer(row) : null;
    },

    async search(workspaceId, query, limit = 10) {
      const q = query.trim();
      if (!q) return [];
      const exact: SQL[] = [eq(customers.externalId, q), sql`lower(${customers.email}) = lower(${q})`];
      if (isUuid(q)) exact.push(eq(customers.id, q));
      const pattern = likePattern(q);
      const rows = await db
        .select()
        .from(customers)
        .where(
          and(
            eq(customers.workspaceId, workspaceId),
            or(...exact, ilike(customers.name, pattern), ilike(customers.company, pattern), ilike(customers.email, pattern)),
          ),
        )
        // Exact identity matches first, then by name.
        .orderBy(sql`case when ${or(...exact)} then 0 else 1 end`, asc(customers.name), asc(customers.id))
        .limit(Math.max(1, Math.min(limit, 100)));
      return rows.map(toCustomer);
    },
  };
}

export type NormalCustomer = {
  externalId: string | null;
  email: string | null;
  name: string | null;
  company: string | null;
  segment: string | null;
  tier: string | null;
  attributes: Record<string, unknown>;
};

/** Trimmed, empty strings as null: how a customer is matched and stored. */
export function normalizeCustomer(c: NewCustomer): NormalCustomer {
  return {
    externalId: clean(c.externalId),
    email: clean(c.email),
    name: clean(c.name),
    company: clean(c.company),
    segment: clean(c.segment),
    tier: clean(c.tier),
    attributes: c.attributes ?? {},
  };
}
