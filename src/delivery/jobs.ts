// What each DeliveryJob does. A job fans out to targets (one post, every card post of an item,
// each platform a person is on); each target succeeds, fails or waits for its pacing slot on its
// own, so one platform failing never blocks the other. The worker turns the results into the
// row's next state; only targets that did not succeed are tried again.
import type { ItemView, Platform } from '../core/feedback/item.ts';
import type { ChatPort, DeliveryJob, FeedbackRepo, PeopleRepo, PostRef } from '../core/ports.ts';
import type { Message } from '../core/messages/model.ts';
import type { ChatPostsRepo, NewChatPost } from '../db/repos/chat-posts.repo.ts';
import type { OutboxQueue } from '../db/repos/outbox.repo.ts';
import { ChatError, NoChatPort, RateLimited } from './errors.ts';
import { type Pacer, paceIntervalMs, type SendKind } from './pacing.ts';

/** The job as stored in `outbox.job`: progress rides along so a retry only redoes what failed. */
export type StoredJob = DeliveryJob & {
  /** Target keys still to do (chat post ids, or platforms for a DM); absent on the first run. */
  remaining?: string[];
  /** Rate-limit waits so far (they do not count as attempts, but are bounded). */
  rateLimits?: number;
};

export type Target = { key: string; platform: Platform; channel: string };

export type TargetResult =
  | { target: Target; status: 'ok'; post?: PostRef }
  | { target: Target; status: 'deferred'; until: number }
  | { target: Target; status: 'failed'; error: unknown };

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
  pacer: Pacer;
  render: RenderCard;
  feedback: Pick<FeedbackRepo, 'view'>;
  people: Pick<PeopleRepo, 'findById'>;
  chatPosts: Pick<ChatPostsRepo, 'listForItem' | 'findByIds'>;
  outbox: Pick<OutboxQueue, 'postInFlight'>;
  sendTimeoutMs: number;
};

export class DeliveryTimeout extends ChatError {}

const IN_FLIGHT_RETRY_MS = 1000;

export async function runJob(ctx: RunContext, job: StoredJob): Promise<JobRun> {
  switch (job.type) {
    case 'item.post': {
      const view = await ctx.feedback.view(ctx.workspaceId, job.itemId);
      if (!view) return { kind: 'dead', error: `item ${job.itemId} not found` };
      const card = ctx.render(view, ctx.now);
      const target = { key: 'post', platform: job.platform, channel: job.channel };
      const result = await send(ctx, target, 'post', (port) => port.post(job.channel, card));
      return withPosts([result], (post) => ({ itemId: job.itemId, ...post, purpose: 'card' }));
    }
    case 'channel.message': {
      const target = { key: 'post', platform: job.platform, channel: job.channel };
      const result = await send(ctx, target, 'post', (port) => port.post(job.channel, job.message));
      return withPosts([result], (post) => ({ itemId: null, ...post, purpose: job.purpose ?? 'message' }));
    }
    case 'item.refresh':
    case 'item.thread': {
      // A card being posted right now would miss this update/reply: wait for it to be recorded.
      if (!job.remaining && (await ctx.outbox.postInFlight(job.itemId, ctx.now))) {
        return { kind: 'defer', until: ctx.now.getTime() + IN_FLIGHT_RETRY_MS };
      }
      const posts = job.remaining
        ? await ctx.chatPosts.findByIds(ctx.workspaceId, job.remaining)
        : await ctx.chatPosts.listForItem(ctx.workspaceId, job.itemId);
      if (posts.length === 0) return { kind: 'results', results: [], posts: [] };
      let message: Message;
      if (job.type === 'item.refresh') {
        const view = await ctx.feedback.view(ctx.workspaceId, job.itemId);
        if (!view) return { kind: 'dead', error: `item ${job.itemId} not found` };
        message = ctx.render(view, ctx.now);
      } else {
        message = job.message;
      }
      const results = await Promise.all(
        posts.map((p) => {
          const target = { key: p.id, platform: p.platform, channel: p.channel };
          const ref: PostRef = { platform: p.platform, channel: p.channel, messageId: p.messageId };
          return job.type === 'item.refresh'
            ? send(ctx, target, 'update', (port) => port.update(ref, message))
            : send(ctx, target, 'reply', (port) => port.reply(ref, message));
        }),
      );
      if (job.type === 'item.refresh') return { kind: 'results', results, posts: [] };
      return withPosts(results, (post) => ({ itemId: job.itemId, ...post, purpose: 'thread' }));
    }
    case 'person.dm': {
      const person = await ctx.people.findById(ctx.workspaceId, job.personId);
      if (!person) return { kind: 'dead', error: `person ${job.personId} not found` };
      let targets: Target[] = [];
      if (person.slackUserId) targets.push({ key: 'slack', platform: 'slack', channel: person.slackUserId });
      if (person.teamsAadId) targets.push({ key: 'teams', platform: 'teams', channel: person.teamsAadId });
      // Console-only installs have no chat accounts: show the DM on the console.
      if (targets.length === 0 && ctx.ports.console) {
        targets.push({ key: 'console', platform: 'console', channel: person.displayName });
      }
      if (targets.length === 0) return { kind: 'dead', error: `person ${job.personId} has no Slack or Teams account` };
      if (job.remaining) targets = targets.filter((t) => job.remaining!.includes(t.key));
      const results = await Promise.all(
        targets.map((t) => send(ctx, t, 'dm', (port) => port.dm(t.channel, job.message))),
      );
      return { kind: 'results', results, posts: [] };
    }
  }
}

function withPosts(
  results: TargetResult[],
  toPost: (ref: PostRef) => NewChatPost,
): JobRun {
  const posts = results.flatMap((r) => (r.status === 'ok' && r.post ? [toPost(r.post)] : []));
  return { kind: 'results', results, posts };
}

/** One send to one target: port lookup, pacing slot, timeout, error capture. */
async function send(
  ctx: RunContext,
  target: Target,
  kind: SendKind,
  op: (port: ChatPort) => Promise<unknown>,
): Promise<TargetResult> {
  const port = ctx.ports[target.platform];
  if (!port) {
    const error = new NoChatPort(`no chat port for platform "${target.platform}" (is ${target.platform} configured?)`);
    return { target, status: 'failed', error };
  }
  const destination = kind === 'dm' ? `${target.platform}:dm:${target.channel}` : `${target.platform}:${target.channel}`;
  const slot = ctx.pacer.take(destination, ctx.now.getTime(), paceIntervalMs(target.platform, kind));
  if (!slot.ok) return { target, status: 'deferred', until: slot.freeAt };
  try {
    const post = (await withTimeout(op(port), ctx.sendTimeoutMs)) as PostRef | undefined;
    return { target, status: 'ok', post: post ?? undefined };
  } catch (error) {
    // The platform's own limit wins over our pacing: hold this destination back for everyone.
    if (error instanceof RateLimited) ctx.pacer.block(destination, ctx.now.getTime() + error.retryAfterMs);
    return { target, status: 'failed', error };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryTimeout(`no answer from the chat platform within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
