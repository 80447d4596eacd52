// What each DeliveryJob does. A job fans out to targets (one post, every card post of an item,
// each platform a person is on); each target succeeds, fails or waits for its pacing slot on its
// own, so one platform failing never blocks the other. The worker turns the results into the
// row's next state; only targets that did not succeed are tried again.
import type { ItemView, Platform } from '../core/feedback/item.ts';
import type { ChatPort, DeliveryJob, FeedbackRepo, PeopleRepo, PostRef, WebhookPort } from '../core/ports.ts';
import { withLead } from '../core/messages/lead.ts';
import type { Message } from '../core/messages/model.ts';
import type { ChatPostsRepo, NewChatPost } from '../db/repos/chat-posts.repo.ts';
import type { OutboxQueue } from '../db/repos/outbox.repo.ts';
import { NoChatPort, RateLimited } from './errors.ts';
import { runLoopWebhook } from './loop-webhook.job.ts';
import { type Pacer, paceIntervalMs, paceKey, type SendKind, workspaceBudget } from './pacing.ts';
import { withTimeout } from './timeout.ts';

/** The job as stored in `outbox.job`: progress rides along so a retry only redoes what failed. */
export type StoredJob = DeliveryJob & {
  /** Target keys still to do (chat post ids, or platforms for a DM); absent on the first run. */
  remaining?: string[];
  /** Rate-limit waits so far (they do not count as attempts, but are bounded). */
  rateLimits?: number;
  /** Target keys that hold their pacing slot (pacing.ts): at `next_attempt_at` they send without booking another. */
  reserved?: string[];
};

/** Where one send goes: a chat channel, or the close-the-loop webhook (`webhook`, its origin). */
export type Target = { key: string; platform: Platform | 'webhook'; channel: string };
type ChatTarget = Target & { platform: Platform };

/** `httpStatus`: the receiver's answer, where the send was an HTTP request of ours (the webhook). */
export type TargetResult =
  | { target: Target; status: 'ok'; post?: PostRef; httpStatus?: number }
  /** Waits for its slot (the workspace's and the channel's), which is held for it until `until`. */
  | { target: Target; status: 'deferred'; until: number }
  | { target: Target; status: 'failed'; error: unknown; httpStatus?: number };

export type JobRun =
  | { kind: 'results'; results: TargetResult[]; posts: NewChatPost[] }
  /** The whole job waits (e.g. the item's first post is being sent right now). */
  | { kind: 'defer'; until: number }
  /** The job cannot run at all (its item or person is gone). */
  | { kind: 'dead'; error: string };

/** Renders the item card; injected so delivery does not depend on core card code. */
export type RenderCard = (view: ItemView, now: Date) => Message;

export type RunContext = {
  workspaceId: string;
  now: Date;
  ports: Partial<Record<Platform, ChatPort>>;
  /** The close-the-loop webhook, when LOOP_WEBHOOK_URL is set. */
  webhook?: WebhookPort;
  pacer: Pacer;
  render: RenderCard;
  feedback: Pick<FeedbackRepo, 'view'>;
  people: Pick<PeopleRepo, 'findById'>;
  chatPosts: Pick<ChatPostsRepo, 'listForItem' | 'findByIds'>;
  outbox: Pick<OutboxQueue, 'postInFlight'>;
  sendTimeoutMs: number;
  /** An earlier job of this batch re-renders the item's card: an `item.changed` only replies. */
  cardCurrent?: boolean;
};

const IN_FLIGHT_RETRY_MS = 1000;

export async function runJob(ctx: RunContext, job: StoredJob): Promise<JobRun> {
  const held = new Set(job.reserved);
  const send: Send = (target, kind, op) => sendTo(ctx, target, kind, op, held.has(target.key));
  switch (job.type) {
    case 'item.post': {
      const view = await ctx.feedback.view(ctx.workspaceId, job.itemId);
      if (!view) return { kind: 'dead', error: `item ${job.itemId} not found` };
      const card = withLead(ctx.render(view, ctx.now), job);
      const target = { key: 'post', platform: job.platform, channel: job.channel };
      const result = await send(target, 'post', (port) => port.post(job.channel, card));
      return withPosts([result], (post) => ({ itemId: job.itemId, ...post, purpose: 'card' }));
    }
    case 'channel.message': {
      const target = { key: 'post', platform: job.platform, channel: job.channel };
      const result = await send(target, 'post', (port) => port.post(job.channel, job.message));
      return withPosts([result], (post) => ({ itemId: null, ...post, purpose: job.purpose ?? 'message' }));
    }
    case 'item.changed':
    case 'item.refresh':
    case 'item.thread':
      return changeItem(ctx, job, send);
    case 'person.dm': {
      const person = await ctx.people.findById(ctx.workspaceId, job.personId);
      if (!person) return { kind: 'dead', error: `person ${job.personId} not found` };
      let targets: ChatTarget[] = [];
      if (person.slackUserId) targets.push({ key: 'slack', platform: 'slack', channel: person.slackUserId });
      if (person.teamsAadId) targets.push({ key: 'teams', platform: 'teams', channel: person.teamsAadId });
      // Console-only installs have no chat accounts: show the DM on the console.
      if (targets.length === 0 && ctx.ports.console) {
        targets.push({ key: 'console', platform: 'console', channel: person.displayName });
      }
      if (targets.length === 0) return { kind: 'dead', error: `person ${job.personId} has no Slack or Teams account` };
      if (job.remaining) targets = targets.filter((t) => job.remaining!.includes(t.key));
      const results = await Promise.all(
        targets.map((t) => send(t, 'dm', (port) => port.dm(t.channel, job.message))),
      );
      return { kind: 'results', results, posts: [] };
    }
    case 'loop.webhook':
      return runLoopWebhook(ctx, job);
  }
}

type ItemJob = Extract<StoredJob, { type: 'item.changed' | 'item.refresh' | 'item.thread' }>;

/** Jobs that fan out to every card post of their item (changeItem runs them). */
export function isItemJob(job: StoredJob): job is ItemJob {
  return job.type === 'item.changed' || job.type === 'item.refresh' || job.type === 'item.thread';
}
type Send = (target: ChatTarget, kind: SendKind, op: (port: ChatPort) => Promise<unknown>) => Promise<TargetResult>;

/**
 * Updates every card post of the item (re-rendered) and replies in each post's thread, in that
 * order per post. `item.changed` does both, its targets keyed `update:<post id>` and
 * `reply:<post id>`; `item.refresh` and `item.thread` (queued by earlier versions) do one half
 * each, keyed by the post id alone.
 */
async function changeItem(ctx: RunContext, job: ItemJob, send: Send): Promise<JobRun> {
  // A card being posted right now would miss this update/reply: wait for it to be recorded.
  if (!job.remaining && (await ctx.outbox.postInFlight(job.itemId, ctx.now))) {
    return { kind: 'defer', until: ctx.now.getTime() + IN_FLIGHT_RETRY_MS };
  }
  const both = job.type === 'item.changed';
  const keyOf = (half: 'update' | 'reply', postId: string) => (both ? `${half}:${postId}` : postId);
  const wanted = (half: 'update' | 'reply', postId: string) => {
    if (half === 'update' ? job.type === 'item.thread' : job.type === 'item.refresh') return false;
    if (job.remaining) return job.remaining.includes(keyOf(half, postId));
    return !(half === 'update' && ctx.cardCurrent);
  };
  const posts = job.remaining
    ? await ctx.chatPosts.findByIds(ctx.workspaceId, [...new Set(job.remaining.map((k) => (both ? k.slice(k.indexOf(':') + 1) : k)))])
    : await ctx.chatPosts.listForItem(ctx.workspaceId, job.itemId);
  if (posts.length === 0) return { kind: 'results', results: [], posts: [] };
  const view = posts.some((p) => wanted('update', p.id)) ? await ctx.feedback.view(ctx.workspaceId, job.itemId) : undefined;
  if (view === null) return { kind: 'dead', error: `item ${job.itemId} not found` };
  // Rendered when the first update goes: a job waiting for its slot renders nothing.
  let card: Message | undefined;
  const render = () => (card ??= ctx.render(view!, ctx.now));
  const perPost = await Promise.all(
    posts.map(async (p) => {
      const ref: PostRef = { platform: p.platform, channel: p.channel, messageId: p.messageId };
      const target = (half: 'update' | 'reply') => ({ key: keyOf(half, p.id), platform: p.platform, channel: p.channel });
      const out: TargetResult[] = [];
      if (wanted('update', p.id)) out.push(await send(target('update'), 'update', (port) => port.update(ref, render())));
      if (wanted('reply', p.id) && 'message' in job) {
        out.push(await send(target('reply'), 'reply', (port) => port.reply(ref, job.message)));
      }
      return out;
    }),
  );
  const results = perPost.flat();
  const replies = results.filter((r) => job.type === 'item.thread' || r.target.key.startsWith('reply:'));
  return { kind: 'results', results, posts: postsOf(replies, (post) => ({ itemId: job.itemId, ...post, purpose: 'thread' })) };
}

function withPosts(results: TargetResult[], toPost: (ref: PostRef) => NewChatPost): JobRun {
  return { kind: 'results', results, posts: postsOf(results, toPost) };
}

/** The chat posts that successful sends created, to remember. */
function postsOf(results: TargetResult[], toPost: (ref: PostRef) => NewChatPost): NewChatPost[] {
  return results.flatMap((r) => (r.status === 'ok' && r.post ? [toPost(r.post)] : []));
}

/**
 * One send to one target: port lookup, the slots of the workspace's budget and of the
 * destination (unless `held` from an earlier run), timeout, error capture.
 */
async function sendTo(
  ctx: RunContext,
  target: ChatTarget,
  kind: SendKind,
  op: (port: ChatPort) => Promise<unknown>,
  held: boolean,
): Promise<TargetResult> {
  const port = ctx.ports[target.platform];
  if (!port) {
    const error = new NoChatPort(`no chat port for platform "${target.platform}" (is ${target.platform} configured?)`);
    return { target, status: 'failed', error };
  }
  const now = ctx.now.getTime();
  const budget = workspaceBudget(ctx.workspaceId, target.platform, kind);
  const destination = paceKey(target.platform, kind, target.channel);
  if (!held) {
    // The workspace's slot first, then the channel's first free one from then: both held for it.
    const budgetSlot = budget ? ctx.pacer.reserve(budget, now) : now;
    const slot = ctx.pacer.takeSlot(destination, now, paceIntervalMs(target.platform, kind), budgetSlot);
    if (slot > now) return { target, status: 'deferred', until: slot };
  }
  try {
    const post = (await withTimeout(op(port), ctx.sendTimeoutMs)) as PostRef | undefined;
    return { target, status: 'ok', post: post ?? undefined };
  } catch (error) {
    // The platform's own limit wins over our pacing: hold this destination back for everyone.
    if (error instanceof RateLimited) {
      ctx.pacer.block(destination, now + error.retryAfterMs);
      // chat.update has no per-channel limit: its 429 is the workspace's Tier 3 budget running out.
      if (budget && target.platform === 'slack' && kind === 'update') ctx.pacer.blockBudget(budget, now + error.retryAfterMs);
    }
    return { target, status: 'failed', error };
  }
}

