// Learnings colleagues share (`/cx learned`, captured digest thread replies). Workspace-scoped;
// a captured reply carries its platform message id as sourceRef, so a retried event adds nothing.
import { and, asc, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { Platform } from '../../core/feedback/item.ts';
import type { Executor } from '../client.ts';
import { customers, learnings } from '../schema/index.ts';

export type LearningRow = typeof learnings.$inferSelect;

export type NewLearning = {
  authorId: string | null;
  customerId: string | null;
  text: string;
  platform: Platform | null;
  sourceRef?: string | null;
  createdAt?: Date;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createLearningsRepo(db: Executor) {
  return {
    /** Inserts; with a sourceRef already stored, returns the existing row and created = false. */
    async add(workspaceId: string, l: NewLearning): Promise<{ learning: LearningRow; created: boolean }> {
      const [row] = await db
        .insert(learnings)
        .values({ workspaceId, ...l, sourceRef: l.sourceRef ?? null })
        .onConflictDoNothing({ target: [learnings.workspaceId, learnings.sourceRef] })
        .returning();
      if (row) return { learning: row, created: true };
      const [existing] = await db
        .select()
        .from(learnings)
        .where(and(eq(learnings.workspaceId, workspaceId), eq(learnings.sourceRef, l.sourceRef ?? '')))
        .limit(1);
      return { learning: existing!, created: false };
    },

    async listSince(workspaceId: string, since: Date, until: Date, limit = 20): Promise<LearningRow[]> {
      return db
        .select()
        .from(learnings)
        .where(and(eq(learnings.workspaceId, workspaceId), gte(learnings.createdAt, since), lt(learnings.createdAt, until)))
        .orderBy(desc(learnings.createdAt))
        .limit(limit);
    },

    /**
     * The customer meant by `query`: an id, an e-mail or external id, else an exact name or company
     * (case-insensitive), else a unique name/company prefix. Null when none or ambiguous.
     */
    async findCustomer(workspaceId: string, query: string): Promise<{ id: string; name: string | null } | null> {
      const q = query.trim();
      if (!q) return null;
      const pick = { id: customers.id, name: customers.name };
      const inWs = eq(customers.workspaceId, workspaceId);
      if (UUID.test(q)) {
        const [byId] = await db.select(pick).from(customers).where(and(inWs, eq(customers.id, q))).limit(1);
        if (byId) return byId;
      }
      const lower = q.toLowerCase();
      const [exact] = await db
        .select(pick)
        .from(customers)
        .where(
          and(
            inWs,
            or(
              sql`lower(${customers.email}) = ${lower}`,
              eq(customers.externalId, q),
              sql`lower(${customers.name}) = ${lower}`,
              sql`lower(${customers.company}) = ${lower}`,
            ),
          ),
        )
        .orderBy(asc(customers.createdAt))
        .limit(1);
      if (exact) return exact;
      const prefix = `${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const candidates = await db
        .select(pick)
        .from(customers)
        .where(and(inWs, or(sql`lower(${customers.name}) like ${prefix}`, sql`lower(${customers.company}) like ${prefix}`)))
        .limit(2);
      return candidates.length === 1 ? candidates[0]! : null;
    },
  };
}

export type LearningsRepo = ReturnType<typeof createLearningsRepo>;
