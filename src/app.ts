// Composition root: env → lock → db → migrate → workspace → services → chat ports → http → worker.
// main.ts only calls startApp and handles signals; tests and benchmarks start the whole app here.
import { randomUUID } from 'node:crypto';
import { createConsolePort } from './adapters/console/console.port.ts';
import { createLoopWebhookPort } from './adapters/loop-webhook/loop-webhook.port.ts';
import type { AppComponent, AppContext, ComponentFactory } from './app-context.ts';
import { componentFactories } from './components.ts';
import type { Env } from './config/env.ts';
import { DEFAULT_ROUTES_FILE, loadRoutesFile } from './config/routes-file.ts';
import { createConnectorWebhooks } from './connectors/connector-webhooks.ts';
import { createRouteQueries } from './core/commands/routes-queries.service.ts';
import { createIntakeService, type Destination } from './core/feedback/intake.service.ts';
import type { Platform } from './core/feedback/item.ts';
import { createItemActions } from './core/feedback/item-actions.ts';
import { buildFeedbackCard } from './core/messages/feedback-card.ts';
import { type ChatPort, type Clock, systemClock, type Transactor } from './core/ports.ts';
import { defaultTable, type RoutingTable, routeItem, slaTermsOf } from './core/routing/match-route.ts';
import { type DbHandle, openDb } from './db/client.ts';
import { acquireDataDirLock, type DataDirLock } from './db/data-dir-lock.ts';
import { migrate, migrationsApplied } from './db/migrate.ts';
import { createChatPostsRepo } from './db/repos/chat-posts.repo.ts';
import { createRepos } from './db/repos/index.ts';
import { createIntakeRepo } from './db/repos/intake.repo.ts';
import { createOutboxRepo } from './db/repos/outbox.repo.ts';
import { createTransactor } from './db/transactor.ts';
import { ensureDefaultWorkspace } from './db/workspace.ts';
import { coalesce, DELIVERY_WAKE_CHANNEL } from './delivery/wake.ts';
import { createDeliveryWorker, type DeliveryWorker } from './delivery/worker.ts';
import { sharedChartStore } from './digest/chart-store.ts';
import { createDigestFeatures } from './digest/digest-features.ts';
import { createHttpApp, listen, type Mount, type RunningServer } from './http/server.ts';
import { createApiKeyService } from './intake/api-keys.service.ts';
import { createIntakeRoutes } from './intake/intake.route.ts';
import { createLogger, type Logger } from './logger.ts';
import { countByRoute } from './routing/route-stats.repo.ts';
import { buildRoutingTable, championChannels } from './routing/routing-table.ts';
import { type ChampionChannel, createSlaSweeper } from './sla/sla-sweeper.service.ts';
import { firstStartKeyBox, nextSteps } from './startup-banner.ts';

/** A burst of commits in the web process wakes the worker process once per this interval. */
const WAKE_INTERVAL_MS = 25;

export type AppOverrides = {
  clock?: Clock;
  logger?: Logger;
  /** Console chat adapter output (default: stdout). */
  consoleWrite?: (text: string) => void;
  /** Where the first-start API key is printed (default: stdout). */
  print?: (text: string) => void;
  /** Replaces the built-in optional components (src/components.ts). */
  components?: ComponentFactory[];
  /** Extra ports, e.g. a fake Slack in tests (they win over the components' ports). */
  ports?: Partial<Record<Platform, ChatPort>>;
  host?: string;
};

export type RunningApp = {
  url: string;
  port: number;
  ctx: AppContext;
  worker: DeliveryWorker;
  /** The key printed on first start (null on later starts). */
  firstStartKey: string | null;
  /** Graceful: stop accepting, finish in-flight requests, finish the delivery batch, close the db. */
  close(): Promise<void>;
};

export async function startApp(env: Env, overrides: AppOverrides = {}): Promise<RunningApp> {
  const logger = overrides.logger ?? createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const clock = overrides.clock ?? systemClock;
  const print = overrides.print ?? ((text: string) => process.stdout.write(text));
  // What is running so far: shut down in this order, also when start-up fails half-way.
  const live: {
    lock?: DataDirLock;
    db?: DbHandle;
    http?: RunningServer;
    worker?: DeliveryWorker;
    components: AppComponent[];
  } = { components: [] };
  const step = async (name: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (error) {
      logger.error(`shutdown: ${name} failed`, { error });
    }
  };
  const shutdown = async () => {
    // Stop taking requests, let the delivery batch finish, stop platforms, then the database.
    if (live.http) await step('http', () => live.http!.close());
    if (live.worker) await step('delivery', () => live.worker!.stop());
    for (const c of [...live.components].reverse()) if (c.stop) await step(c.name, () => c.stop!());
    if (live.db) await step('database', () => live.db!.close());
    live.lock?.release();
  };

  try {
    // A bad routes file stops start-up before anything opens (one line, EnvError).
    const rules = loadRoutesFile(env.ROUTES_FILE);
    if (!env.DATABASE_URL) live.lock = acquireDataDirLock(env.DATA_DIR, 'server');
    const db: DbHandle = await openDb({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
    live.db = db;
    await migrate(db, { url: env.DATABASE_URL });
    const workspace = await ensureDefaultWorkspace(db.db);

    const apiKeys = createApiKeyService({ db: db.db, clock });

    let worker: DeliveryWorker | null = null;
    // The worker runs here, or (PROCESS_ROLE=web) in another process, woken through Postgres.
    const notifyDelivery =
      env.PROCESS_ROLE === 'web'
        ? coalesce(() => {
            db.query('select pg_notify($1, $2)', [DELIVERY_WAKE_CHANNEL, '']).catch((error) =>
              logger.warn('could not wake the delivery worker (it will poll)', { error }),
            );
          }, WAKE_INTERVAL_MS)
        : () => worker?.notify();
    const transactor = notifying(createTransactor(db.db), notifyDelivery);
    const repos = createRepos(db.db);
    let destinations: Destination[] = [];
    const sla = { slaHours: env.SLA_HOURS, escalationHours: env.UNCLAIMED_ESCALATION_HOURS };
    // Set once the chat platforms are known (below); nothing is accepted before then.
    const routing: { table: RoutingTable; champions: ChampionChannel[] } = { table: defaultTable([], sla), champions: [] };
    const renderCard = (view: Parameters<typeof buildFeedbackCard>[0], now: Date) => buildFeedbackCard(view, now);
    const ctx: AppContext = {
      env,
      db,
      workspaceId: workspace.id,
      clock,
      logger,
      transactor,
      repos,
      chatPosts: createChatPostsRepo(db.db),
      intake: createIntakeService({
        // One statement at a time on the embedded database (one connection). On a server, commits
        // wait mostly for the WAL flush, which Postgres shares among concurrent commits: 4 of the
        // pool's 10 connections (measured with 4 clients: 1 in flight 0.32–0.34 of the floor, 2
        // 0.38, 4 0.37–0.46).
        store: createIntakeRepo(db.db, { maxInFlight: db.driver === 'pglite' ? 1 : 4 }),
        clock,
        routeFor: (input) => routeItem(routing.table, input),
        onAccepted: notifyDelivery,
      }),
      actions: createItemActions({
        transactor,
        repos,
        notify: notifyDelivery,
        clock,
        slaTerms: (route) => slaTermsOf(routing.table, route),
        ...(env.loopWebhook ? { closeTheLoop: { eventId: randomUUID } } : {}),
      }),
      routing,
      sla: createSlaSweeper({ db: db.db, clock, routing, notify: notifyDelivery, logger: logger.child({ component: 'sla' }) }),
      routes: createRouteQueries({
        routing,
        countByRoute: (ws, since) => countByRoute(db.db, ws, since),
        feedback: repos.feedback,
        clock,
        source: rules.length > 0 ? (env.ROUTES_FILE ?? DEFAULT_ROUTES_FILE) : null,
      }),
      apiKeys,
      renderCard,
      notifyDelivery,
      features: createDigestFeatures({
        db: db.db,
        clock,
        logger,
        graceMinutes: env.DIGEST_GRACE_MINUTES,
        defaultTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        notifyDelivery,
        charts: sharedChartStore,
        ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
      }),
    };

    const components = live.components;
    for (const factory of overrides.components ?? componentFactories) {
      const component = await factory(ctx);
      if (component) components.push(component);
    }
    const ports: Partial<Record<Platform, ChatPort>> = {
      console: createConsolePort({ write: overrides.consoleWrite }),
    };
    for (const c of components) if (c.port) ports[c.port.platform] = c.port;
    Object.assign(ports, overrides.ports);
    destinations = defaultDestinations(env, ports, components, logger);
    routing.table = buildRoutingTable({
      rules,
      defaults: destinations,
      platforms: Object.keys(ports) as Platform[],
      ...sla,
      logger,
    });
    routing.champions = championChannels(env, ports, logger);

    worker = createDeliveryWorker({
      db,
      ports,
      clock,
      render: renderCard,
      logger,
      maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
      pollMs: env.DELIVERY_POLL_MS,
      ...(env.loopWebhook ? { webhook: createLoopWebhookPort({ ...env.loopWebhook, clock }) } : {}),
    });
    live.worker = worker;
    // PGlite belongs to this process alone (data-dir lock): a lease left by a killed run is stale.
    if (db.driver === 'pglite') await createOutboxRepo(db.db).releaseLeases();

    const intake = createIntakeRoutes({
      intake: ctx.intake,
      apiKeys,
      feedback: ctx.repos.feedback,
      events: ctx.repos.events,
      logError: (message, error) => logger.error(message, { error, stack: (error as Error)?.stack }),
    });
    const intakeRoute: Mount = { path: '/api/v1', handler: intake.router };
    // A worker process serves only /healthz and /readyz; the web process takes every request.
    const serves = env.PROCESS_ROLE !== 'worker';
    // Survey and support tools' webhooks (POST /api/v1/connectors/<provider>).
    const connectors = createConnectorWebhooks({ db: db.db, intake: ctx.intake, encryptionKey: env.TOKEN_ENCRYPTION_KEY, notifyDelivery, clock, logger });
    const routes: Mount[] = serves ? [intakeRoute, connectors.mount, ...components.flatMap((c) => c.routes ?? [])] : [];
    let migrated = false;
    const app = createHttpApp({
      routes,
      // The intake POST is the hot path: served by node:http without express (same answers).
      rawRoutes: serves ? [{ method: 'POST', path: '/api/v1/feedback', handler: intake.post }, ...connectors.raw] : [],
      logger,
      readiness: async () => {
        await db.query('select 1');
        migrated ||= await migrationsApplied(db);
        return migrated ? { ready: true } : { ready: false, reason: 'database migrations are not applied' };
      },
    });
    const port = env.PROCESS_ROLE === 'worker' ? env.WORKER_PORT : env.PORT;
    const http = await listen(app, { port, host: overrides.host });
    live.http = http;
    // Made once the port is ours, so a failed start never makes a key that nobody saw.
    const firstStartKey = serves ? await createFirstKey(apiKeys, workspace.id, logger) : null;
    if (firstStartKey) print(firstStartKeyBox(firstStartKey, http.url));
    // Platforms (Socket Mode, schedules) start in the process that serves; delivery where it runs.
    if (serves) for (const c of components) await c.start?.();
    if (env.PROCESS_ROLE === 'worker') {
      const running = worker;
      await db.listen(DELIVERY_WAKE_CHANNEL, () => running.notify());
    }
    if (env.PROCESS_ROLE !== 'web') worker.start(env.DELIVERY_START_DELAY_MS);

    if (serves) {
      const names = components.map((c) => c.name);
      for (const line of nextSteps({ env, url: http.url, destinations, components: names })) logger.info(line);
      for (const c of components) for (const line of c.describe?.() ?? []) logger.info(line);
    }
    if (env.PROCESS_ROLE === 'web') logger.info('Delivery runs in another process: start it with `npm run worker`.');
    if (env.PROCESS_ROLE === 'worker') logger.info(`Delivery worker listening on ${http.url} (health checks only: /healthz, /readyz)`);

    let closing: Promise<void> | null = null;
    return {
      url: http.url,
      port: http.port,
      ctx,
      worker,
      firstStartKey,
      close: () => (closing ??= shutdown()),
    };
  } catch (error) {
    await shutdown();
    throw error;
  }
}

/** On the very first start (no key was ever made in the workspace), create "default". */
async function createFirstKey(
  apiKeys: ReturnType<typeof createApiKeyService>,
  workspaceId: string,
  logger: Logger,
): Promise<string | null> {
  if ((await apiKeys.list(workspaceId)).length > 0) return null;
  try {
    return (await apiKeys.create(workspaceId, 'default')).key;
  } catch (error) {
    // Another instance starting at the same moment made it first.
    logger.debug('first-start API key not created', { error });
    return null;
  }
}

/** Every commit may have enqueued deliveries: wake the worker instead of waiting for its poll. */
function notifying(transactor: Transactor, notify: () => void): Transactor {
  return {
    run: async (fn) => {
      const result = await transactor.run(fn);
      notify();
      return result;
    },
  };
}

/** Slack default channel, Teams default channel, what components add; otherwise the console. */
function defaultDestinations(
  env: Env,
  ports: Partial<Record<Platform, ChatPort>>,
  components: AppComponent[],
  logger: Logger,
): Destination[] {
  const out: Destination[] = [];
  const add = (d: Destination) => {
    if (!out.some((o) => o.platform === d.platform && o.channel === d.channel)) out.push(d);
  };
  for (const [platform, channel] of [
    ['slack', env.SLACK_DEFAULT_CHANNEL],
    ['teams', env.TEAMS_DEFAULT_CHANNEL],
  ] as const) {
    if (!channel) continue;
    if (ports[platform]) add({ platform, channel });
    else logger.warn(`${platform.toUpperCase()}_DEFAULT_CHANNEL is set but ${platform} is not configured: ignoring it`);
  }
  for (const c of components) for (const d of c.destinations ?? []) add(d);
  if (out.length === 0) add({ platform: 'console', channel: 'console' });
  return out;
}
