// What every Slack listener gets: the services it may call (one per handler), read-only repos for
// the views it needs, and the adapter's resolvers. Built once by createSlackAdapter.
import type { WebClient } from '@slack/web-api';
import type { RouteQueries } from '../../core/commands/routes-queries.service.ts';
import type { IntakeService } from '../../core/feedback/intake.service.ts';
import type { ItemView, Person } from '../../core/feedback/item.ts';
import type { ItemActions } from '../../core/feedback/item-actions.ts';
import type { Message } from '../../core/messages/model.ts';
import type { Clock, Repos } from '../../core/ports.ts';
import type { Db } from '../../db/client.ts';
import type { ChatPostsRepo } from '../../db/repos/chat-posts.repo.ts';
import type { DigestService } from '../../digest/digest.service.ts';
import type { LearningService } from '../../digest/learning.service.ts';
import type { ScheduleService } from '../../digest/schedule.service.ts';
import type { Logger } from '../../logger.ts';
import type { ScoresService } from '../../scores/scores.service.ts';
import type { ActorResolver } from './actors.ts';
import type { WorkQueue } from './work-queue.ts';

/** Optional services; a missing one answers "not available on this server yet". */
export type SlackOptionalServices = {
  scores?: Pick<ScoresService, 'getScores'>;
  /** `/cx learned <text> [customer]`. */
  learnings?: Pick<LearningService, 'shareLearning'>;
  /** `/cx digest …`: the digest service (now) and the schedule service (schedule, list, off). */
  digest?: Pick<DigestService, 'digestNow'> & Pick<ScheduleService, 'schedule' | 'list' | 'off'>;
  /** `/cx routes`, `/cx route test …`. */
  routes?: RouteQueries;
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
  /** Every listener's work after its ack runs through this bounded queue (see work-queue.ts). */
  afterAck: WorkQueue;
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
