// SLACK_CHAMPIONS: comma-separated user ids (U…/W…) and/or user group ids (S…). Group members
// are read with usergroups.users.list and cached, so a click does not cost a Web API call.
import type { WebClient } from '@slack/web-api';

export type ChampionSpec = { users: Set<string>; groups: string[] };

export function parseChampions(value: string | undefined): ChampionSpec {
  const ids = (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/^<[@!]?(?:subteam\^)?([A-Z0-9]+)(?:\|[^>]*)?>$/, '$1'))
    .filter(Boolean);
  return { users: new Set(ids.filter((id) => !id.startsWith('S'))), groups: ids.filter((id) => id.startsWith('S')) };
}

export type ChampionCheck = {
  isChampion(userId: string, client: WebClient): Promise<boolean>;
};

export function createChampionCheck(
  spec: ChampionSpec,
  opts: { ttlMs?: number; now?: () => number; onError?: (groupId: string, error: unknown) => void } = {},
): ChampionCheck {
  const ttlMs = opts.ttlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  let cache: { at: number; members: Promise<Set<string>> } | null = null;

  async function loadGroups(client: WebClient): Promise<Set<string>> {
    const members = new Set<string>();
    for (const usergroup of spec.groups) {
      try {
        const res = await client.usergroups.users.list({ usergroup });
        for (const u of res.users ?? []) members.add(u);
      } catch (error) {
        // A missing scope or a deleted group must not break clicks: nobody is a champion through it.
        opts.onError?.(usergroup, error);
      }
    }
    return members;
  }

  return {
    async isChampion(userId, client) {
      if (spec.users.has(userId)) return true;
      if (spec.groups.length === 0) return false;
      if (!cache || now() - cache.at > ttlMs) cache = { at: now(), members: loadGroups(client) };
      return (await cache.members).has(userId);
    },
  };
}
