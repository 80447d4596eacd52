// Slack user → our Person: users.info for the name and email (email links the same person across
// Slack and Teams), then PeopleRepo.upsertFromChat. Cached per workspace and user so a busy
// champion's clicks cost no Web API call; concurrent lookups of one user share one promise.
import type { WebClient } from '@slack/web-api';
import type { Person } from '../../core/feedback/item.ts';
import type { PeopleRepo } from '../../core/ports.ts';
import type { Logger } from '../../logger.ts';
import type { ChampionCheck } from './champions.ts';

export type ResolvedActor = { person: Person; tz: string | null };

export type ActorResolver = {
  resolve(workspaceId: string, user: { id: string; name?: string }, client: WebClient): Promise<ResolvedActor>;
  /** Forget a user (e.g. after a role change). */
  forget(workspaceId: string, userId: string): void;
  /** Forget everyone (tests that empty the database). */
  clear(): void;
};

type SlackProfile = { displayName: string; email: string | null; tz: string | null };

async function profileOf(client: WebClient, user: { id: string; name?: string }, logger: Logger): Promise<SlackProfile> {
  try {
    const res = await client.users.info({ user: user.id });
    const u = res.user;
    const displayName = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || user.name || user.id;
    return { displayName, email: u?.profile?.email ?? null, tz: u?.tz ?? null };
  } catch (error) {
    // Without users:read we still know the id and the handle from the payload.
    logger.warn('users.info failed; using the name from the payload', { user: user.id, error });
    return { displayName: user.name || user.id, email: null, tz: null };
  }
}

export function createActorResolver(deps: {
  people: Pick<PeopleRepo, 'upsertFromChat' | 'setRole'>;
  champions: ChampionCheck;
  logger: Logger;
  ttlMs?: number;
  now?: () => number;
}): ActorResolver {
  const ttlMs = deps.ttlMs ?? 10 * 60_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; person: Promise<ResolvedActor> }>();

  async function load(workspaceId: string, user: { id: string; name?: string }, client: WebClient): Promise<ResolvedActor> {
    const [profile, champion] = await Promise.all([
      profileOf(client, user, deps.logger),
      deps.champions.isChampion(user.id, client),
    ]);
    const person = await deps.people.upsertFromChat(workspaceId, {
      platform: 'slack',
      userId: user.id,
      displayName: profile.displayName,
      email: profile.email,
    });
    // SLACK_CHAMPIONS promotes members; it never demotes (roles set elsewhere, e.g. admin, stay).
    if (champion && person.role === 'member') {
      await deps.people.setRole(workspaceId, person.id, 'champion');
      return { person: { ...person, role: 'champion' }, tz: profile.tz };
    }
    return { person, tz: profile.tz };
  }

  return {
    resolve(workspaceId, user, client) {
      const key = `${workspaceId}:${user.id}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.person;
      const person = load(workspaceId, user, client);
      cache.set(key, { at: now(), person });
      person.catch(() => cache.delete(key));
      return person;
    },
    forget(workspaceId, userId) {
      cache.delete(`${workspaceId}:${userId}`);
    },
    clear() {
      cache.clear();
    },
  };
}
