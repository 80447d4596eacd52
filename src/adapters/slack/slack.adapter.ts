// The Slack adapter: Bolt app + listeners, the delivery ChatPort, and the installation store.
// Mount `router` on the shared express app (before any body parser: Bolt verifies the signature
// over the raw body), give `chatPort` to the delivery worker, call start()/stop() with the server.
import { LogLevel } from '@slack/logger';
import type { Router } from 'express';
import type { IntakeService } from '../../core/feedback/intake.service.ts';
import type { ItemView } from '../../core/feedback/item.ts';
import type { ItemActions } from '../../core/feedback/item-actions.ts';
import { buildFeedbackCard } from '../../core/messages/feedback-card.ts';
import type { Message } from '../../core/messages/model.ts';
import type { ChatPort, Clock } from '../../core/ports.ts';
import { createTokenCipher } from '../../crypto/token-cipher.ts';
import type { Db } from '../../db/client.ts';
import { createChatPostsRepo } from '../../db/repos/chat-posts.repo.ts';
import { createRepos } from '../../db/repos/index.ts';
import { createInstallationsRepo } from '../../db/repos/installations.repo.ts';
import { ensureDefaultWorkspace } from '../../db/workspace.ts';
import type { Logger } from '../../logger.ts';
import { createActorResolver } from './actors.ts';
import { type BoltOptions, buildBolt, type SlackEnv } from './bolt-app.ts';
import { toSlackLogger } from './bolt-logger.ts';
import { createChampionCheck, parseChampions } from './champions.ts';
import type { SlackDeps, SlackOptionalServices, TeamRef } from './context.ts';
import { createOAuthPorts, createSingleTokenPort } from './delivery-ports.ts';
import { createEventDedupe } from './event-dedupe.ts';
import { createInFlight } from './in-flight.ts';
import { createSlackInstallationStore, installationKey } from './installation-store.ts';
import { createWorkQueue } from './work-queue.ts';
import { actionRoutes } from './listeners/actions/index.ts';
import { commandRoutes } from './listeners/commands/index.ts';
import { eventRoutes } from './listeners/events/index.ts';
import { routeRequests } from './listeners/route.ts';
import { shortcutRoutes } from './listeners/shortcuts/index.ts';
import { viewRoutes } from './listeners/views/index.ts';

export type SlackAdapterOptions = {
  env: SlackEnv & { SLACK_CHAMPIONS?: string; TOKEN_ENCRYPTION_KEY?: string; SLACK_DEFAULT_CHANNEL?: string };
  db: Db;
  clock: Clock;
  logger: Logger;
  services: SlackOptionalServices & {
    actions: Pick<ItemActions, 'claim' | 'release' | 'reassign' | 'snooze' | 'resolve' | 'reopen' | 'rootCauses'>;
    intake: Pick<IntakeService, 'accept'>;
  };
  /** The card for "this card is out of date" and `/cx status` (default buildFeedbackCard). */
  renderCard?: (view: ItemView, now: Date) => Message;
  /** Wake the delivery worker after a service enqueued jobs (worker.notify). */
  notifyDelivery?: () => void;
  /** Workspace timezone (snooze till morning, times) when the user's own is unknown. */
  timezone?: string;
  /** How many listeners may do their work after the ack at once (default 4). */
  afterAckConcurrency?: number;
  bolt?: BoltOptions;
};

export class SlackNotConfigured extends Error {}

/** Enough to overlap database round trips, few enough that a burst cannot starve the acks. */
export const AFTER_ACK_CONCURRENCY = 4;

export function createSlackAdapter(opts: SlackAdapterOptions) {
  const { env, db, logger } = opts;
  if (env.slackMode === 'off') throw new SlackNotConfigured('Slack is not configured (set SLACK_BOT_TOKEN or OAuth variables)');
  if (env.slackMode === 'socket' && !env.SLACK_BOT_TOKEN) {
    throw new SlackNotConfigured('Invalid configuration: SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode)');
  }
  const log = logger.child({ component: 'slack' });
  const slackLogger = toSlackLogger(log, LogLevel.INFO);
  const clientOpts = { apiUrl: env.SLACK_API_URL };

  const cipher = env.TOKEN_ENCRYPTION_KEY ? createTokenCipher(env.TOKEN_ENCRYPTION_KEY) : null;
  const installations = createInstallationsRepo(db, cipher);
  const store = createSlackInstallationStore({ db, installations });
  const repos = createRepos(db);
  const inFlight = createInFlight();
  const dedupe = createEventDedupe();
  const actors = createActorResolver({
    people: repos.people,
    champions: createChampionCheck(parseChampions(env.SLACK_CHAMPIONS), {
      onError: (group, error) => log.warn('could not read SLACK_CHAMPIONS user group', { group, error }),
    }),
    logger: log,
  });

  // Single workspace and Socket Mode serve the default workspace; OAuth maps each team to its own.
  let defaultWorkspace: Promise<string> | null = null;
  async function workspaceOf(team: TeamRef): Promise<string> {
    if (env.slackMode === 'oauth') {
      const key = installationKey({
        isEnterpriseInstall: team.isEnterpriseInstall,
        enterpriseId: team.enterpriseId ?? undefined,
        teamId: team.teamId ?? undefined,
      });
      const id = await store.workspaceOf(key);
      if (!id) throw new Error(`Slack team ${key} has not installed the app`);
      return id;
    }
    defaultWorkspace ??= ensureDefaultWorkspace(db).then((w) => w.id);
    defaultWorkspace.catch(() => {
      defaultWorkspace = null;
    });
    return defaultWorkspace;
  }

  const deps: SlackDeps = {
    ...opts.services,
    repos,
    chatPosts: createChatPostsRepo(db),
    db,
    clock: opts.clock,
    logger: log,
    actors,
    afterAck: createWorkQueue(opts.afterAckConcurrency ?? AFTER_ACK_CONCURRENCY),
    workspaceOf,
    renderCard: opts.renderCard ?? ((view, now) => buildFeedbackCard(view, now, { timezone: opts.timezone })),
    notifyDelivery: opts.notifyDelivery ?? (() => {}),
    timezone: opts.timezone ?? 'UTC',
    defaultChannel: env.SLACK_DEFAULT_CHANNEL,
  };

  const { app, router } = buildBolt(env, slackLogger, env.slackMode === 'oauth' ? store : null, opts.bolt);

  // One global middleware (each one costs every request): drop repeated events; count the work
  // still running after the ack.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !dedupe.firstTime(eventId, Date.now())) {
      log.info('dropped repeated Slack event', { eventId, retry: context.retryNum });
      return;
    }
    await inFlight.track(next());
  });
  app.error(async (error) => {
    log.error('Slack listener error', { error });
  });

  routeRequests(app, {
    actions: actionRoutes(deps),
    views: viewRoutes(deps),
    commands: commandRoutes(deps),
    shortcuts: shortcutRoutes(deps),
    events: eventRoutes(deps, async (team) => {
      if (env.slackMode === 'oauth') {
        await store.deactivate(
          installationKey({
            isEnterpriseInstall: team.isEnterpriseInstall,
            enterpriseId: team.enterpriseId ?? undefined,
            teamId: team.teamId ?? undefined,
          }),
        );
      } else {
        log.error('the Slack app was uninstalled or its token revoked: SLACK_BOT_TOKEN no longer works');
      }
    }),
  });

  let ports: { chatPort: ChatPort; chatPortFor(workspaceId: string): ChatPort };
  if (env.slackMode === 'oauth') {
    ports = createOAuthPorts({ db, installations, store, clientOpts, logger: log });
  } else {
    const port = createSingleTokenPort(env.SLACK_BOT_TOKEN!, clientOpts, log);
    ports = { chatPort: port, chatPortFor: () => port };
  }

  return {
    mode: env.slackMode,
    /** The Bolt app (listeners are registered). */
    app,
    /** Mount on the shared express app: `/slack/events` (+ `/slack/install`, `/slack/oauth_redirect` with OAuth). */
    router: router as Router,
    /** For the delivery worker: `ports: { slack: adapter.chatPort }`. */
    chatPort: ports.chatPort,
    chatPortFor: ports.chatPortFor,
    /** Socket Mode connects here; HTTP modes are served by the shared server. */
    async start(): Promise<void> {
      if (env.slackMode === 'socket') await app.start();
    },
    /** Stops Socket Mode and waits for listeners still running after their ack. */
    async stop(): Promise<void> {
      if (env.slackMode === 'socket') await app.stop();
      await inFlight.idle();
    },
    /** Resolves when no listener is running (tests: the work after the ack is done). */
    idle: () => inFlight.idle(),
    /** Forget cached people and workspaces (tests that empty the database between cases). */
    clearCaches(): void {
      actors.clear();
      defaultWorkspace = null;
    },
  };
}

export type SlackAdapter = ReturnType<typeof createSlackAdapter>;
