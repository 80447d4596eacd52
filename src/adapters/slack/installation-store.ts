// Bolt's InstallationStore over chat_installations: OAuth installs are stored encrypted
// (AES-256-GCM, see src/crypto/token-cipher.ts) and linked to one of our workspaces. Lookups are
// cached briefly because Bolt authorizes every request before the listener can ack.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from '../../db/client.ts';
import { type InstallationsRepo, workspaceForTeam } from '../../db/repos/installations.repo.ts';

export type SlackInstallation = Installation<'v1' | 'v2', boolean>;

/** The key an installation is stored under: the org for an Enterprise Grid org-wide install, else the team. */
export function installationKey(q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  const key = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!key) throw new Error('Slack installation query names no team or enterprise');
  return key;
}

export class InstallationInactive extends Error {}

export type SlackInstallationStore = InstallationStore & {
  /** Our workspace for a Slack team/org key (null when not installed). */
  workspaceOf(key: string): Promise<string | null>;
  /** Slack said the token no longer works, or the app was uninstalled. */
  deactivate(key: string): Promise<void>;
};

export function createSlackInstallationStore(deps: {
  db: Db;
  installations: InstallationsRepo;
  ttlMs?: number;
  now?: () => number;
}): SlackInstallationStore {
  const ttlMs = deps.ttlMs ?? 60_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<{ workspaceId: string; installation: SlackInstallation | null; active: boolean } | null> }>();

  function lookup(key: string) {
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const value = deps.installations.find<SlackInstallation>('slack', key).then((row) =>
      row ? { workspaceId: row.workspaceId, installation: row.installation, active: row.active } : null,
    );
    cache.set(key, { at: now(), value });
    value.catch(() => cache.delete(key));
    return value;
  }

  return {
    async storeInstallation(installation) {
      const key = installationKey({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      const name = installation.team?.name ?? installation.enterprise?.name ?? key;
      const workspaceId = await workspaceForTeam(deps.db, 'slack', key, name);
      await deps.installations.save({
        workspaceId,
        platform: 'slack',
        externalId: key,
        botUserId: installation.bot?.userId ?? null,
        installation,
      });
      cache.delete(key);
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      const found = await lookup(key);
      if (!found?.installation) throw new Error(`No Slack installation for ${key}`);
      if (!found.active) throw new InstallationInactive(`The Slack installation for ${key} is inactive (token revoked or app uninstalled)`);
      return found.installation;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = installationKey(query);
      await deps.installations.deleteSecrets('slack', key);
      cache.delete(key);
    },

    async workspaceOf(key) {
      return (await lookup(key))?.workspaceId ?? null;
    },

    async deactivate(key) {
      await deps.installations.markInactive('slack', key);
      cache.delete(key);
    },
  };
}
