// Accepting feedback: validates scores, stamps the due time, picks the posts, and hands the whole
// request to the intake repository, which stores customer, item, "received" event and outbox rows
// atomically (one statement per request, however many items). Pure: storage, the Clock and the
// routing decision (core/routing) are injected; the SLA clock of each item follows its route.
import { ValidationError } from '../errors.ts';
import type { Clock, FeedbackEvent, IntakeRecord, IntakeRepo, NewCustomer } from '../ports.ts';
import type { RouteDecision } from '../routing/match-route.ts';
import { planSla } from '../sla/sla-plan.ts';
import type { FeedbackKind, Platform } from './item.ts';

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
  /**
   * Imported history (the CSV importer, for rows older than `--post-since`): stored and counted in
   * scores, but not posted (no jobs), owed no SLA notice and in no work queue — a backfill of old
   * answers is not a million promises to keep. The HTTP schema has no such field.
   */
  history?: boolean;
};

export type Destination = { platform: Platform; channel: string };

/** Who brought the item in: the API by default, or a person on a chat platform (`/cx log`). */
export type IntakeVia = { platform: FeedbackEvent['platform']; actorId: string | null };

export type AcceptResult = { id: string; created: boolean };

export type IntakeDeps = {
  store: Pick<IntakeRepo, 'acceptMany'>;
  clock: Clock;
  /**
   * The item's route: where its card goes (each destination with its mention), its SLA and
   * priority. Decided before storing, so storing stays one statement.
   */
  routeFor(input: IntakeInput): RouteDecision;
  /** Called after a request stored at least one new item (e.g. wakes the delivery worker). */
  onAccepted?: () => void;
};

export function createIntakeService(deps: IntakeDeps) {
  const apiVia: IntakeVia = { platform: 'api', actorId: null };

  async function store(workspaceId: string, inputs: IntakeInput[], via: IntakeVia): Promise<AcceptResult[]> {
    const now = deps.clock.now();
    const records = inputs.map((input): IntakeRecord => {
      const route = deps.routeFor(input);
      const plan = planSla(now, route);
      return {
        item: {
          source: input.source,
          externalId: input.externalId,
          kind: input.kind,
          score: input.score,
          comment: input.comment,
          touchpoint: input.touchpoint,
          tags: input.tags,
          route: route.route,
          priority: route.priority,
          receivedAt: input.receivedAt ?? now,
          dueAt: plan.dueAt,
          remindAt: plan.remindAt,
          escalateAt: plan.escalateAt,
          metadata: input.metadata ?? {},
          history: input.history === true,
        },
        customer: input.customer ?? null,
        // The timeline shows the route and every rule that sent the item somewhere.
        eventData: { source: input.source, route: route.route, rules: route.matched.map((r) => r.name) },
        jobs: (input.history ? [] : uniqueDestinations(route.destinations)).map((d) => ({
          type: 'item.post' as const,
          platform: d.platform,
          channel: d.channel,
          ...(d.mention && { mention: d.mention }),
        })),
      };
    });
    const results = await deps.store.acceptMany(workspaceId, records, {
      type: 'received',
      actorId: via.actorId,
      platform: via.platform,
      at: now,
    });
    if (results.some((r) => r.created)) deps.onAccepted?.();
    return results;
  }

  return {
    /** Stores one item; `created: false` means this (source, external id) was already accepted. */
    async accept(workspaceId: string, input: IntakeInput, via: IntakeVia = apiVia): Promise<AcceptResult> {
      checkScore(input, '');
      return (await store(workspaceId, [input], via))[0]!;
    },

    /** Up to 500 items, atomically: all are stored or none is. Results keep input order. */
    async acceptBatch(workspaceId: string, inputs: IntakeInput[], via: IntakeVia = apiVia): Promise<AcceptResult[]> {
      if (inputs.length === 0 || inputs.length > MAX_BATCH) {
        throw new ValidationError(`a batch holds 1 to ${MAX_BATCH} items`, [
          { path: 'items', message: `must hold 1 to ${MAX_BATCH} items, got ${inputs.length}` },
        ]);
      }
      for (const [i, input] of inputs.entries()) checkScore(input, `items[${i}].`);
      return store(workspaceId, inputs, via);
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

function uniqueDestinations<D extends Destination>(list: D[]): D[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.platform}\u0000${d.channel}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
