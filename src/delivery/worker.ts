// The outbox drain. Claims due rows with a lease (FOR UPDATE SKIP LOCKED, one short statement),
// runs them outside any transaction, then settles each row in one transaction together with the
// chat posts it created and the attempt events. Delivery is at-least-once: a worker killed between
// a send and its settle lets the lease expire and the row runs again.
import type { Platform } from '../core/feedback/item.ts';
import type { ChatPort, Clock, EventRepo, FeedbackRepo, PeopleRepo } from '../core/ports.ts';
import type { DbHandle, Executor } from '../db/client.ts';
import { createChatPostsRepo } from '../db/repos/chat-posts.repo.ts';
import { createRepos } from '../db/repos/index.ts';
import { createOutboxRepo, type OutboxRow } from '../db/repos/outbox.repo.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { describeError } from './errors.ts';
import { type JobRun, type RenderCard, runJob, type StoredJob } from './jobs.ts';
import { decideOutcome, type RowPatch } from './outcome.ts';
import { type BackoffOptions, backoffMs, createPacer, type Pacer } from './pacing.ts';

type WorkerRepos = {
  feedback: Pick<FeedbackRepo, 'view'>;
  people: Pick<PeopleRepo, 'findById'>;
  events: Pick<EventRepo, 'add'>;
};

export type DeliveryWorkerDeps = {
  db: Pick<DbHandle, 'db'>;
  ports: Partial<Record<Platform, ChatPort>>;
  clock: Clock;
  render: RenderCard;
  logger?: Logger;
  maxAttempts?: number;
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed row stays ours; a worker that dies lets it run again after this. */
  leaseMs?: number;
  sendTimeoutMs?: number;
  /** Destinations sent to in parallel within a batch (one destination is always sequential). */
  concurrency?: number;
  maxRateLimits?: number;
  backoff?: BackoffOptions;
  repos?: (executor: Executor) => WorkerRepos;
  /** Shared pacing state (tests run two workers as two processes would: each with its own). */
  pacer?: Pacer;
};

const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_DONE_MS = 7 * 24 * 60 * 60_000;

export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const log = (deps.logger ?? silentLogger).child({ component: 'delivery' });
  const maxAttempts = deps.maxAttempts ?? 8;
  const pollMs = deps.pollMs ?? 500;
  const batchSize = deps.batchSize ?? 20;
  const leaseMs = deps.leaseMs ?? 120_000;
  const sendTimeoutMs = deps.sendTimeoutMs ?? 20_000;
  const concurrency = deps.concurrency ?? 4;
  const maxRateLimits = deps.maxRateLimits ?? 50;
  const reposOf = deps.repos ?? createRepos;
  const pacer = deps.pacer ?? createPacer();
  const db = deps.db.db;

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let pending = false;
  let startTimer: NodeJS.Timeout | null = null;
  let lastPrune = 0;

  async function drainOnce(): Promise<number> {
    const now = deps.clock.now();
    const rows = await createOutboxRepo(db).claim({
      now,
      lockedUntil: new Date(now.getTime() + leaseMs),
      limit: batchSize,
    });
    if (rows.length === 0) return 0;

    // Several refreshes of one item in a batch: the first re-renders the current state, which
    // already includes every change the others announce.
    const refreshed = new Set<string>();
    const toRun: OutboxRow[] = [];
    for (const row of rows) {
      const job = row.job as StoredJob;
      if (job.type === 'item.refresh' && !job.remaining) {
        if (refreshed.has(job.itemId)) {
          await settle(row, { status: 'done', attempts: row.attempts, doneAt: now, lastError: null }, null);
          continue;
        }
        refreshed.add(job.itemId);
      }
      toRun.push(row);
    }

    const groups = new Map<string, OutboxRow[]>();
    for (const row of toRun) groups.set(row.destination, [...(groups.get(row.destination) ?? []), row]);
    await pool([...groups.values()], concurrency, async (group) => {
      for (const row of group) await processRow(row);
    });
    return rows.length;
  }

  async function processRow(row: OutboxRow): Promise<void> {
    const now = deps.clock.now();
    const job = row.job as StoredJob;
    if (row.lockedUntil && now.getTime() + sendTimeoutMs > row.lockedUntil.getTime()) {
      // Too little of the lease left to send safely: give the row back untouched.
      await settle(row, { status: 'pending', attempts: row.attempts }, null);
      return;
    }
    const repos = reposOf(db);
    let run: JobRun;
    try {
      run = await runJob(
        {
          workspaceId: row.workspaceId,
          now,
          ports: deps.ports,
          pacer,
          render: deps.render,
          feedback: repos.feedback,
          people: repos.people,
          chatPosts: createChatPostsRepo(db),
          outbox: createOutboxRepo(db),
          sendTimeoutMs,
        },
        job,
      );
    } catch (error) {
      // Loading the job's data failed (database hiccup, bad render): retry like a failed send.
      const target = { key: 'job', platform: 'console' as const, channel: '' };
      run = { kind: 'results', results: [{ target, status: 'failed', error }], posts: [] };
      log.error('delivery job failed before sending', { id: row.id, type: job.type, error });
    }
    const patch = decideOutcome(row, job, run, {
      now,
      maxAttempts,
      maxRateLimits,
      backoffMs: (attempt) => backoffMs(attempt, deps.backoff),
    });
    await settle(row, patch, run);
    const fields = { id: row.id, type: job.type, destination: row.destination, attempts: patch.attempts };
    if (patch.status === 'dead') log.error('delivery dead-lettered', { ...fields, error: patch.lastError });
    else if (patch.status === 'pending' && patch.lastError) {
      log.warn('delivery will retry', { ...fields, at: patch.nextAttemptAt, error: patch.lastError });
    } else log.debug(`delivery ${patch.status}`, fields);
  }

  /** Row state, chat posts and attempt events in one transaction. */
  async function settle(row: OutboxRow, patch: RowPatch, run: JobRun | null): Promise<void> {
    const job = row.job as StoredJob;
    const itemId = 'itemId' in job ? job.itemId : null;
    try {
      await db.transaction(async (tx) => {
        if (run?.kind === 'results') {
          const chatPosts = createChatPostsRepo(tx);
          for (const post of run.posts) await chatPosts.insert(row.workspaceId, post);
          if (itemId) {
            const events = reposOf(tx).events;
            for (const r of run.results) {
              if (r.status === 'deferred' || r.target.key === 'job') continue;
              const error = r.status === 'failed' ? describeError(r.error) : null;
              await events.add(row.workspaceId, {
                itemId,
                type: 'delivery.attempt',
                actorId: null,
                platform: r.target.platform,
                data: { platform: r.target.platform, channel: r.target.channel, ok: r.status === 'ok', error, attempt: row.attempts + 1 },
              });
            }
          }
        }
        const settled = await createOutboxRepo(tx).settle(row, patch);
        if (!settled) log.warn('delivery lease lost before settle (row ran elsewhere)', { id: row.id });
      });
    } catch (error) {
      // The lease expires and the row runs again: at-least-once.
      log.error('delivery settle failed', { id: row.id, error });
    }
  }

  async function prune(): Promise<void> {
    const now = deps.clock.now().getTime();
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    const n = await createOutboxRepo(db).pruneDone(new Date(now - KEEP_DONE_MS));
    if (n > 0) log.info('delivery pruned delivered rows', { count: n });
  }

  async function run(): Promise<void> {
    while (running) {
      pending = false;
      let n = 0;
      try {
        n = await drainOnce();
        await prune();
      } catch (error) {
        log.error('delivery drain failed', { error });
      }
      if (!running) break;
      if (n < batchSize && !pending) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  }

  return {
    /** Starts polling (after `delayMs`, e.g. to let a crash test kill the process first). */
    start(delayMs = 0): void {
      if (running || startTimer) return;
      const begin = () => {
        startTimer = null;
        running = true;
        loop = run();
      };
      if (delayMs > 0) startTimer = setTimeout(begin, delayMs);
      else begin();
    },
    /** Stops polling; resolves once the batch in progress is settled. */
    async stop(): Promise<void> {
      if (startTimer) clearTimeout(startTimer);
      startTimer = null;
      running = false;
      wake?.();
      await loop;
      loop = null;
    },
    /** Claims and runs one batch now; returns how many rows it claimed. */
    drainOnce,
    /** Wakes the worker after an enqueue committed, instead of waiting for the next poll. */
    notify(): void {
      pending = true;
      wake?.();
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
