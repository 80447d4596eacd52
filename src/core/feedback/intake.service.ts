// Accepting feedback: one transaction per request (or batch) that links the customer, stores the
// item once, records the "received" event and enqueues its posts. Pure: the Transactor, the Clock
// and the routing decision are injected.
import { ValidationError } from '../errors.ts';
import type { Clock, DeliveryJob, FeedbackEvent, NewCustomer, Repos, Transactor } from '../ports.ts';
import { computeDueAt } from '../sla/due.ts';
import type { Customer, FeedbackItem, FeedbackKind, Platform } from './item.ts';

/** Score range per kind; kinds not listed take no score. */
export const scoreRanges: Partial<Record<FeedbackKind, { min: number; max: number }>> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  review: { min: 1, max: 5 },
};
/** Kinds whose score is the point of the item. */
export const scoredKinds: readonly FeedbackKind[] = ['nps', 'csat', 'ces'];
export const MAX_BATCH = 500;

export type IntakeInput = {
  source: string;
  externalId: string;
  kind: FeedbackKind;
  score: number | null;
  comment: string | null;
  touchpoint: string | null;
  tags: string[];
  /** When the customer answered; defaults to now. Does not move the due time. */
  receivedAt?: Date | null;
  customer?: NewCustomer | null;
  metadata?: Record<string, unknown>;
};

export type Destination = { platform: Platform; channel: string };

/** Who brought the item in: the API by default, or a person on a chat platform (`/cx log`). */
export type IntakeVia = { platform: FeedbackEvent['platform']; actorId: string | null };

export type AcceptResult = { id: string; created: boolean };

export type IntakeDeps = {
  transactor: Transactor;
  clock: Clock;
  slaHours: number;
  /**
   * Where the new item's card goes. Synchronous on purpose: it runs inside the transaction, and
   * a query on another connection there could wait on this one (PGlite has a single connection).
   */
  destinationsFor(item: FeedbackItem, customer: Customer | null): Destination[];
};

export function createIntakeService(deps: IntakeDeps) {
  const apiVia: IntakeVia = { platform: 'api', actorId: null };

  /** Stores one item and returns the posts to enqueue (the caller enqueues once per transaction). */
  async function acceptIn(
    repos: Repos,
    workspaceId: string,
    input: IntakeInput,
    via: IntakeVia,
    now: Date,
  ): Promise<AcceptResult & { jobs: DeliveryJob[] }> {
    // A replay changes nothing: not the customer, not the item, no second post.
    const existing = await repos.feedback.findByExternalId(workspaceId, input.source, input.externalId);
    if (existing) return { id: existing.id, created: false, jobs: [] };
    const customer = input.customer ? await repos.customers.upsert(workspaceId, input.customer) : null;
    const { item, created } = await repos.feedback.insert(workspaceId, {
      source: input.source,
      externalId: input.externalId,
      kind: input.kind,
      score: input.score,
      comment: input.comment,
      touchpoint: input.touchpoint,
      tags: input.tags,
      route: null,
      receivedAt: input.receivedAt ?? now,
      dueAt: computeDueAt(now, deps.slaHours),
      customerId: customer?.id ?? null,
      metadata: input.metadata ?? {},
    });
    if (!created) return { id: item.id, created: false, jobs: [] };
    await repos.events.add(workspaceId, {
      itemId: item.id,
      type: 'received',
      actorId: via.actorId,
      platform: via.platform,
      data: { source: input.source },
      at: now,
    });
    const jobs: DeliveryJob[] = uniqueDestinations(deps.destinationsFor(item, customer)).map((d) => ({
      type: 'item.post',
      itemId: item.id,
      platform: d.platform,
      channel: d.channel,
    }));
    return { id: item.id, created: true, jobs };
  }

  return {
    /** Stores one item; `created: false` means this (source, external id) was already accepted. */
    async accept(workspaceId: string, input: IntakeInput, via: IntakeVia = apiVia): Promise<AcceptResult> {
      checkScore(input, '');
      const now = deps.clock.now();
      return deps.transactor.run(async (repos) => {
        const { jobs, ...result } = await acceptIn(repos, workspaceId, input, via, now);
        await repos.outbox.enqueue(workspaceId, jobs);
        return result;
      });
    },

    /** Up to 500 items in one transaction: all are stored or none is. Results keep input order. */
    async acceptBatch(workspaceId: string, inputs: IntakeInput[], via: IntakeVia = apiVia): Promise<AcceptResult[]> {
      if (inputs.length === 0 || inputs.length > MAX_BATCH) {
        throw new ValidationError(`a batch holds 1 to ${MAX_BATCH} items`, [
          { path: 'items', message: `must hold 1 to ${MAX_BATCH} items, got ${inputs.length}` },
        ]);
      }
      for (const [i, input] of inputs.entries()) checkScore(input, `items[${i}].`);
      const now = deps.clock.now();
      return deps.transactor.run(async (repos) => {
        const results: AcceptResult[] = [];
        const jobs: DeliveryJob[] = [];
        for (const input of inputs) {
          const { jobs: more, ...result } = await acceptIn(repos, workspaceId, input, via, now);
          results.push(result);
          jobs.push(...more);
        }
        // Chunked: one multi-row insert per 1000 jobs stays far below Postgres' parameter limit.
        for (let i = 0; i < jobs.length; i += 1000) await repos.outbox.enqueue(workspaceId, jobs.slice(i, i + 1000));
        return results;
      });
    },
  };
}

export type IntakeService = ReturnType<typeof createIntakeService>;

/** The HTTP schema checks this too; repeated here so every caller (chat, CSV) gets the same rule. */
function checkScore(input: IntakeInput, prefix: string): void {
  const range = scoreRanges[input.kind];
  const path = `${prefix}score`;
  if (input.score === null) {
    if (scoredKinds.includes(input.kind)) {
      throw new ValidationError(`${path} is required for ${input.kind}`, [
        { path, message: `is required for ${input.kind} (${range!.min}–${range!.max})` },
      ]);
    }
    return;
  }
  if (!range) {
    throw new ValidationError(`${path} is not allowed for ${input.kind}`, [
      { path, message: `is not allowed for kind ${input.kind}` },
    ]);
  }
  if (!Number.isInteger(input.score) || input.score < range.min || input.score > range.max) {
    throw new ValidationError(`${path} is out of range`, [
      { path, message: `must be a whole number from ${range.min} to ${range.max} for ${input.kind}` },
    ]);
  }
}

function uniqueDestinations(list: Destination[]): Destination[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.platform}\u0000${d.channel}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
