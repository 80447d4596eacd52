// The Microsoft Teams app: POST /api/messages handler (botbuilder CloudAdapter) and the Teams
// ChatPort for the delivery worker. Composition only; decisions live in core.
import type { RequestHandler } from 'express';
import type { Env } from '../../config/env.ts';
import { createItemQueries } from '../../core/commands/item-queries.service.ts';
import type { IntakeService } from '../../core/feedback/intake.service.ts';
import type { ItemActions } from '../../core/feedback/item-actions.ts';
import type { ChatPort, Clock } from '../../core/ports.ts';
import type { Db } from '../../db/client.ts';
import { createChannelsRepo } from '../../db/repos/channels.repo.ts';
import { createChatPostsRepo } from '../../db/repos/chat-posts.repo.ts';
import { createCustomerRepo } from '../../db/repos/customer.repo.ts';
import { createFeedbackRepo } from '../../db/repos/feedback.repo.ts';
import { createPeopleRepo } from '../../db/repos/people.repo.ts';
import type { Logger } from '../../logger.ts';
import { createActorResolver } from './actor.ts';
import { createBotAdapter, type TeamsAuthEnv } from './bot-adapter.ts';
import { createTeamsBot } from './bot.ts';
import { createCardRenderer } from './card-renderer.ts';
import { createTeamsChatPort } from './chat-port.ts';
import { createMessagesRoute } from './messages.route.ts';
import type { TeamsExtras } from './teams-deps.ts';

export type TeamsAdapterDeps = {
  env: TeamsAuthEnv & Pick<Env, 'TEAMS_DEFAULT_CHANNEL'>;
  db: Db;
  workspaceId: string;
  clock: Clock;
  logger: Logger;
  actions: ItemActions;
  intake?: Pick<IntakeService, 'accept'>;
  extras?: TeamsExtras;
  /** IANA timezone for times on cards. */
  timezone?: string;
};

export type TeamsAdapter = {
  /** Mount at POST /api/messages (it parses its own JSON body; no body parser needed). */
  handler: RequestHandler;
  chatPort: ChatPort;
};

export function createTeamsAdapter(deps: TeamsAdapterDeps): TeamsAdapter {
  const logger = deps.logger.child({ component: 'teams' });
  const adapter = createBotAdapter(deps.env, logger);
  const appId = deps.env.MICROSOFT_APP_ID ?? '';
  const { db, workspaceId } = deps;
  const channels = createChannelsRepo(db);
  const people = createPeopleRepo(db);
  const feedback = createFeedbackRepo(db);
  const render = createCardRenderer({
    workspaceId,
    rootCauses: (ws) => deps.actions.rootCauses(ws),
    people: (ws) => people.list(ws),
  });
  const bot = createTeamsBot({
    workspaceId,
    clock: deps.clock,
    logger,
    timezone: deps.timezone,
    defaultChannel: deps.env.TEAMS_DEFAULT_CHANNEL?.replace(/^#/, '').toLowerCase(),
    feedback,
    // connect clears the alias elsewhere and sets it here: one transaction.
    channels: {
      upsertSeen: (ws, seen) => channels.upsertSeen(ws, seen),
      connect: (ws, seen) => db.transaction((tx) => createChannelsRepo(tx).connect(ws, seen)),
    },
    chatPosts: createChatPostsRepo(db),
    actions: deps.actions,
    queries: createItemQueries({ feedback, customers: createCustomerRepo(db), clock: deps.clock, timezone: deps.timezone }),
    intake: deps.intake,
    resolveActor: createActorResolver({ workspaceId, people, logger }),
    render,
    extras: deps.extras ?? {},
  });
  return {
    handler: createMessagesRoute({ adapter, logic: bot, logger }),
    chatPort: createTeamsChatPort({ adapter, appId, workspaceId, channels, render }),
  };
}

export { assertTeamsAuthConfig, TeamsConfigError } from './bot-adapter.ts';
export type { TeamsExtras, CommandPlace } from './teams-deps.ts';
