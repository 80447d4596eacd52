// Applies migrations/ with drizzle's migrator under a Postgres advisory lock, so two processes
// starting at once apply them once. Both drivers run the same folder.
import { fileURLToPath } from 'node:url';
import type { DbHandle } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));
const LOCK_KEY = 727_001; // arbitrary, constant: "customer-first migrations"

export async function migrate(handle: DbHandle, opts: { url?: string } = {}): Promise<void> {
  if (handle.driver === 'pglite') {
    // PGlite is in-process and single-connection: no other process can migrate concurrently.
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(handle.db as never, { migrationsFolder });
    return;
  }
  // The lock must be held on the connection that migrates: use a dedicated single connection.
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
  if (!opts.url) throw new Error('migrate: the postgres driver needs the database url');
  const client = postgres(opts.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${LOCK_KEY})`;
    try {
      await run(drizzle({ client }), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** True when every migration in the folder has been applied (for /readyz). */
export async function migrationsApplied(handle: DbHandle): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const expected = readMigrationFiles({ migrationsFolder }).length;
  try {
    const rows = await handle.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return Number(rows[0]?.n ?? 0) >= expected;
  } catch {
    return false;
  }
}
