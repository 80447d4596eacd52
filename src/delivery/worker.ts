// The outbox drain. Claims due rows with a lease (FOR UPDATE SKIP LOCKED, one short statement),
// runs them outside any transaction, then settles the batch in one statement together with the
// chat posts it created and the attempt events (row by row if that fails). Delivery is
// at-least-once: a worker killed between a send and its settle lets the lease expire and the row
// runs again.
import type { Platform } from '../core/feedback/item.ts';
import type { ChatPort, Clock, WebhookPort } from '../core/ports.ts';
import type { DbHandle } from '../db/client.ts';
import { createPeopleRepo } from '../db/repos/index.ts';
import { createOutboxRepo, type OutboxRow } from '../db/repos/outbox.repo.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { createIdleWait } from './idle-wait.ts';
import { type JobRun, type RenderCard, runJob, type StoredJob } from './jobs.ts';
import { decideOutcome } from './outcome.ts';
import { type BackoffOptions, backoffMs, createPacer, type Pacer, workspaceBudget } from './pacing.ts';
import { pool } from './pool.ts';
import { type BatchReads, prefetchBatch } from './prefetch.ts';
import { type Settlement, settleBatchOf } from './settle-batch.ts';

export type DeliveryWorkerDeps = {
  db: Pick<DbHandle, 'db'>;
  ports: Partial<Record<Platform, ChatPort>>;
  /** The close-the-loop webhook (LOOP_WEBHOOK_URL); `loop.webhook` rows fail without it. */
  webhook?: WebhookPort;
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
  /**
   * How long `notify()` waits before draining, so the enqueues of a burst of intake commits are
   * claimed as one batch instead of one row per wake-up. `drainOnce()` is always immediate.
   */
  wakeDelayMs?: number;
  /**
   * The wait instead, when the last drain found work and more was enqueued meanwhile (a burst):
   * batches grow, and each card costs less (one claim, one read and one settle per batch).
   */
  burstDelayMs?: number;
  /** Shared pacing state (tests run two workers as two processes would: each with its own). */
  pacer?: Pacer;
};

/**
 * Lets waiting network I/O (an incoming request, a Slack ack) run before the next step of a batch:
 * the steps' database round trips otherwise chain microtask to microtask ahead of it.
 */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * A workspace whose Slack card updates are booked further ahead than this (chat.update allows 50 a
 * minute) keeps its new card changes queued, untouched, instead of claiming each only to defer it
 * to a slot: in a rush of clicks that is a lease and a settle per click for nothing. Its changes
 * are claimed again, oldest first, once the booked slots end less than this far ahead. (All its
 * card changes wait, a Teams card's too: a queued row does not say where its item's cards are.)
 */
const CARD_BACKLOG_HORIZON_MS = 10_000;
const slackUpdates = (workspaceId: string) => workspaceBudget(workspaceId, 'slack', 'update');
const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_DONE_MS = 7 * 24 * 60 * 60_000;

export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const log = (deps.logger ?? silentLogger).child({ component: 'delivery' });
  const maxAttempts = deps.maxAttempts ?? 8;
  const pollMs = deps.pollMs ?? 500;
  // Measured draining 3000 queued cards on Postgres: 20 per batch cost 0.95 ms of CPU per card
  // (app and database), 100 per batch 0.66 ms.
  const batchSize = deps.batchSize ?? 100;
  const leaseMs = deps.leaseMs ?? 120_000;
  const sendTimeoutMs = deps.sendTimeoutMs ?? 20_000;
  const concurrency = deps.concurrency ?? 4;
  const maxRateLimits = deps.maxRateLimits ?? 50;
  const pacer = deps.pacer ?? createPacer();
  const wakeDelayMs = deps.wakeDelayMs ?? 25;
  const burstDelayMs = deps.burstDelayMs ?? 100;
  const db = deps.db.db;
  const people = createPeopleRepo(db);
  const outbox = createOutboxRepo(db);

  let running = false;
  let loop: Promise<void> | null = null;
  let pending = false;
  /** Sleeping after a drain that found work while more came in: notify() must not cut it short. */
  let inBurst = false;
  /**
   * The last claim left some workspace's card changes queued: a rush of clicks is on, and each
   * claim walks past those rows, so enqueues wake the worker once per burst delay at most.
   */
  let holding = false;
  const idle = createIdleWait();
  let startTimer: NodeJS.Timeout | null = null;
  let lastPrune = 0;

  async function drainOnce(): Promise<number> {
    const now = deps.clock.now();
    const held = pacer.backlogged(slackUpdates, now.getTime(), CARD_BACKLOG_HORIZON_MS);
    holding = held.length > 0;
    const rows = await outbox.claim({ now, lockedUntil: new Date(now.getTime() + leaseMs), limit: batchSize, holdCardChanges: held });
    if (rows.length === 0) return 0;

    // Several refreshes of one item in a batch: the first re-renders the current state, which
    // already includes every change the others announce (a later item.changed still replies).
    const settlements: Settlement[] = [];
    const refreshed = new Set<string>();
    /** Rows whose item's card an earlier row of the batch re-renders: they only reply. */
    const cardCurrent = new Set<string>();
    const toRun: OutboxRow[] = [];
    for (const row of rows) {
      const job = row.job as StoredJob;
      if ((job.type === 'item.refresh' || job.type === 'item.changed') && !job.remaining) {
        if (refreshed.has(job.itemId)) {
          if (job.type === 'item.refresh') {
            settlements.push({ row, patch: { status: 'done', attempts: row.attempts, doneAt: now, lastError: null }, run: null });
            continue;
          }
          cardCurrent.add(row.id);
        }
        refreshed.add(job.itemId);
      }
      toRun.push(row);
    }

    await yieldToIo();
    const reads = await prefetchBatch(db, toRun, now, log);
    const groups = new Map<string, OutboxRow[]>();
    for (const row of toRun) groups.set(row.destination, [...(groups.get(row.destination) ?? []), row]);
    await pool([...groups.values()], concurrency, async (group) => {
      for (const row of group) {
        await yieldToIo();
        settlements.push(await processRow(row, reads, cardCurrent.has(row.id)));
      }
    });
    await yieldToIo();
    await settleAll(settlements);
    for (const { row, patch } of settlements) {
      const job = row.job as StoredJob;
      const fields = { id: row.id, type: job.type, destination: row.destination, attempts: patch.attempts };
      if (patch.status === 'dead') log.error('delivery dead-lettered', { ...fields, error: patch.lastError });
      else if (patch.status === 'pending' && patch.lastError) {
        log.warn('delivery will retry', { ...fields, at: patch.nextAttemptAt, error: patch.lastError });
      } else log.debug(`delivery ${patch.status}`, fields);
    }
    return rows.length;
  }

  async function processRow(row: OutboxRow, reads: BatchReads, cardCurrent: boolean): Promise<Settlement> {
    const now = deps.clock.now();
    const job = row.job as StoredJob;
    if (row.lockedUntil && now.getTime() + sendTimeoutMs > row.lockedUntil.getTime()) {
      // Too little of the lease left to send safely: give the row back untouched.
      return { row, patch: { status: 'pending', attempts: row.attempts }, run: null };
    }
    let run: JobRun;
    try {
      run = await runJob(
        {
          workspaceId: row.workspaceId,
          now,
          ports: deps.ports,
          webhook: deps.webhook,
          pacer,
          render: deps.render,
          ...reads,
          people,
          sendTimeoutMs,
          cardCurrent,
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
    return { row, patch, run };
  }

  /**
   * The batch's rows settled in one statement (one commit instead of one per card), with the chat
   * posts and attempt events of their runs. If that fails, each row is settled on its own so one
   * bad row cannot hold back the others.
   */
  async function settleAll(settlements: Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    if (settlements.length > 1) {
      try {
        await settle(settlements);
        return;
      } catch (error) {
        log.warn('delivery batch settle failed; settling rows one by one', { error });
      }
    }
    for (const s of settlements) {
      try {
        await settle([s]);
      } catch (error) {
        // The lease expires and the row runs again: at-least-once.
        log.error('delivery settle failed', { id: s.row.id, error });
      }
    }
  }

  async function settle(settlements: Settlement[]): Promise<void> {
    const settled = await outbox.settleBatch(settleBatchOf(settlements));
    for (const { row } of settlements) {
      if (!settled.has(row.id)) log.warn('delivery lease lost before settle (row ran elsewhere)', { id: row.id });
    }
  }

  async function prune(): Promise<void> {
    const now = deps.clock.now().getTime();
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    const n = await outbox.pruneDone(new Date(now - KEEP_DONE_MS));
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
      if (n >= batchSize) continue;
      // Enqueued while we drained: come back shortly, letting the burst accumulate into a batch
      // (also while changes are held back: each enqueue of the rush need not wake a claim).
      inBurst = pending && (n > 0 || holding);
      await idle.sleep(inBurst ? burstDelayMs : pending ? wakeDelayMs : pollMs);
      inBurst = false;
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
      idle.hurry(0);
      await loop;
      loop = null;
    },
    /** Claims and runs one batch now; returns how many rows it claimed. */
    drainOnce,
    /** Wakes the worker after an enqueue committed, instead of waiting for the next poll. */
    notify(): void {
      pending = true;
      idle.hurry(inBurst || holding ? burstDelayMs : wakeDelayMs);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
