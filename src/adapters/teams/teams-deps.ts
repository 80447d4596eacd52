// What the Teams handlers share: narrowed repositories, core services and adapter helpers.
import type { ItemActions } from '../../core/feedback/item-actions.ts';
import type { IntakeService } from '../../core/feedback/intake.service.ts';
import type { ItemQueries } from '../../core/commands/item-queries.service.ts';
import type { Clock, FeedbackRepo } from '../../core/ports.ts';
import type { Message } from '../../core/messages/model.ts';
import type { ChannelsRepo } from '../../db/repos/channels.repo.ts';
import type { ChatPostsRepo } from '../../db/repos/chat-posts.repo.ts';
import type { Logger } from '../../logger.ts';
import type { Person } from '../../core/feedback/item.ts';
import type { ActorResolver } from './actor.ts';
import type { CardRenderer } from './card-renderer.ts';

/** Where a command was typed, as the optional services see it. */
export type CommandPlace = {
  workspaceId: string;
  platform: 'teams';
  /** The conversation id (no `;messageid=`). */
  channel: string;
  actor: Person;
  /** The IANA timezone the user's Teams client reports, when valid. */
  timezone?: string;
};

/**
 * Optional features, wired from src/app.ts when their services exist. Each answers with the
 * message to show (our markup); a missing one makes its command say it is not set up here.
 */
export type TeamsExtras = {
  scores?: (place: CommandPlace, args: string) => Promise<Message>;
  digestNow?: (place: CommandPlace) => Promise<Message>;
  digestSchedule?: (place: CommandPlace, cron: string, timezone: string | null) => Promise<Message>;
  digestList?: (place: CommandPlace) => Promise<Message>;
  digestOff?: (place: CommandPlace) => Promise<Message>;
  learned?: (place: CommandPlace, text: string, sourceRef: string) => Promise<Message>;
  routes?: (place: CommandPlace) => Promise<Message>;
  routeTest?: (place: CommandPlace, arg: string) => Promise<Message>;
};

export type TeamsHandlerDeps = {
  workspaceId: string;
  clock: Clock;
  logger: Logger;
  timezone?: string;
  /** TEAMS_DEFAULT_CHANNEL: the alias new feedback cards go to. */
  defaultChannel?: string;
  feedback: Pick<FeedbackRepo, 'view'>;
  channels: Pick<ChannelsRepo, 'upsertSeen' | 'connect'>;
  chatPosts: Pick<ChatPostsRepo, 'insert' | 'findByMessage'>;
  actions: ItemActions;
  queries: ItemQueries;
  intake?: Pick<IntakeService, 'accept'>;
  resolveActor: ActorResolver;
  render: CardRenderer;
  extras: TeamsExtras;
};
