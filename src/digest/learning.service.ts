// "What we learned": `/cx learned <text> [customer]` and thread replies captured by the adapters.
// The learning is kept even when the customer cannot be found (the reply says so).
import { ValidationError } from '../core/errors.ts';
import type { Platform } from '../core/feedback/item.ts';
import type { Clock } from '../core/ports.ts';
import type { Executor } from '../db/client.ts';
import { createLearningsRepo, type LearningRow } from '../db/repos/learnings.repo.ts';

export type ShareLearningInput = {
  authorId: string | null;
  text: string;
  /** Customer id, e-mail, external id or name. */
  customerQuery?: string | null;
  platform: Platform;
  /** Platform message id of a captured thread reply: the same reply is stored once. */
  sourceRef?: string | null;
};

export type ShareLearningResult = {
  learning: LearningRow;
  created: boolean;
  customer: { id: string; name: string | null } | null;
  /** A customer was named but not found (or the name was ambiguous). */
  customerNotFound: boolean;
};

const MAX_TEXT = 3000;

export function createLearningService(deps: { db: Executor; clock: Pick<Clock, 'now'> }) {
  async function shareLearning(workspaceId: string, input: ShareLearningInput): Promise<ShareLearningResult> {
    const text = input.text.trim();
    if (!text) throw new ValidationError('Tell us what you learned.', [{ path: 'text', message: 'is required' }]);
    if (text.length > MAX_TEXT) {
      throw new ValidationError(`Keep it under ${MAX_TEXT} characters.`, [
        { path: 'text', message: `must be at most ${MAX_TEXT} characters` },
      ]);
    }
    const repo = createLearningsRepo(deps.db);
    const query = input.customerQuery?.trim();
    const customer = query ? await repo.findCustomer(workspaceId, query) : null;
    const { learning, created } = await repo.add(workspaceId, {
      authorId: input.authorId,
      customerId: customer?.id ?? null,
      text,
      platform: input.platform,
      sourceRef: input.sourceRef ?? null,
      createdAt: deps.clock.now(),
    });
    return { learning, created, customer, customerNotFound: Boolean(query) && !customer };
  }

  return {
    shareLearning,
    /** Alias used by the Slack adapter's optional-services interface. */
    add: shareLearning,
  };
}

export type LearningService = ReturnType<typeof createLearningService>;
