// Shared by the delivery tests: a movable clock, a scriptable fake ChatPort, and seed helpers.
import type { Platform } from '../../src/core/feedback/item.ts';
import type { ChatPort, Clock, DeliveryJob, PostRef } from '../../src/core/ports.ts';
import type { Message } from '../../src/core/messages/model.ts';
import type { DbHandle } from '../../src/db/client.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { createDeliveryWorker, type DeliveryWorkerDeps } from '../../src/delivery/worker.ts';

/** Starts well after the database's now(), so rows enqueued with the default are due. */
export function testClock(start = '2031-01-06T09:00:00.000Z'): Clock & { advance(ms: number): void; t: number } {
  const c = {
    t: Date.parse(start),
    now: () => new Date(c.t),
    advance(ms: number) {
      c.t += ms;
    },
  };
  return c;
}

export type Call = { op: 'post' | 'update' | 'reply' | 'dm'; channel: string; messageId?: string; text: string; at: number };

/** Records calls; `failures` are thrown in order by the next calls that match `op` (or any op). */
export function fakePort(platform: Platform, clock: Clock) {
  const calls: Call[] = [];
  const failures: { op?: Call['op']; channel?: string; error: Error }[] = [];
  let n = 0;
  async function call(op: Call['op'], channel: string, message: Message, messageId?: string): Promise<void> {
    // Yield so concurrent workers interleave as they would over a network.
    await new Promise((r) => setImmediate(r));
    const i = failures.findIndex((f) => (!f.op || f.op === op) && (!f.channel || f.channel === channel));
    if (i >= 0) {
      const [f] = failures.splice(i, 1);
      throw f!.error;
    }
    calls.push({ op, channel, messageId, text: message.text, at: clock.now().getTime() });
  }
  const port: ChatPort & { calls: Call[]; failures: typeof failures; failAlways?: Error } = {
    platform,
    calls,
    failures,
    async post(channel, message) {
      if (port.failAlways) throw port.failAlways;
      await call('post', channel, message);
      return { platform, channel, messageId: `${platform}-m${++n}` };
    },
    async update(post, message) {
      if (port.failAlways) throw port.failAlways;
      await call('update', post.channel, message, post.messageId);
    },
    async reply(post, message): Promise<PostRef> {
      if (port.failAlways) throw port.failAlways;
      await call('reply', post.channel, message, post.messageId);
      return { platform, channel: post.channel, messageId: `${platform}-r${++n}` };
    },
    async dm(userId, message) {
      if (port.failAlways) throw port.failAlways;
      await call('dm', userId, message);
      return { platform, channel: `D-${userId}`, messageId: `${platform}-d${++n}` };
    },
  };
  return port;
}

export const renderCard = (view: { id: string; status: string }) => ({
  text: `card ${view.id} ${view.status}`,
  blocks: [],
});

export async function seed(db: DbHandle) {
  const { id: workspaceId } = await ensureDefaultWorkspace(db.db);
  const repos = createRepos(db.db);
  let seq = 0;
  return {
    workspaceId,
    repos,
    async item(comment = 'Slow onboarding'): Promise<string> {
      const now = new Date();
      const { item } = await repos.feedback.insert(workspaceId, {
        source: 'test',
        externalId: `ext-${++seq}-${Math.random()}`,
        kind: 'nps',
        score: 3,
        comment,
        touchpoint: 'onboarding',
        tags: [],
        route: null,
        receivedAt: now,
        dueAt: new Date(now.getTime() + 86_400_000),
        remindAt: new Date(now.getTime() + 86_400_000),
        escalateAt: new Date(now.getTime() + 86_400_000),
        priority: 'normal',
        customerId: null,
        metadata: {},
      });
      return item.id;
    },
    enqueue: (...jobs: DeliveryJob[]) => repos.outbox.enqueue(workspaceId, jobs),
  };
}

export function worker(db: Pick<DbHandle, 'db'>, deps: Partial<DeliveryWorkerDeps> & Pick<DeliveryWorkerDeps, 'ports' | 'clock'>) {
  return createDeliveryWorker({
    db,
    render: renderCard as DeliveryWorkerDeps['render'],
    maxAttempts: 5,
    backoff: { baseMs: 2000, random: () => 1 },
    ...deps,
  });
}

export async function outboxRows(db: DbHandle) {
  return db.query<{
    id: string;
    status: string;
    attempts: number;
    next_attempt_at: Date;
    locked_until: Date | null;
    last_error: string | null;
    job: Record<string, unknown>;
    destination: string;
  }>('select id, status, attempts, next_attempt_at, locked_until, last_error, job, destination from outbox order by created_at, id');
}

export async function chatPostRows(db: DbHandle) {
  return db.query<{ item_id: string | null; platform: string; channel: string; message_id: string; purpose: string }>(
    'select item_id, platform, channel, message_id, purpose from chat_posts order by created_at, id',
  );
}

export async function attemptEvents(db: DbHandle, itemId: string) {
  const rows = await db.query<{ data: Record<string, unknown> }>(
    "select data from feedback_events where item_id = $1 and type = 'delivery.attempt' order by at, id",
    [itemId],
  );
  return rows.map((r) => r.data);
}
