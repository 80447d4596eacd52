// The CLI opens the same database as the server: Postgres at DATABASE_URL, or the embedded PGlite
// in DATA_DIR — which only one process may open, so then it takes the data-dir lock first.
import type { Env } from '../config/env.ts';
import { type DbHandle, openDb } from '../db/client.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/data-dir-lock.ts';
import { migrate } from '../db/migrate.ts';
import { ensureDefaultWorkspace } from '../db/workspace.ts';

export type CliDatabase = { handle: DbHandle; workspaceId: string; close(): Promise<void> };

export async function openCliDatabase(env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR'>): Promise<CliDatabase> {
  const lock: DataDirLock | null = env.DATABASE_URL ? null : acquireDataDirLock(env.DATA_DIR, 'cli');
  let handle: DbHandle | undefined;
  try {
    handle = await openDb({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, max: 2 });
    await migrate(handle, { url: env.DATABASE_URL });
    const { id } = await ensureDefaultWorkspace(handle.db);
    const opened = handle;
    return {
      handle: opened,
      workspaceId: id,
      close: async () => {
        try {
          await opened.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    await handle?.close().catch(() => {});
    lock?.release();
    throw err;
  }
}
