// Storage for provider connectors (encrypted webhook secrets) and the webhooks we could not map.
// Encryption lives in src/connectors/connector-secrets.ts; this file only moves rows.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { connectorRejects, connectors } from '../schema/index.ts';

export type ConnectorRow = typeof connectors.$inferSelect;
export type ConnectorRejectRow = typeof connectorRejects.$inferSelect;

export function createConnectorsRepo(db: Executor) {
  return {
    /** Every workspace's connector for this provider (the webhook URL names no workspace). */
    async listByProvider(provider: string): Promise<ConnectorRow[]> {
      return db.select().from(connectors).where(eq(connectors.provider, provider)).orderBy(asc(connectors.createdAt));
    },

    async list(workspaceId: string): Promise<ConnectorRow[]> {
      return db.select().from(connectors).where(eq(connectors.workspaceId, workspaceId)).orderBy(asc(connectors.provider));
    },

    /**
     * Adds or replaces the workspace's connector for `provider`. `encrypt` gets the row's id (a
     * replaced row keeps its id), so the ciphertext can be bound to it. Returns whether it replaced.
     */
    async upsert(
      workspaceId: string,
      provider: string,
      settings: Record<string, unknown>,
      encrypt: (id: string) => string,
      at: Date,
    ): Promise<{ id: string; replaced: boolean }> {
      return db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: connectors.id })
          .from(connectors)
          .where(and(eq(connectors.workspaceId, workspaceId), eq(connectors.provider, provider)))
          .for('update');
        const id = existing?.id ?? randomUUID();
        const secretCiphertext = encrypt(id);
        const [saved] = await tx
          .insert(connectors)
          .values({ id, workspaceId, provider, secretCiphertext, settings, createdAt: at, updatedAt: at })
          .onConflictDoUpdate({ target: [connectors.workspaceId, connectors.provider], set: { secretCiphertext, settings, updatedAt: at } })
          .returning({ id: connectors.id });
        // A concurrent add inserted the row first: bind the ciphertext to that row's id instead.
        if (saved!.id !== id) {
          await tx.update(connectors).set({ secretCiphertext: encrypt(saved!.id) }).where(eq(connectors.id, saved!.id));
        }
        return { id: saved!.id, replaced: Boolean(existing) || saved!.id !== id };
      });
    },

    /** false when the workspace has no connector for this provider. */
    async remove(workspaceId: string, provider: string): Promise<boolean> {
      const rows = await db
        .delete(connectors)
        .where(and(eq(connectors.workspaceId, workspaceId), eq(connectors.provider, provider)))
        .returning({ id: connectors.id });
      return rows.length > 0;
    },

    async reject(row: { workspaceId: string; provider: string; reason: string; payload: unknown; receivedAt: Date }): Promise<string> {
      const [saved] = await db.insert(connectorRejects).values(row).returning({ id: connectorRejects.id });
      return saved!.id;
    },

    async rejects(workspaceId: string): Promise<ConnectorRejectRow[]> {
      return db.select().from(connectorRejects).where(eq(connectorRejects.workspaceId, workspaceId)).orderBy(asc(connectorRejects.receivedAt));
    },
  };
}

export type ConnectorsRepo = ReturnType<typeof createConnectorsRepo>;
