// Chat installations (Slack team / Enterprise Grid org, Teams tenant) and the workspace each one
// belongs to. The installation JSON (tokens inside) is stored AES-256-GCM encrypted, bound to its
// row by `platform:externalId` as associated data.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { TokenCipher } from '../../crypto/token-cipher.ts';
import type { Db, Executor } from '../client.ts';
import { chatChannels, chatInstallations, chatPosts, people, workspaces } from '../schema/index.ts';
import { ensureDefaultWorkspace } from '../workspace.ts';

export type ChatPlatform = 'slack' | 'teams';

export type StoredInstallation<T = unknown> = {
  id: string;
  workspaceId: string;
  platform: ChatPlatform;
  externalId: string;
  botUserId: string | null;
  active: boolean;
  /** Decrypted installation JSON; null when none was stored (single-workspace installs). */
  installation: T | null;
};

export type SaveInstallation = {
  workspaceId: string;
  platform: ChatPlatform;
  externalId: string;
  botUserId?: string | null;
  installation?: unknown;
};

export class InstallationCipherMissing extends Error {
  constructor() {
    super('TOKEN_ENCRYPTION_KEY is required to store or read installation secrets');
  }
}

const aadOf = (platform: ChatPlatform, externalId: string) => `${platform}:${externalId}`;

export function createInstallationsRepo(db: Executor, cipher?: TokenCipher | null) {
  type Row = typeof chatInstallations.$inferSelect;

  function toStored<T>(row: Row): StoredInstallation<T> {
    let installation: T | null = null;
    if (row.secretCiphertext) {
      if (!cipher) throw new InstallationCipherMissing();
      installation = JSON.parse(cipher.decrypt(row.secretCiphertext, aadOf(row.platform, row.externalId))) as T;
    }
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      platform: row.platform,
      externalId: row.externalId,
      botUserId: row.botUserId,
      active: row.active,
      installation,
    };
  }

  async function findRow(platform: ChatPlatform, externalId: string): Promise<Row | null> {
    const [row] = await db
      .select()
      .from(chatInstallations)
      .where(and(eq(chatInstallations.platform, platform), eq(chatInstallations.externalId, externalId)))
      .limit(1);
    return row ?? null;
  }

  return {
    /** Inserts or replaces the installation of (platform, externalId) and marks it active. */
    async save(input: SaveInstallation): Promise<StoredInstallation> {
      let secretCiphertext: string | null = null;
      if (input.installation !== undefined && input.installation !== null) {
        if (!cipher) throw new InstallationCipherMissing();
        secretCiphertext = cipher.encrypt(JSON.stringify(input.installation), aadOf(input.platform, input.externalId));
      }
      const values = {
        workspaceId: input.workspaceId,
        platform: input.platform,
        externalId: input.externalId,
        botUserId: input.botUserId ?? null,
        secretCiphertext,
        active: true,
      };
      const [row] = await db
        .insert(chatInstallations)
        .values(values)
        .onConflictDoUpdate({
          target: [chatInstallations.platform, chatInstallations.externalId],
          set: {
            botUserId: values.botUserId,
            secretCiphertext: values.secretCiphertext,
            active: true,
            updatedAt: sql`now()`,
          },
        })
        .returning();
      return toStored(row!);
    },

    async find<T = unknown>(platform: ChatPlatform, externalId: string): Promise<StoredInstallation<T> | null> {
      const row = await findRow(platform, externalId);
      return row ? toStored<T>(row) : null;
    },

    /** The workspace's active installation on a platform (the oldest, if several). */
    async findByWorkspace<T = unknown>(workspaceId: string, platform: ChatPlatform): Promise<StoredInstallation<T> | null> {
      const [row] = await db
        .select()
        .from(chatInstallations)
        .where(
          and(
            eq(chatInstallations.workspaceId, workspaceId),
            eq(chatInstallations.platform, platform),
            eq(chatInstallations.active, true),
          ),
        )
        .orderBy(asc(chatInstallations.installedAt))
        .limit(1);
      return row ? toStored<T>(row) : null;
    },

    /** Token revoked / app uninstalled: keep the row (and its workspace link), stop using it. */
    async markInactive(platform: ChatPlatform, externalId: string): Promise<boolean> {
      const rows = await db
        .update(chatInstallations)
        .set({ active: false, updatedAt: sql`now()` })
        .where(and(eq(chatInstallations.platform, platform), eq(chatInstallations.externalId, externalId)))
        .returning({ id: chatInstallations.id });
      return rows.length > 0;
    },

    async markInactiveByWorkspace(workspaceId: string, platform: ChatPlatform): Promise<number> {
      const rows = await db
        .update(chatInstallations)
        .set({ active: false, updatedAt: sql`now()` })
        .where(and(eq(chatInstallations.workspaceId, workspaceId), eq(chatInstallations.platform, platform)))
        .returning({ id: chatInstallations.id });
      return rows.length;
    },

    /** Forgets the secrets (app uninstalled); the row stays so history keeps its workspace. */
    async deleteSecrets(platform: ChatPlatform, externalId: string): Promise<void> {
      await db
        .update(chatInstallations)
        .set({ secretCiphertext: null, active: false, updatedAt: sql`now()` })
        .where(and(eq(chatInstallations.platform, platform), eq(chatInstallations.externalId, externalId)));
    },
  };
}

export type InstallationsRepo = ReturnType<typeof createInstallationsRepo>;

/**
 * The workspace a chat team belongs to: the one its installation points at; else the default
 * workspace when that has no installation on this platform yet (the first install joins the
 * workspace that owns the API keys); else a new workspace named after the team.
 */
export async function workspaceForTeam(
  db: Db,
  platform: ChatPlatform,
  externalId: string,
  teamName: string,
): Promise<string> {
  const [known] = await db
    .select({ workspaceId: chatInstallations.workspaceId })
    .from(chatInstallations)
    .where(and(eq(chatInstallations.platform, platform), eq(chatInstallations.externalId, externalId)))
    .limit(1);
  if (known) return known.workspaceId;
  const def = await ensureDefaultWorkspace(db);
  const [taken] = await db
    .select({ id: chatInstallations.id })
    .from(chatInstallations)
    .where(and(eq(chatInstallations.workspaceId, def.id), eq(chatInstallations.platform, platform)))
    .limit(1);
  if (!taken) return def.id;
  const [created] = await db
    .insert(workspaces)
    .values({ name: teamName || externalId })
    .returning({ id: workspaces.id });
  return created!.id;
}

/**
 * The workspace a chat address belongs to, for delivery in multi-workspace mode (the ChatPort
 * gets a channel or a user id, not a workspace): a channel we posted to or know by alias, a person
 * we know; else the only active installation of the platform, if there is exactly one.
 */
export async function workspaceOfChatAddress(
  db: Executor,
  platform: ChatPlatform,
  address: { channel: string } | { userId: string },
): Promise<string | null> {
  if ('channel' in address) {
    const [posted] = await db
      .select({ workspaceId: chatPosts.workspaceId })
      .from(chatPosts)
      .where(and(eq(chatPosts.platform, platform), eq(chatPosts.channel, address.channel)))
      .limit(1);
    if (posted) return posted.workspaceId;
    const [known] = await db
      .select({ workspaceId: chatChannels.workspaceId })
      .from(chatChannels)
      .where(and(eq(chatChannels.platform, platform), eq(chatChannels.externalId, address.channel)))
      .limit(1);
    if (known) return known.workspaceId;
  } else {
    const column = platform === 'slack' ? people.slackUserId : people.teamsAadId;
    const [person] = await db.select({ workspaceId: people.workspaceId }).from(people).where(eq(column, address.userId)).limit(1);
    if (person) return person.workspaceId;
  }
  const active = await db
    .selectDistinct({ workspaceId: chatInstallations.workspaceId })
    .from(chatInstallations)
    .where(and(eq(chatInstallations.platform, platform), eq(chatInstallations.active, true)))
    .limit(2);
  return active.length === 1 ? active[0]!.workspaceId : null;
}
