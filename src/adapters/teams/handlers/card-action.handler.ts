// Universal Actions: an `adaptiveCard/action` invoke (Action.Execute) or, from clients without
// them, a message carrying the Action.Submit fallback's data. Both run the same core action; the
// invoke answers with the refreshed card in its HTTP response, the fallback updates the card.
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { ActionFailure } from '../../../core/feedback/item-actions.ts';
import type { ItemView } from '../../../core/feedback/item.ts';
import { buildFeedbackCard } from '../../../core/messages/feedback-card.ts';
import { plain } from '../../../core/messages/markup.ts';
import type { Message } from '../../../core/messages/model.ts';
import { parseButtonPayload } from '../../../core/messages/payload.ts';
import { ActionIds } from '../../../core/messages/action-ids.ts';
import { runCardAction } from '../card-actions.ts';
import { baseConversationId } from '../chat-port.ts';
import { REFRESH_VERB } from '../render/adaptive-card.ts';
import type { AdaptiveCard } from '../render/types.ts';
import type { TeamsHandlerDeps } from '../teams-deps.ts';

export const OUT_OF_DATE = 'This card is out of date. Type "open" or "status <item id>" for a fresh one.';

type Outcome = { card: AdaptiveCard } | { text: string };

/** The item card with a line on top for the person who pressed (who won, what is missing). */
export function withNotice(message: Message, notice: string): Message {
  return { ...message, blocks: [{ type: 'section', text: `⚠️ ${plain(notice)}` }, ...message.blocks] };
}

function actionOf(activity: Activity): { verb: string; data: Record<string, unknown> } | null {
  if (activity.type === ActivityTypes.Invoke) {
    const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    if (!action || typeof action.verb !== 'string') return null;
    const data = action.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {};
    return { verb: action.verb, data };
  }
  const value = activity.value as Record<string, unknown> | undefined;
  if (!value || typeof value.action !== 'string') return null;
  return { verb: value.action, data: value };
}

async function decide(deps: TeamsHandlerDeps, context: TurnContext): Promise<{ outcome: Outcome; itemId?: string }> {
  const { activity } = context;
  const action = actionOf(activity);
  const payload = action ? parseButtonPayload(action.data) : null;
  if (!action || !payload) return { outcome: { text: OUT_OF_DATE } };
  const now = () => deps.clock.now();
  const cardOf = async (view: ItemView, notice?: string) => {
    const message = buildFeedbackCard(view, now(), { timezone: deps.timezone });
    return { card: await deps.render.card(notice ? withNotice(message, notice) : message) };
  };
  const current = async (notice?: string): Promise<Outcome> => {
    const view = await deps.feedback.view(deps.workspaceId, payload.item);
    return view ? cardOf(view, notice) : { text: 'This feedback item no longer exists.' };
  };

  if (action.verb === REFRESH_VERB) return { outcome: await current() };
  if (action.verb === ActionIds.resolve || action.verb === ActionIds.reassign) {
    return { outcome: await current('Open the form on the card, fill it in and submit it.') };
  }
  const actor = await deps.resolveActor(context);
  const run = runCardAction(deps.actions, {
    workspaceId: deps.workspaceId,
    verb: action.verb,
    payload,
    data: action.data,
    actor,
    timezone: activity.localTimezone,
  });
  if (!run) return { outcome: { text: OUT_OF_DATE } };
  const result = await run;
  if (result.ok) return { outcome: await cardOf(result.item), itemId: result.item.id };
  return { outcome: await failureOutcome(result, current) };
}

function failureOutcome(failure: ActionFailure, current: (notice?: string) => Promise<Outcome>): Promise<Outcome> {
  if (failure.reason === 'not_found') return Promise.resolve({ text: failure.message });
  if (failure.reason === 'invalid_input' && failure.issues.length > 0) {
    const details = failure.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return current(`${failure.message} (${details})`);
  }
  return current(failure.message);
}

/** The card this action came from now shows the item: keep it updated with every other post. */
async function rememberPost(deps: TeamsHandlerDeps, activity: Activity, itemId: string): Promise<void> {
  if (!activity.replyToId || !activity.conversation?.id) return;
  await deps.chatPosts.insert(deps.workspaceId, {
    itemId,
    platform: 'teams',
    channel: baseConversationId(activity.conversation.id),
    messageId: activity.replyToId,
    purpose: 'card',
  });
}

export async function handleCardAction(deps: TeamsHandlerDeps, context: TurnContext): Promise<void> {
  const { activity } = context;
  const isInvoke = activity.type === ActivityTypes.Invoke;
  let decided: { outcome: Outcome; itemId?: string };
  try {
    decided = await decide(deps, context);
  } catch (error) {
    deps.logger.error('teams card action failed', { error });
    decided = { outcome: { text: 'Something went wrong. Nothing was changed; please try again.' } };
  }
  const { outcome, itemId } = decided;

  if (isInvoke) {
    const body =
      'card' in outcome
        ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: outcome.card }
        : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: outcome.text };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  } else if ('card' in outcome && activity.replyToId) {
    await context.updateActivity({
      type: 'message',
      id: activity.replyToId,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: outcome.card }],
    });
  } else if ('text' in outcome) {
    await context.sendActivity(outcome.text);
  }
  if (itemId) {
    await rememberPost(deps, activity, itemId).catch((error) =>
      deps.logger.warn('could not record the Teams card as a post of the item', { error }),
    );
  }
}
