// Who is acting: the Teams user as one of our people, by AAD object id and email, so one champion
// is one person across Slack and Teams. Activities carry no email; Teams gives it through the
// conversation's member API, asked once per user and remembered for an hour.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Person } from '../../core/feedback/item.ts';
import type { PeopleRepo } from '../../core/ports.ts';
import type { Logger } from '../../logger.ts';

export type ActorResolverDeps = {
  workspaceId: string;
  people: Pick<PeopleRepo, 'upsertFromChat'>;
  logger: Logger;
  /** ms epoch; injected for tests. */
  now?: () => number;
};

const FOUND_TTL_MS = 60 * 60_000;
const MISSING_TTL_MS = 10 * 60_000;
const LOOKUP_TIMEOUT_MS = 3000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Known = { email: string | null; name: string | null; until: number };

export function createActorResolver(deps: ActorResolverDeps) {
  const now = deps.now ?? Date.now;
  const known = new Map<string, Known>();

  async function lookup(context: TurnContext, userId: string): Promise<Known> {
    const cached = known.get(userId);
    if (cached && cached.until > now()) return cached;
    let found: Known = { email: null, name: null, until: now() + MISSING_TTL_MS };
    try {
      const member = await Promise.race([
        TeamsInfo.getMember(context, context.activity.from.id),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), LOOKUP_TIMEOUT_MS).unref()),
      ]);
      const email = [member.email, member.userPrincipalName].find((v) => typeof v === 'string' && EMAIL.test(v));
      found = { email: email ?? null, name: member.name ?? null, until: now() + FOUND_TTL_MS };
    } catch (error) {
      deps.logger.debug('teams member lookup failed; continuing without email', { error });
    }
    if (known.size > 10_000) known.clear();
    known.set(userId, found);
    return found;
  }

  return async function resolveActor(context: TurnContext): Promise<Person> {
    const from = context.activity.from;
    const userId = from.aadObjectId ?? from.id;
    const member = await lookup(context, userId);
    return deps.people.upsertFromChat(deps.workspaceId, {
      platform: 'teams',
      userId,
      displayName: from.name || member.name || 'Teams user',
      email: member.email,
    });
  };
}

export type ActorResolver = ReturnType<typeof createActorResolver>;
