// N instances starting at once on one Postgres: migrations run once (advisory lock), one default
// workspace, one first-start API key. Needs a real server: PGlite is single-process by design.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../src/db/client.ts';
import { migrate, migrationsApplied, migrationsFolder } from '../../src/db/migrate.ts';
import { firstStartKey, killSpawnedServers, startServer } from '../helpers/server.ts';

vi.setConfig({ testTimeout: 300_000 });

const base = process.env.TEST_DATABASE_URL;
const dropAfter: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `cf_migrate_${randomBytes(5).toString('hex')}`;
  const admin = postgres(base!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  dropAfter.push(name);
  const u = new URL(base!);
  u.pathname = `/${name}`;
  return u.toString();
}

afterAll(async () => {
  await killSpawnedServers();
  if (!base || dropAfter.length === 0) return;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  for (const name of dropAfter) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe.skipIf(!base)('concurrent start on Postgres (needs TEST_DATABASE_URL)', () => {
  it('two migrate() calls at once both succeed and apply each migration once', async () => {
    const url = await freshDatabase();
    const [a, b] = [await openDb({ url, max: 2 }), await openDb({ url, max: 2 })];
    try {
      await Promise.all([migrate(a, { url }), migrate(b, { url })]);
      expect(await migrationsApplied(a)).toBe(true);
      const { readMigrationFiles } = await import('drizzle-orm/migrator');
      const expected = readMigrationFiles({ migrationsFolder }).map((m) => m.hash);
      const journal = await a.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by id');
      expect(journal.map((r) => r.hash)).toEqual(expected);
      const tables = await a.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'outbox'",
      );
      expect(tables[0]!.n).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two servers started together both get ready, with one workspace and one first-start key', async () => {
    const url = await freshDatabase();
    const [one, two] = await Promise.all([startServer({ DATABASE_URL: url }), startServer({ DATABASE_URL: url })]);
    const keys = [firstStartKey(one.stdout()), firstStartKey(two.stdout())].filter(Boolean);
    expect(keys).toHaveLength(1);
    expect((await fetch(`${one.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${two.url}/readyz`)).status).toBe(200);
    await Promise.all([one.stop(), two.stop()]);

    const db = await openDb({ url, max: 1 });
    try {
      expect(await db.query('select id from workspaces where is_default')).toHaveLength(1);
      expect(await db.query("select id from api_keys where name = 'default'")).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
