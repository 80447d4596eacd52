import { and, asc, eq, sql } from 'drizzle-orm';
import { Conflict } from '../../core/errors.ts';
import type { PeopleRepo } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { people } from '../schema/index.ts';
import { type PersonRow, isUuid, toPerson } from './row-mappers.ts';

export function createPeopleRepo(db: Executor): PeopleRepo {
  const idColumn = (platform: 'slack' | 'teams') => (platform === 'slack' ? people.slackUserId : people.teamsAadId);
  const idField = (platform: 'slack' | 'teams'): 'slackUserId' | 'teamsAadId' =>
    platform === 'slack' ? 'slackUserId' : 'teamsAadId';

  async function byPlatformId(workspaceId: string, platform: 'slack' | 'teams', userId: string) {
    const [row] = await db
      .select()
      .from(people)
      .where(and(eq(people.workspaceId, workspaceId), eq(idColumn(platform), userId)))
      .limit(1);
    return row ?? null;
  }

  async function byEmail(workspaceId: string, email: string) {
    const [row] = await db
      .select()
      .from(people)
      .where(and(eq(people.workspaceId, workspaceId), sql`lower(${people.email}) = lower(${email})`))
      .limit(1);
    return row ?? null;
  }

  async function update(row: PersonRow, values: Partial<typeof people.$inferInsert>): Promise<PersonRow> {
    const [updated] = await db
      .update(people)
      .set({ ...values, updatedAt: sql`now()` })
      .where(and(eq(people.workspaceId, row.workspaceId), eq(people.id, row.id)))
      .returning();
    return updated ?? row;
  }

  return {
    async findById(workspaceId, id) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .select()
        .from(people)
        .where(and(eq(people.workspaceId, workspaceId), eq(people.id, id)))
        .limit(1);
      return row ? toPerson(row) : null;
    },

    async upsertFromChat(workspaceId, who) {
      const email = who.email?.trim() || null;
      const displayName = who.displayName.trim() || who.userId;
      const field = idField(who.platform);
      for (let attempt = 0; attempt < 3; attempt++) {
        const known = await byPlatformId(workspaceId, who.platform, who.userId);
        if (known) {
          const changes: Partial<typeof people.$inferInsert> = {};
          if (known.displayName !== displayName) changes.displayName = displayName;
          if (!known.email && email && !(await byEmail(workspaceId, email))) changes.email = email;
          return toPerson(Object.keys(changes).length ? await update(known, changes) : known);
        }
        // The same email on the other platform is the same person: link this platform id to them.
        const sameEmail = email ? await byEmail(workspaceId, email) : null;
        if (sameEmail && sameEmail[field] === null) {
          const [linked] = await db
            .update(people)
            .set({ [field]: who.userId, updatedAt: sql`now()` })
            .where(and(eq(people.workspaceId, workspaceId), eq(people.id, sameEmail.id), sql`${idColumn(who.platform)} is null`))
            .returning();
          if (linked) return toPerson(linked);
          continue; // linked concurrently by someone else: look again
        }
        // An email already linked to another account of this platform stays with that person.
        const [row] = await db
          .insert(people)
          .values({ workspaceId, displayName, email: sameEmail ? null : email, [field]: who.userId })
          .onConflictDoNothing()
          .returning();
        if (row) return toPerson(row);
      }
      throw new Conflict(`could not record ${who.platform} user ${who.userId}: concurrent updates; retry`);
    },

    async setRole(workspaceId, personId, role) {
      if (!isUuid(personId)) return;
      await db
        .update(people)
        .set({ role, updatedAt: sql`now()` })
        .where(and(eq(people.workspaceId, workspaceId), eq(people.id, personId)));
    },

    async list(workspaceId) {
      const rows = await db
        .select()
        .from(people)
        .where(eq(people.workspaceId, workspaceId))
        .orderBy(asc(sql`lower(${people.displayName})`), asc(people.id));
      return rows.map(toPerson);
    },
  };
}
