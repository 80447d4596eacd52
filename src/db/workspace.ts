import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { workspaces } from './schema/index.ts';

const LOCK_KEY = 727_002; // arbitrary, constant: "customer-first default workspace"

/**
 * The workspace a single-tenant install uses (API keys, Slack/Teams installs link to it).
 * Idempotent; concurrency-safe across processes through a transaction-scoped advisory lock,
 * since no unique index says "one default".
 */
export async function ensureDefaultWorkspace(db: Db, name = 'Default'): Promise<{ id: string; created: boolean }> {
  const find = async (ex: Pick<Db, 'select'>) => {
    const [row] = await ex
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(eq(workspaces.isDefault, true))
      .orderBy(asc(workspaces.createdAt), asc(workspaces.id))
      .limit(1);
    return row ?? null;
  };
  const existing = await find(db);
  if (existing) return { id: existing.id, created: false };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_KEY))})`);
    const again = await find(tx);
    if (again) return { id: again.id, created: false };
    const [row] = await tx.insert(workspaces).values({ name, isDefault: true }).returning({ id: workspaces.id });
    return { id: row!.id, created: true };
  });
}
