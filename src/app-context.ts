// What the composition root hands to each optional part of the app (a chat platform, the
// scheduler): everything built once, so a platform is one factory returning an AppComponent.
import type { DigestFeatures } from './digest/digest-features.ts';
import type { Env } from './config/env.ts';
import type { Destination, IntakeService } from './core/feedback/intake.service.ts';
import type { ItemView } from './core/feedback/item.ts';
import type { ItemActions } from './core/feedback/item-actions.ts';
import type { Message } from './core/messages/model.ts';
import type { RoutingTable } from './core/routing/match-route.ts';
import type { RouteQueries } from './core/commands/routes-queries.service.ts';
import type { ChampionChannel, SlaSweeper } from './sla/sla-sweeper.service.ts';
import type { ChatPort, Clock, Repos, Transactor } from './core/ports.ts';
import type { DbHandle } from './db/client.ts';
import type { ChatPostsRepo } from './db/repos/chat-posts.repo.ts';
import type { Mount } from './http/server.ts';
import type { ApiKeyService } from './intake/api-keys.service.ts';
import type { Logger } from './logger.ts';

export type AppContext = {
  env: Env;
  db: DbHandle;
  /** The default workspace (single-tenant installs, API keys created by the CLI). */
  workspaceId: string;
  clock: Clock;
  logger: Logger;
  /** Wakes the delivery worker after each commit, so cards go out before the next poll. */
  transactor: Transactor;
  /** Reads outside any transaction. */
  repos: Repos;
  chatPosts: ChatPostsRepo;
  intake: IntakeService;
  actions: ItemActions;
  apiKeys: ApiKeyService;
  renderCard(view: ItemView, now: Date): Message;
  notifyDelivery(): void;
  /**
   * The routing rules and defaults, and the champion channels of configured platforms: final once
   * the chat platforms are known (before anything is served).
   */
  routing: { readonly table: RoutingTable; readonly champions: ChampionChannel[] };
  /** Reminders, overdue notices and escalations (the scheduler runs it every minute). */
  sla: SlaSweeper;
  /** `routes` and `route test`, for Slack and Teams. */
  routes: RouteQueries;
  /** Scores, digests, schedules and learnings: built once, shared by Slack, Teams and the scheduler. */
  features: DigestFeatures;
};

/** One optional part of the app: a chat platform (port + routes) or background jobs. */
export type AppComponent = {
  name: string;
  /** The platform's ChatPort: the delivery worker sends through it. */
  port?: ChatPort;
  /** HTTP routes, mounted on the one server (e.g. /slack/events, /api/messages). */
  routes?: Mount[];
  /** Where new items go on this platform (e.g. the default channel), if anywhere. */
  destinations?: Destination[];
  /** Lines for the start-up banner ("Slack: connected, posting to #cx"). */
  describe?: () => string[];
  start?(): Promise<void>;
  /** Called on shutdown, after the HTTP server stopped and before the database closes. */
  stop?(): Promise<void>;
};

/** Returns null when its env says it is off. */
export type ComponentFactory = (ctx: AppContext) => Promise<AppComponent | null> | AppComponent | null;
