// What every item action takes and returns. Expected outcomes (lost a claim race, not allowed,
// wrong state, bad input) are values the adapters render, not exceptions.
import type { Clock, Repos, Transactor } from '../ports.ts';
import type { SlaTerms } from '../sla/sla-plan.ts';
import type { ItemStatus, ItemView, Person, Platform } from './item.ts';
import { can, type ItemAction } from './lifecycle.ts';
import { checkPermission } from './permissions.ts';

export type ActionContext = {
  workspaceId: string;
  itemId: string;
  /** The person pressing the button (resolved from the platform user by the adapter). */
  actor: Person;
  platform: Platform | 'api';
};

/** `message` is plain text (not markup): wrap with plain() before putting it in a section. */
export type ActionFailure =
  | { ok: false; reason: 'not_found'; message: string }
  | { ok: false; reason: 'already_claimed'; by: Person | null; message: string }
  | { ok: false; reason: 'forbidden'; message: string }
  | { ok: false; reason: 'invalid_state'; status: ItemStatus; message: string }
  | { ok: false; reason: 'invalid_input'; message: string; issues: { path: string; message: string }[] };

/** On success, the item as it is now (with customer and people), ready for buildFeedbackCard. */
export type ActionResult = { ok: true; item: ItemView } | ActionFailure;

export type ItemActionDeps = {
  transactor: Transactor;
  /** Outside any transaction, for an action that is one atomic repository call (claim). */
  repos: Pick<Repos, 'feedback'>;
  /** Wakes delivery after such a call wrote delivery jobs (the transactor wakes it for the rest). */
  notify?: () => void;
  clock: Clock;
  /** The workspace's own root-cause taxonomy; empty or absent means the default one. */
  rootCauses?: (workspaceId: string) => Promise<readonly string[]> | readonly string[];
  /** Timezone for "snooze till morning" (unless the call names one) and times in timelines. */
  timezone?: string;
  /** The SLA terms of an item's route (its hours, escalation, business hours); default 24 h / 2 h. */
  slaTerms?: (route: string | null) => SlaTerms;
  /**
   * Set when LOOP_WEBHOOK_URL is: resolve and reopen then enqueue the close-the-loop event in
   * their transaction. `eventId` makes each event's id (random: core has no entropy of its own).
   */
  closeTheLoop?: { eventId: () => string };
};

const DEFAULT_TERMS: SlaTerms = { slaHours: 24, escalationHours: 2, calendar: null };

export function termsFor(deps: Pick<ItemActionDeps, 'slaTerms'>, route: string | null): SlaTerms {
  return deps.slaTerms?.(route) ?? DEFAULT_TERMS;
}

export const notFound = (): ActionFailure => ({
  ok: false,
  reason: 'not_found',
  message: 'This feedback item no longer exists.',
});

export const forbidden = (message: string): ActionFailure => ({ ok: false, reason: 'forbidden', message });

export const invalidInput = (message: string, issues: { path: string; message: string }[] = []): ActionFailure => ({
  ok: false,
  reason: 'invalid_input',
  message,
  issues,
});

/** Why `action` cannot run on the item in its current state (after `can()` said no or a race). */
export function stateFailure(action: ItemAction, view: ItemView, actor: Person): ActionFailure {
  if (view.status === 'claimed' && action === 'claim') {
    const by = view.claimedBy;
    const message =
      by?.id === actor.id
        ? 'You already claimed this item.'
        : `Already claimed by ${by?.displayName ?? 'someone else'}.`;
    return { ok: false, reason: 'already_claimed', by, message };
  }
  const invalid = (message: string): ActionFailure => ({ ok: false, reason: 'invalid_state', status: view.status, message });
  if (view.status === 'resolved') {
    return invalid(`This item was already resolved by ${view.resolvedBy?.displayName ?? 'someone'}.`);
  }
  if (view.status === 'open') {
    if (action === 'reopen') return invalid('This item is already open.');
    return invalid(`Nobody has claimed this item yet. Claim it before you ${action} it.`);
  }
  // claimed
  return invalid(`This item is already claimed by ${view.claimedBy?.displayName ?? 'someone'}.`);
}

/**
 * Loads the item inside the transaction and checks workspace, state and permission, in that order.
 * Returns the view to act on, or the failure to return.
 */
export async function guard(
  repos: Repos,
  ctx: ActionContext,
  action: ItemAction,
): Promise<{ view: ItemView } | { failure: ActionFailure }> {
  if (ctx.actor.workspaceId !== ctx.workspaceId) {
    return { failure: forbidden('You are not a member of this workspace.') };
  }
  const view = await repos.feedback.view(ctx.workspaceId, ctx.itemId);
  if (!view) return { failure: notFound() };
  if (!can(action, view)) return { failure: stateFailure(action, view, ctx.actor) };
  const permission = checkPermission(action, view, ctx.actor);
  if (!permission.allowed) return { failure: forbidden(permission.reason) };
  return { view };
}

/** After a conditional update found the state changed under us: explain what happened. */
export async function raceFailure(repos: Repos, ctx: ActionContext, action: ItemAction): Promise<ActionFailure> {
  const view = await repos.feedback.view(ctx.workspaceId, ctx.itemId);
  return view ? stateFailure(action, view, ctx.actor) : notFound();
}
