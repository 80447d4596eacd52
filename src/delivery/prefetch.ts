// What a batch's jobs read, loaded before they run in one query per kind instead of one per job:
// the item views the cards render, each item's card posts, and which items have a first post in
// flight. A batch changes none of these until it settles, so reading them up front is the same as
// reading them job by job. What a failed prefetch left out is read on its own when a job needs it.
import type { ItemView } from '../core/feedback/item.ts';
import type { FeedbackRepo } from '../core/ports.ts';
import type { Executor } from '../db/client.ts';
import { type ChatPostRow, createChatPostsRepo } from '../db/repos/chat-posts.repo.ts';
import { createFeedbackRepo, viewMany } from '../db/repos/feedback.repo.ts';
import { createOutboxRepo, type OutboxRow } from '../db/repos/outbox.repo.ts';
import type { Logger } from '../logger.ts';
import { isItemJob, type RunContext, type StoredJob } from './jobs.ts';

export type BatchReads = Pick<RunContext, 'feedback' | 'chatPosts' | 'outbox'>;

type Loaded = { views: Map<string, ItemView>; posts: Map<string, ChatPostRow[]>; inFlight: Map<string, boolean> };

const key = (workspaceId: string, itemId: string) => `${workspaceId}:${itemId}`;

function idsByWorkspace(rows: OutboxRow[], wanted: (job: StoredJob) => boolean): Map<string, string[]> {
  const byWorkspace = new Map<string, string[]>();
  for (const row of rows) {
    const job = row.job as StoredJob;
    if (!('itemId' in job) || !wanted(job)) continue;
    byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), job.itemId]);
  }
  return byWorkspace;
}

type Repos = { chatPosts: ReturnType<typeof createChatPostsRepo>; outbox: ReturnType<typeof createOutboxRepo> };

async function load(db: Executor, { chatPosts, outbox }: Repos, rows: OutboxRow[], now: Date): Promise<Loaded> {
  const loaded: Loaded = { views: new Map(), posts: new Map(), inFlight: new Map() };
  const rendered = idsByWorkspace(rows, (job) => job.type === 'item.post' || job.type === 'item.refresh' || job.type === 'item.changed');
  // Jobs that fan out to the item's posts look them up when they start afresh (a retry names its own).
  const fanOut = idsByWorkspace(rows, (job) => isItemJob(job) && !job.remaining);
  for (const [workspaceId, ids] of rendered) {
    for (const [id, view] of await viewMany(db, workspaceId, ids)) loaded.views.set(key(workspaceId, id), view);
  }
  for (const [workspaceId, ids] of fanOut) {
    const [posts, inFlight] = await Promise.all([chatPosts.listForItems(workspaceId, ids), outbox.postsInFlight(ids, now)]);
    for (const id of ids) {
      loaded.posts.set(key(workspaceId, id), []);
      loaded.inFlight.set(id, inFlight.has(id));
    }
    for (const post of posts) loaded.posts.get(key(workspaceId, post.itemId!))?.push(post);
  }
  return loaded;
}

export async function prefetchBatch(db: Executor, rows: OutboxRow[], now: Date, log: Logger): Promise<BatchReads> {
  const feedback: Pick<FeedbackRepo, 'view'> = createFeedbackRepo(db);
  const chatPosts = createChatPostsRepo(db);
  const outbox = createOutboxRepo(db);
  let loaded: Loaded = { views: new Map(), posts: new Map(), inFlight: new Map() };
  try {
    loaded = await load(db, { chatPosts, outbox }, rows, now);
  } catch (error) {
    log.warn('delivery could not prefetch the batch; its jobs read on their own', { error });
  }
  return {
    feedback: { view: async (ws, id) => loaded.views.get(key(ws, id)) ?? feedback.view(ws, id) },
    chatPosts: {
      listForItem: async (ws, id) => loaded.posts.get(key(ws, id)) ?? chatPosts.listForItem(ws, id),
      findByIds: chatPosts.findByIds,
    },
    outbox: { postInFlight: async (id, at) => loaded.inFlight.get(id) ?? outbox.postInFlight(id, at) },
  };
}
