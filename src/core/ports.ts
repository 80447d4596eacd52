// Interfaces the core needs. Implemented by src/db (repositories), src/adapters (chat) and main
// (clock). Core services take narrowed deps: Pick<FeedbackRepo, 'findById' | 'claim'>.
import type { Customer, FeedbackItem, FeedbackKind, ItemView, Person, Platform } from './feedback/item.ts';
import type { TransitionPatch } from './feedback/lifecycle.ts';
import type { LoopEventType } from './feedback/loop-event.ts';
import type { Message } from './messages/model.ts';
import type { Priority, RouteMention } from './routing/routes-schema.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------- chat

/** Where a message was posted: enough to update it or reply in its thread. */
export type PostRef = { platform: Platform; channel: string; messageId: string };

/** One chat platform, as the delivery worker sees it. Errors are typed (src/delivery/errors.ts). */
export interface ChatPort {
  readonly platform: Platform;
  post(channel: string, message: Message): Promise<PostRef>;
  update(post: PostRef, message: Message): Promise<void>;
  reply(post: PostRef, message: Message): Promise<PostRef>;
  /** Direct message to a person by their platform user id. */
  dm(userId: string, message: Message): Promise<PostRef>;
}

// ---------------------------------------------------------------- repositories

export type NewCustomer = {
  externalId?: string | null;
  email?: string | null;
  name?: string | null;
  company?: string | null;
  segment?: string | null;
  tier?: string | null;
  attributes?: Record<string, unknown>;
};

export interface CustomerRepo {
  /** Upsert by external id, else by email (case-insensitive); fills in fields that were empty. */
  upsert(workspaceId: string, customer: NewCustomer): Promise<Customer>;
  findById(workspaceId: string, id: string): Promise<Customer | null>;
  /** By id, external id, email, or a name/company match. */
  search(workspaceId: string, query: string, limit?: number): Promise<Customer[]>;
}

export type NewFeedbackItem = {
  source: string;
  externalId: string;
  kind: FeedbackKind;
  score: number | null;
  comment: string | null;
  touchpoint: string | null;
  tags: string[];
  route: string | null;
  priority: Priority;
  receivedAt: Date;
  dueAt: Date;
  /** When the claimer is reminded (75% of the SLA window). */
  remindAt: Date;
  /** When an item still unclaimed is escalated to the champion channel. */
  escalateAt: Date;
  customerId: string | null;
  metadata: Record<string, unknown>;
  /** When it arrived (the SLA clock's start); default: the database's now. */
  createdAt?: Date;
  /** Imported history: counted in scores, never posted, no SLA notices, in no queue (default false). */
  history?: boolean;
};

export type ItemFilter = {
  status?: FeedbackItem['status'][];
  claimedById?: string;
  customerId?: string;
  limit?: number;
};

export interface FeedbackRepo {
  /** Inserts unless (workspace, source, externalId) exists; `created` tells which. */
  insert(workspaceId: string, item: NewFeedbackItem): Promise<{ item: FeedbackItem; created: boolean }>;
  findById(workspaceId: string, id: string): Promise<FeedbackItem | null>;
  /** The item a source already sent under this external id (intake replays change nothing). */
  findByExternalId(workspaceId: string, source: string, externalId: string): Promise<FeedbackItem | null>;
  /** The item with customer and people, for cards. */
  view(workspaceId: string, id: string): Promise<ItemView | null>;
  list(workspaceId: string, filter: ItemFilter): Promise<FeedbackItem[]>;
  /**
   * Claims an open item in one atomic step: `UPDATE ... WHERE status = 'open'` and, only when that
   * matched, `event` (its `data` gets the item's `dueAt`) and the outbox `jobs`. Returns the
   * claimed item's view; null when it was not open (someone else won) or does not exist.
   */
  claim(
    workspaceId: string,
    id: string,
    claim: {
      personId: string;
      at: Date;
      event: Pick<FeedbackEvent, 'type' | 'platform' | 'data'>;
      jobs: DeliveryJob[];
    },
  ): Promise<ItemView | null>;
  /** Conditional update guarded by the expected status; null when the status had changed. */
  transition(
    workspaceId: string,
    id: string,
    expected: FeedbackItem['status'][],
    patch: TransitionPatch,
  ): Promise<FeedbackItem | null>;
}

export interface PeopleRepo {
  findById(workspaceId: string, id: string): Promise<Person | null>;
  /** Finds or creates the person for a platform user, linking by email across platforms. */
  upsertFromChat(
    workspaceId: string,
    who: { platform: 'slack' | 'teams'; userId: string; displayName: string; email?: string | null },
  ): Promise<Person>;
  setRole(workspaceId: string, personId: string, role: Person['role']): Promise<void>;
  list(workspaceId: string): Promise<Person[]>;
}

export type FeedbackEvent = {
  id: string;
  itemId: string;
  type: string;
  actorId: string | null;
  platform: Platform | 'api' | 'system' | null;
  data: Record<string, unknown>;
  at: Date;
};

/** An event to record; without `at` it gets the database clock. */
export type NewEvent = Omit<FeedbackEvent, 'id' | 'at'> & { at?: Date };

export interface EventRepo {
  add(workspaceId: string, event: NewEvent): Promise<void>;
  timeline(workspaceId: string, itemId: string): Promise<FeedbackEvent[]>;
}

/** What the delivery worker must do. Jobs re-render from the database when they run. */
export type DeliveryJob =
  /**
   * Post the item's card to a channel and remember the post. `mention` (a route's) and `lead` (an
   * SLA notice's first line, our markup) go above the card in this first post only.
   */
  | { type: 'item.post'; itemId: string; platform: Platform; channel: string; mention?: RouteMention; lead?: string }
  /**
   * The item changed: re-render its card and update every post of it, on every platform, and
   * reply `message` in each post's thread (the timeline). One row per change, not two.
   */
  | { type: 'item.changed'; itemId: string; message: Message }
  /** The two halves of `item.changed`, as earlier versions queued them (such rows still run). */
  | { type: 'item.refresh'; itemId: string }
  | { type: 'item.thread'; itemId: string; message: Message }
  /** A direct message to a person. */
  | { type: 'person.dm'; personId: string; message: Message }
  /** A standalone message to a channel (digest, escalation). */
  | { type: 'channel.message'; platform: Platform; channel: string; message: Message; purpose?: string }
  /**
   * The close-the-loop webhook (LOOP_WEBHOOK_URL): `body` is the event's JSON, serialized once
   * when the change committed (core/feedback/loop-event.ts), so every retry sends the same bytes.
   */
  | { type: 'loop.webhook'; itemId: string; eventId: string; eventType: LoopEventType; body: string };

/**
 * The close-the-loop webhook receiver, as the delivery worker sees it. Resolves with the HTTP
 * status of a 2xx answer; errors are typed like ChatPort's (src/delivery/errors.ts).
 */
export interface WebhookPort {
  /** Where it posts, for the timeline and logs: scheme, host and port only (a path may hold a token). */
  readonly target: string;
  send(delivery: { eventId: string; eventType: LoopEventType; body: string }): Promise<{ status: number }>;
}

export interface OutboxRepo {
  /** Must be called inside the same transaction as the change it announces. */
  enqueue(workspaceId: string, jobs: DeliveryJob[]): Promise<void>;
}

/** One item for intake, with what is written alongside it when it is new. */
export type IntakeRecord = {
  item: Omit<NewFeedbackItem, 'customerId'>;
  /** Upserted by external id, else by email (case-insensitive); fills in empty fields. */
  customer: NewCustomer | null;
  /** `data` of the item's event (e.g. "received"). */
  eventData: Record<string, unknown>;
  /** Posts to enqueue for a new item; the repository fills in the item id. */
  jobs: Omit<Extract<DeliveryJob, { type: 'item.post' }>, 'itemId'>[];
};

export type IntakeEvent = { type: string; actorId: string | null; platform: FeedbackEvent['platform']; at: Date };

export interface IntakeRepo {
  /**
   * Stores the new items atomically: customer, item, event and outbox rows commit together or not
   * at all. An item whose (source, external id) exists — or repeats an earlier one in `records` —
   * changes nothing (not its customer either) and returns the stored id. Results keep input order.
   */
  acceptMany(workspaceId: string, records: IntakeRecord[], event: IntakeEvent): Promise<{ id: string; created: boolean }[]>;
}

/** Every repository, bound to one transaction. */
export type Repos = {
  customers: CustomerRepo;
  feedback: FeedbackRepo;
  people: PeopleRepo;
  events: EventRepo;
  outbox: OutboxRepo;
};

/** Runs `fn` in one database transaction: every write inside commits or none does. */
export interface Transactor {
  run<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
}
