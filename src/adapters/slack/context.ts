// What every Slack listener gets: the services it may call (one per handler), read-only repos for
// the views it needs, and the adapter's resolvers. Built once by createSlackAdapter.
import type { WebClient } from '@slack/web-api';
import type { IntakeService } from '../../core/feedback/intake.service.ts';
import type { ItemView, Person } from '../../core/feedback/item.ts';
import type { ItemActions } from '../../core/feedback/item-actions.ts';
import type { Message } from '../../core/messages/model.ts';
import type { Clock, Repos } from '../../core/ports.ts';
import type { Db } from '../../db/client.ts';
import type { ChatPostsRepo } from '../../db/repos/chat-posts.repo.ts';
import type { Logger } from '../../logger.ts';
import type { ActorResolver } from './actors.ts';

/** Optional services (H6 digest/learnings, scores); a missing one answers "not available here". */
export type SlackOptionalServices = {
  scores?: {
    getScores(workspaceId: string, query: { period: any; by?: any; timeZone?: string }): Promise<any>;
  };
  /** `/cx learned <text>`. */
  learnings?: {
    add(
      workspaceId: string,
      input: { authorId: string; text: string; customerQuery?: string | null; platform: 'slack'; sourceRef?: string | null },
    ): Promise<{ customerNotFound?: boolean; customer?: { name: string | null } | null }>;
  };
  digest?: {
    /** Post the digest to this channel now. */
    digestNow(workspaceId: string, target: { platform: 'slack'; channel: string }, actor: Person): Promise<unknown>;
    schedule(
      workspaceId: string,
      input: { platform: 'slack'; channel: string; cron: string; timezone: string; createdById: string },
    ): Promise<{ ok: true; message?: Message } | { ok: false; message: string }>;
    list(workspaceId: string): Promise<Message>;
    off(workspaceId: string, target: { platform: 'slack'; channel: string }): Promise<{ removed: boolean }>;
  };
};

export type SlackDeps = SlackOptionalServices & {
  actions: Pick<ItemActions, 'claim' | 'release' | 'reassign' | 'snooze' | 'resolve' | 'reopen' | 'rootCauses'>;
  intake: Pick<IntakeService, 'accept'>;
  /** Reads outside any transaction (views, lists, timelines). */
  repos: Pick<Repos, 'feedback' | 'customers' | 'events' | 'people'>;
  chatPosts: Pick<ChatPostsRepo, 'findByMessage' | 'listForItem'>;
  db: Db;
  clock: Clock;
  logger: Logger;
  actors: ActorResolver;
  /** Our workspace for the Slack team (or Enterprise org) a request came from. */
  workspaceOf(team: TeamRef): Promise<string>;
  renderCard(view: ItemView, now: Date): Message;
  /** Wakes the delivery worker after a service enqueued jobs (cards update sooner than the poll). */
  notifyDelivery(): void;
  /** Workspace timezone for "snooze till morning" when the user's own is unknown. */
  timezone: string;
  /** Where logged feedback goes when the command ran outside a channel. */
  defaultChannel?: string;
};

export type TeamRef = { teamId?: string | null; enterpriseId?: string | null; isEnterpriseInstall?: boolean };

/** The team/org a payload came from, whatever its shape (action, view, command, event). */
export function teamOf(body: any): TeamRef {
  return {
    teamId: body?.team?.id ?? body?.team_id ?? body?.view?.team_id ?? body?.user?.team_id ?? null,
    enterpriseId: body?.enterprise?.id ?? body?.enterprise_id ?? null,
    isEnterpriseInstall: body?.is_enterprise_install === true || body?.is_enterprise_install === 'true',
  };
}

export type Actor = { workspaceId: string; person: Person; tz: string | null };

/** Workspace first, then the person (users.info is cached by the resolver). */
export async function actorOf(deps: SlackDeps, body: any, user: { id: string; name?: string }, client: WebClient): Promise<Actor> {
  const workspaceId = await deps.workspaceOf(teamOf(body));
  const { person, tz } = await deps.actors.resolve(workspaceId, user, client);
  return { workspaceId, person, tz };
}
