// One database per test file: in-memory PGlite by default, or a fresh database on the real
// server when TEST_DATABASE_URL is set (CI runs both). Truncate between tests with `reset()`.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DbHandle, openDb } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

export type TestDb = DbHandle & {
  /** The connection string of this file's database (real Postgres only). */
  url?: string;
  /** Empties every table (keeps migrations). */
  reset(): Promise<void>;
};

const TABLES = [
  'outbox',
  'sla_notices',
  'digest_runs',
  'digest_schedules',
  'learnings',
  'chat_posts',
  'feedback_events',
  'feedback_items',
  'customers',
  'people',
  'api_keys',
  'chat_channels',
  'chat_installations',
  'workspaces',
];

export async function getTestDb(): Promise<TestDb> {
  const base = process.env.TEST_DATABASE_URL;
  let url: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (base) {
    const name = `cf_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDatabase = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  const handle = await openDb({ url });
  await migrate(handle, { url });
  return {
    ...handle,
    url,
    reset: async () => {
      await handle.query(`truncate ${TABLES.join(', ')} restart identity cascade`);
    },
    close: async () => {
      await handle.close();
      await dropDatabase?.();
    },
  };
}
