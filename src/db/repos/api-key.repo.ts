import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { apiKeys } from '../schema/index.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Storage for hashed API keys; hashing and key format live in src/intake/api-keys.service.ts. */
export function createApiKeyRepo(db: Executor) {
  return {
    /** null when an active key with this name already exists in the workspace. */
    async insert(workspaceId: string, key: { name: string; keyHash: string; prefix: string }): Promise<ApiKeyRow | null> {
      // No conflict target: the partial unique index (workspace, name) where not revoked decides.
      const [row] = await db
        .insert(apiKeys)
        .values({ workspaceId, ...key })
        .onConflictDoNothing()
        .returning();
      return row ?? null;
    },

    async list(workspaceId: string): Promise<ApiKeyRow[]> {
      return db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.workspaceId, workspaceId))
        .orderBy(asc(apiKeys.name), asc(apiKeys.createdAt));
    },

    /** Revokes the active key with this name; null when there is none. */
    async revoke(workspaceId: string, name: string, at: Date): Promise<ApiKeyRow | null> {
      const [row] = await db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.name, name), isNull(apiKeys.revokedAt)))
        .returning();
      return row ?? null;
    },

    async findActiveByHash(keyHash: string): Promise<ApiKeyRow | null> {
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .limit(1);
      return row ?? null;
    },

    /** Records use at most once per `staleBefore` window, so busy keys don't write on every request. */
    async touch(id: string, at: Date, staleBefore: Date): Promise<void> {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    },
  };
}

export type ApiKeyRepo = ReturnType<typeof createApiKeyRepo>;
